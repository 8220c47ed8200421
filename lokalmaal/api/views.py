"""/api/v1/: the JSON twin of every page, served by the same read functions as the pages.

Described by the OpenAPI document at /api/v1/openapi.json. Lists are never paged (the largest has
357 items). `lang` picks the language of titles: nb (default), nn or en.
"""

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Schema

from lokalmaal.accounts import reads as organisation_reads
from lokalmaal.accounts.permissions import Action, access_organisation, may
from lokalmaal.api.openapi import DocumentedAPI
from lokalmaal.catalogue import reads as catalogue
from lokalmaal.indicators import reads as indicators
from lokalmaal.localgoals import reads as localgoals
from lokalmaal.localgoals.access import access_workspace
from lokalmaal.regions import reads as regions
from lokalmaal.web.params import GoalNumber
from lokalmaal.web.reads import HomeOut, get_home

type Language = Literal["nb", "nn", "en"]

api = DocumentedAPI(  # also documents the 400, 404 and 422 answers (api/openapi.py)
    title="Lokalmål API",
    version="1",
    description=(
        "The UN Sustainable Development Goals for Norway's municipalities and counties. "
        "Every page of Lokalmål has a twin here. Texts: UN (English), Lokalmål's own reviewed "
        "bokmål and nynorsk; each text says where it came from (`provenance`)."
    ),
    urls_namespace="api",
    docs_url=None,  # the interactive docs page loads scripts from a CDN; /api/ documents instead
    openapi_url="/openapi.json",
)


@api.get("/", response=HomeOut, tags=["home"], summary="Counts and the 17 goals")
def home(request: HttpRequest, lang: Language = "nb") -> HomeOut:
    return get_home(lang)


@api.get(
    "/goals/", response=list[catalogue.GoalSummary], tags=["catalogue"], summary="All 17 goals"
)
def goals(request: HttpRequest, lang: Language = "nb") -> list[catalogue.GoalSummary]:
    return catalogue.list_goals(lang)


@api.get(
    "/goals/{number}/",
    response=catalogue.GoalDetail,
    tags=["catalogue"],
    summary="One goal with its targets and indicators",
)
def goal(request: HttpRequest, number: int, lang: Language = "nb") -> catalogue.GoalDetail:
    return catalogue.get_goal(number, lang)


@api.get(
    "/targets/",
    response=list[catalogue.TargetSummary],
    tags=["catalogue"],
    summary="All 169 targets, or those matching a search (q) and local-meaning filters",
)
def targets(
    request: HttpRequest, filters: Query[catalogue.TargetFilter], lang: Language = "nb"
) -> list[catalogue.TargetSummary]:
    return catalogue.list_targets(lang, filters)


@api.get(
    "/targets/{target_id}/",
    response=catalogue.TargetDetail,
    tags=["catalogue"],
    summary="One target, e.g. 11.6",
)
def target(request: HttpRequest, target_id: str, lang: Language = "nb") -> catalogue.TargetDetail:
    return catalogue.get_target(target_id, lang)


class RegionFilter(Schema):
    type: Literal["municipality", "county", "country"] | None = None
    q: str = ""
    county: str = ""


@api.get(
    "/regions/",
    response=list[regions.RegionSummary],
    tags=["regions"],
    summary="Municipalities, counties and Norway",
)
def region_list(
    request: HttpRequest, filters: Query[RegionFilter], lang: Language = "nb"
) -> list[regions.RegionSummary]:
    return regions.list_regions(filters.type, filters.q, filters.county)


@api.get(
    "/regions/{code}/",
    response=regions.RegionDetail,
    tags=["regions"],
    summary="One municipality or county",
)
def region(request: HttpRequest, code: str, lang: Language = "nb") -> regions.RegionDetail:
    return regions.get_region(code)


@api.get(
    "/regions/{code}/boundary/",
    tags=["regions"],
    summary="The region's boundary as a GeoJSON Feature (Kartverket, CC BY 4.0)",
)
def boundary(request: HttpRequest, code: str) -> dict[str, object]:
    return regions.get_boundary(code)


@api.get(
    "/organisations/",
    response=list[organisation_reads.OrganisationSummary],
    tags=["organisations"],
    summary="Organisations on Lokalmål",
)
def organisation_list(request: HttpRequest) -> list[organisation_reads.OrganisationSummary]:
    return organisation_reads.list_organisations()


@api.get(
    "/organisations/{slug}/",
    response=organisation_reads.OrganisationDetail,
    tags=["organisations"],
    summary="One organisation; members only for its own members",
)
def organisation(request: HttpRequest, slug: str) -> organisation_reads.OrganisationDetail:
    return organisation_reads.get_organisation(access_organisation(slug), request.user)


@api.get(
    "/workspaces/{workspace_id}/",
    response=localgoals.WorkspaceOut,
    tags=["local goals"],
    summary="A planning workspace: combined ratings, priority targets and local goals",
)
def workspace(
    request: HttpRequest, workspace_id: int, lang: Language = "nb"
) -> localgoals.WorkspaceOut:
    found = access_workspace(request.user, workspace_id)
    return localgoals.get_workspace(found, request.user, lang)


@api.get(
    "/organisations/{slug}/workspaces/",
    response=list[localgoals.WorkspaceSummary],
    tags=["local goals"],
    summary="An organisation's workspaces (published ones only for non-members)",
)
def organisation_workspaces(request: HttpRequest, slug: str) -> list[localgoals.WorkspaceSummary]:
    organisation = access_organisation(slug)
    workspaces = organisation.workspaces.all()
    if not may(request.user, Action.VIEW_MEMBERS, organisation):
        workspaces = workspaces.filter(published=True)
    return localgoals.list_workspaces(workspaces)


@api.get(
    "/regions/{code}/local-goals/",
    response=list[localgoals.WorkspaceOut],
    tags=["local goals"],
    summary="The published, adopted goal sets of a municipality or county",
)
def region_local_goals(
    request: HttpRequest, code: str, lang: Language = "nb"
) -> list[localgoals.WorkspaceOut]:
    """Each goal indicator carries baseline, latest figure, target and on-track status
    (localgoals/followup.py); always the adopted version, whoever asks."""
    return [
        localgoals.get_workspace(
            access_workspace(request.user, w.id), request.user, lang, public=True
        )
        for w in localgoals.published_for_region(code)
    ]


@api.get(
    "/targets/{target_id}/prioritised-by/",
    response=list[localgoals.PrioritisedBy],
    tags=["local goals"],
    summary="Published goal sets that prioritise this target (filters: county, size)",
)
def target_prioritised_by(
    request: HttpRequest, target_id: str, county: str = "", size: str = ""
) -> list[localgoals.PrioritisedBy]:
    return localgoals.prioritised_by(target_id, county, size)


@api.get(
    "/indicators/",
    response=list[indicators.IndicatorOut],
    tags=["indicators"],
    summary="Lokalmål's indicator library",
)
def indicator_list(
    request: HttpRequest, lang: Language = "nb", goal: GoalNumber | None = None
) -> list[indicators.IndicatorOut]:
    return indicators.list_indicators(lang, goal)


@api.get(
    "/indicators/{indicator_id}/",
    response=indicators.IndicatorDetail,
    tags=["indicators"],
    summary="One indicator with the latest figure for every municipality",
)
def indicator_detail(
    request: HttpRequest, indicator_id: str, lang: Language = "nb"
) -> indicators.IndicatorDetail:
    return indicators.get_indicator(indicator_id, lang)


@api.get(
    "/regions/{code}/indicators/",
    response=list[indicators.RegionIndicatorOut],
    tags=["indicators"],
    summary="A municipality's SDG dashboard: value, year, status, trend and medians per indicator",
)
def region_indicators(
    request: HttpRequest, code: str, lang: Language = "nb"
) -> list[indicators.RegionIndicatorOut]:
    return indicators.region_indicators(code, lang)


@api.get(
    "/regions/{code}/similar/",
    response=list[indicators.SimilarOut],
    tags=["indicators"],
    summary="Similar municipalities, nearest first, with why they are similar",
)
def similar(
    request: HttpRequest, code: str, k: int = 10, lang: Language = "nb"
) -> list[indicators.SimilarOut]:
    return indicators.similar_municipalities(code, max(1, min(k, 50)), lang)


@api.get(
    "/coverage/",
    response=list[indicators.GoalCoverage],
    tags=["indicators"],
    summary="Locally relevant targets with and without an indicator that has municipal data",
)
def coverage(request: HttpRequest, lang: Language = "nb") -> list[indicators.GoalCoverage]:
    return indicators.coverage(lang)


@api.get(
    "/frameworks/",
    response=list[indicators.ConceptOut],
    tags=["indicators"],
    summary="Indicators in KS's reference vocabularies for a target (e.g. ?target=11.6)",
)
def frameworks(request: HttpRequest, target: str) -> list[indicators.ConceptOut]:
    return indicators.framework_concepts(target)


api.add_router("/municipalities/", "lokalmaal.peers.api.router")
api.add_router("/plans/", "lokalmaal.plans.api.router")
api.add_router("/examples/", "lokalmaal.arena.api.examples_router")
api.add_router("/search/", "lokalmaal.arena.api.search_router")
api.add_router("/networks/", "lokalmaal.networks.api.networks_router")
api.add_router("/events/", "lokalmaal.networks.api.events_router")
api.add_router("/questions/", "lokalmaal.discussion.api.questions_router")
api.add_router("/notifications/", "lokalmaal.discussion.api.notifications_router")
api.add_router("/overview/", "lokalmaal.reports.api.router")
api.add_router("/open-data/", "lokalmaal.reports.api.open_data_router")
