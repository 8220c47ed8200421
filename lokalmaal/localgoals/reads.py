"""Reads of workspaces shared by the pages, the exports and the API."""

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from pydantic import BaseModel

from lokalmaal.accounts.models import OrganisationKind
from lokalmaal.accounts.permissions import Person
from lokalmaal.catalogue.models import Target
from lokalmaal.localgoals import analysis
from lokalmaal.localgoals.access import is_member, may_adopt, may_edit
from lokalmaal.localgoals.domain import GoalData, GoalSetData, IndicatorData, RatingData, TargetRef
from lokalmaal.localgoals.models import (
    GoalIndicator,
    LocalGoal,
    Priority,
    Rating,
    Status,
    Workspace,
)
from lokalmaal.regions.models import RegionKind


class LocalGoalTargetOut(BaseModel):
    code: str
    goal: int
    title: str


class LocalGoalIndicatorOut(BaseModel):
    id: int
    name: str
    unit: str
    direction: str
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    library_id: str
    # Follow-up (localgoals/followup.py): the newest figure and whether the goal is on track,
    # with the indicator pages' status codes.
    latest_value: float | None = None
    latest_year: int | None = None
    status: str = "no_data"
    status_label: str = ""
    decimals: int = 1


class GoalOut(BaseModel):
    id: int
    kind: str
    title: str
    description: str
    strategies: str
    responsible_unit: str
    parent_id: int | None
    version: int
    targets: list[LocalGoalTargetOut]
    indicators: list[LocalGoalIndicatorOut]


class SummaryOut(BaseModel):
    target: LocalGoalTargetOut
    raters: int
    importance_mean: float
    influence_mean: float
    importance_spread: int
    influence_spread: int
    score: float
    disagreement: bool
    prioritised: bool
    prioritised_elsewhere: int  # published goal sets of other organisations that prioritise it
    comments: list[str]


class WorkspaceSummary(BaseModel):
    id: int
    title: str
    organisation: str
    organisation_slug: str
    region_code: str | None
    plan_type: str
    status: str
    published: bool


class VersionOut(BaseModel):
    number: int
    adopted_on: date
    body: str
    case_number: str


class WorkspaceOut(WorkspaceSummary):
    period_start: int | None
    period_end: int | None
    adopted_on: date | None
    case_number: str
    adopted_by: str  # the body that adopted it, e.g. "Kommunestyret"
    adopted_version: int | None  # the adopted version shown; None: the working goals
    versions: list[VersionOut]  # every adopted version, newest first
    consultation_deadline: date | None
    language: str
    priorities: list[LocalGoalTargetOut]
    goals: list[GoalOut]
    analysis_published: bool
    ratings: list[SummaryOut]  # empty unless the viewer may see the analysis
    raters: int
    may_edit: bool
    may_adopt: bool


def workspace_language(workspace: Workspace, requested: str) -> str:
    """Texts for a municipality's goals follow its written standard; nb/nn otherwise as asked."""
    region = workspace.organisation.region
    if region is not None and region.written_standard in ("nb", "nn"):
        return region.written_standard
    return requested if requested in ("nb", "nn") else "nb"


def _target(target: Target, language: str) -> LocalGoalTargetOut:
    return LocalGoalTargetOut(
        code=target.code, goal=target.goal_id, title=target.title_in(language)
    )


def _summary(workspace: Workspace) -> WorkspaceSummary:
    organisation = workspace.organisation
    return WorkspaceSummary(
        id=workspace.pk,
        title=workspace.title,
        organisation=organisation.name,
        organisation_slug=organisation.slug,
        region_code=organisation.region.code if organisation.region else None,
        plan_type=workspace.plan_type,
        status=workspace.status,
        published=workspace.published,
    )


def list_workspaces(queryset: "QuerySet[Workspace]") -> list[WorkspaceSummary]:
    return [_summary(w) for w in queryset.select_related("organisation__region")]


def goals_of(workspace: Workspace) -> list[LocalGoal]:
    return list(
        workspace.goals.prefetch_related(
            Prefetch("targets", Target.objects.order_by("goal", "position")),
            Prefetch("indicators", GoalIndicator.objects.order_by("id")),
        )
    )


INDICATOR_FIELDS = (
    "name", "unit", "direction", "baseline_value", "baseline_year", "target_value",
    "target_year", "library_id",
)  # fmt: skip


def _indicator_fields(indicator: GoalIndicator) -> dict[str, Any]:
    """What the page, the API and the exports show of a goal's indicator."""
    return {name: getattr(indicator, name) for name in INDICATOR_FIELDS}


def _goal(goal: LocalGoal, language: str) -> GoalOut:
    return GoalOut(
        id=goal.pk,
        kind=goal.kind,
        title=goal.title,
        description=goal.description,
        strategies=goal.strategies,
        responsible_unit=goal.responsible_unit,
        parent_id=goal.parent_id,
        version=goal.version,
        targets=[_target(t, language) for t in goal.targets.all()],
        indicators=[
            LocalGoalIndicatorOut(id=i.pk, **_indicator_fields(i)) for i in goal.indicators.all()
        ],
    )


def rating_data(workspace: Workspace) -> list[RatingData]:
    ratings = Rating.objects.filter(workspace=workspace).select_related("target", "rater")
    return [
        RatingData(
            target=r.target.code,
            rater=r.rater.get_full_name() or r.rater.email,
            importance=r.importance,
            influence=r.influence,
            comment=r.comment,
        )
        for r in ratings
    ]


def _goal_from(
    data: dict[str, Any], targets: dict[str, Target], language: str, code: str | None
) -> GoalOut:
    from django.utils import timezone

    from lokalmaal.localgoals.followup import follow_indicator

    year = timezone.localdate().year
    indicators = []
    for row in data["indicators"]:
        follow = follow_indicator(row, code, language, year)
        indicators.append(
            LocalGoalIndicatorOut(
                **{name: row.get(name) for name in ("id", *INDICATOR_FIELDS)},
                latest_value=follow.latest_value,
                latest_year=follow.latest_year,
                status=follow.status,
                status_label=follow.status_label,
                decimals=follow.decimals,
            )
        )
    return GoalOut(
        id=data["id"],
        kind=data["kind"],
        title=data["title"],
        description=data["description"],
        strategies=data["strategies"],
        responsible_unit=data["responsible_unit"],
        parent_id=data.get("parent_id"),
        version=data.get("version", 1),
        targets=[
            _target(targets[t["code"]], language) for t in data["targets"] if t["code"] in targets
        ],
        indicators=indicators,
    )


def get_workspace(
    workspace: Workspace, viewer: Person, requested_language: str, *, public: bool = False
) -> WorkspaceOut:
    """Members see the working goals and the analysis; everyone else (and every viewer of a
    `public` page) the newest adopted version, and the analysis only when it was published."""
    from lokalmaal.localgoals import versions

    language = workspace_language(workspace, requested_language)
    targets = {t.code: t for t in Target.objects.all()}
    member = is_member(viewer, workspace) and not public
    content = versions.shown_content(workspace, adopted_only=not member)
    if content is None:
        content = versions.Content(None, None, "", "", [], [])
    show_analysis = member or (workspace.published and workspace.analysis_published)
    prioritised = set(workspace.priorities.values_list("target__code", flat=True))
    ratings = rating_data(workspace) if show_analysis else []
    summaries = analysis.summarise(ratings)
    elsewhere = _prioritised_elsewhere(workspace) if show_analysis else {}
    region = workspace.organisation.region
    code = region.code if region else None
    return WorkspaceOut(
        **_summary(workspace).model_dump(),
        period_start=workspace.period_start,
        period_end=workspace.period_end,
        adopted_on=content.adopted_on,
        case_number=content.case_number,
        adopted_by=content.body,
        adopted_version=content.number,
        versions=[
            VersionOut(
                number=v.number, adopted_on=v.adopted_on, body=v.body, case_number=v.case_number
            )
            for v in workspace.versions.all()
        ],
        consultation_deadline=workspace.consultation_deadline,
        language=language,
        priorities=[_target(targets[c], language) for c in content.priorities if c in targets],
        goals=[_goal_from(g, targets, language, code) for g in content.goals],
        analysis_published=workspace.analysis_published,
        ratings=[
            SummaryOut(
                target=_target(targets[s.target], language),
                raters=s.raters,
                importance_mean=s.importance_mean,
                influence_mean=s.influence_mean,
                importance_spread=s.importance_spread,
                influence_spread=s.influence_spread,
                score=s.score,
                disagreement=s.disagreement,
                prioritised=s.target in prioritised,
                prioritised_elsewhere=elsewhere.get(s.target, 0),
                comments=list(s.comments),
            )
            for s in summaries
        ],
        raters=len({r.rater for r in ratings}),
        may_edit=may_edit(viewer, workspace),
        may_adopt=may_adopt(viewer, workspace),
    )


def _prioritised_elsewhere(workspace: Workspace) -> dict[str, int]:
    rows = (
        Priority.objects.filter(workspace__published=True)
        .exclude(workspace__organisation=workspace.organisation)
        .values("target__code")
        .annotate(count=Count("workspace__organisation", distinct=True))
        .order_by()
    )
    return {row["target__code"]: row["count"] for row in rows}


def candidate_targets(workspace: Workspace, show_all: bool, goal: int | None) -> list[Target]:
    """Targets to rate: by default those relevant (high or medium) for this kind of organisation."""
    targets = Target.objects.select_related("local", "goal").order_by("goal", "position")
    if goal is not None:
        targets = targets.filter(goal_id=goal)
    if show_all:
        return list(targets)
    field = (
        "local__relevance_county"
        if workspace.organisation.kind == OrganisationKind.COUNTY
        else "local__relevance_municipality"
    )
    return list(targets.filter(**{f"{field}__in": ["high", "medium"]}))


def my_ratings(workspace: Workspace, person: Person) -> dict[str, Rating]:
    if not person.is_authenticated:
        return {}
    ratings = Rating.objects.filter(workspace=workspace, rater=person).select_related("target")
    return {r.target.code: r for r in ratings}


def goal_set_data(
    workspace: Workspace, requested_language: str, *, adopted_only: bool = False
) -> GoalSetData:
    """The goal set for exports: the working goals, or the newest adopted version for people
    outside the organisation."""
    from lokalmaal.localgoals import versions
    from lokalmaal.localgoals.labels import plan_type_label, status_label

    language = workspace_language(workspace, requested_language)
    targets = {t.code: t for t in Target.objects.all()}
    content = versions.shown_content(workspace, adopted_only=adopted_only)
    if content is None:
        content = versions.Content(None, None, "", "", [], [])

    def ref(code: str) -> TargetRef:
        target = targets[code]
        return TargetRef(code=target.code, goal=target.goal_id, title=target.title_in(language))

    goals = tuple(
        GoalData(
            id=g["id"],
            kind=g["kind"],
            title=g["title"],
            description=g["description"],
            strategies=g["strategies"],
            responsible_unit=g["responsible_unit"],
            targets=tuple(ref(t["code"]) for t in g["targets"] if t["code"] in targets),
            indicators=tuple(
                IndicatorData(**{name: i.get(name) for name in INDICATOR_FIELDS})
                for i in g["indicators"]
            ),
            parent_id=g.get("parent_id"),
        )
        for g in content.goals
    )
    return GoalSetData(
        organisation=workspace.organisation.name,
        title=workspace.title,
        plan_type_label=plan_type_label(workspace.plan_type, language),
        language=language,
        status_label=status_label(
            "adopted" if content.number is not None else workspace.status, language
        ),
        adopted_on=content.adopted_on,
        case_number=content.case_number,
        priorities=tuple(ref(c) for c in content.priorities if c in targets),
        goals=goals,
    )


class PrioritisedBy(BaseModel):
    workspace_id: int
    workspace: str
    organisation: str
    region_code: str | None
    region_name: str | None
    county_code: str | None
    population: int | None
    public_url: str  # the public goals page where this goal set is shown


SIZE_CLASSES = {"small": (0, 4999), "medium": (5000, 19999), "large": (20000, 10**9)}


def prioritised_by(code: str, county: str = "", size: str = "") -> list[PrioritisedBy]:
    """Published goal sets that prioritise this target: who else works on it."""
    priorities = (
        Priority.objects.filter(
            target__code=code, workspace__published=True, workspace__versions__isnull=False
        )
        .distinct()
        .select_related("workspace__organisation__region__parent")
        .prefetch_related("workspace__organisation__region__population")
    )
    found = []
    for priority in priorities:
        workspace = priority.workspace
        region = workspace.organisation.region
        figures = list(region.population.all()) if region else []
        population = figures[-1].value if figures else None
        county_code = None
        if region is not None:
            county_code = (
                region.code
                if region.kind == RegionKind.COUNTY
                else (region.parent.code if region.parent else None)
            )
        if county and county_code != county:
            continue
        if size in SIZE_CLASSES and (
            population is None or not SIZE_CLASSES[size][0] <= population <= SIZE_CLASSES[size][1]
        ):
            continue
        found.append(
            PrioritisedBy(
                workspace_id=workspace.pk,
                workspace=workspace.title,
                organisation=workspace.organisation.name,
                region_code=region.code if region else None,
                region_name=region.name if region else None,
                county_code=county_code,
                population=population,
                public_url=_public_url(region, workspace.pk),
            )
        )
    return found


def _public_url(region: Any, workspace_id: int) -> str:
    if region is None:
        return ""
    folder = "fylker" if region.kind == RegionKind.COUNTY else "kommuner"
    return f"/{folder}/{region.code}/lokale-mal/#set-{workspace_id}"


def published_for_region(code: str) -> list[WorkspaceSummary]:
    workspaces = Workspace.objects.filter(
        published=True, organisation__region__code=code, versions__isnull=False
    ).distinct()
    return list_workspaces(workspaces)


class Step(BaseModel):
    key: str
    done: bool
    current: bool
    url: str
    detail: str


def workspace_steps(workspace: Workspace, viewer: Person, detail: WorkspaceOut) -> list[Step]:
    """The guided order: rate → result → prioritise → goals → consultation → adopt → publish,
    each done or not, the first one not done being the next."""
    from django.utils.translation import gettext as _

    relevant = candidate_targets(workspace, False, None)
    mine = my_ratings(workspace, viewer)
    rated = sum(1 for t in relevant if t.code in mine)
    with_indicators = sum(1 for g in detail.goals if g.targets and g.indicators)
    statuses = set(workspace.changes.filter(action="status").values_list("summary", flat=True))
    comments = workspace.consultation_comments.count()
    last = workspace.versions.order_by("-number").first()
    base = f"/arbeidsrom/{workspace.pk}/"
    steps = [
        ("rate", rated > 0, base + "vurder/",
         _("You have rated %(rated)s of %(total)s targets.") % {"rated": rated, "total": len(relevant)}),
        ("result", detail.raters >= 2, base + "resultat/",
         _("%(count)s raters so far; ask at least two.") % {"count": detail.raters}),
        ("prioritise", bool(detail.priorities), base + "resultat/",
         _("%(count)s priority targets.") % {"count": len(detail.priorities)}),
        ("goals", with_indicators > 0, base + "mal/",
         _("%(goals)s goals, %(measured)s with targets and indicators.")
         % {"goals": len(detail.goals), "measured": with_indicators}),
        ("consultation", Status.CONSULTATION in statuses or workspace.status == Status.CONSULTATION,
         base + "horing/", _("%(count)s consultation comments.") % {"count": comments}),
        ("adopt", last is not None, base + "#status",
         _("Adopted version %(n)s.") % {"n": last.number}
         if last is not None else _("Recorded by an organisation admin.")),
        ("publish", workspace.published, base + "#status",
         _("The adopted goals are public.") if workspace.published else _("Not public yet.")),
    ]  # fmt: skip
    first_open = next((key for key, done, _u, _d in steps if not done), None)
    return [
        Step(key=key, done=done, current=key == first_open, url=url, detail=text)
        for key, done, url, text in steps
    ]
