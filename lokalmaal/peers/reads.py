"""The peer finder: municipalities a municipality can learn from, each with a way to reach them.

Four lists, shared by the page and its API twin:
* similar municipalities (structural nearest neighbours from indicators.peers, with why);
* among those, the ones that improved most on one indicator over a stated period, "better"
  taken from the indicator's direction;
* municipalities that prioritised the same SDG targets — named only from published workspaces;
  overlaps found in unpublished workspaces are only counted;
* published practice examples (arena) on the municipality's priority targets.

Privacy: a visitor sees the municipality's priorities from its published workspaces; a member of
the municipality's own organisation sees all of its workspaces' priorities. Contact persons of
examples are shown to logged-in people, or to everyone when the example says so.
"""

from collections import defaultdict
from typing import Literal

from django.db.models import QuerySet
from django.http import Http404
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel

from lokalmaal.accounts.models import Membership, Organisation
from lokalmaal.accounts.permissions import Person
from lokalmaal.arena import access as arena_access
from lokalmaal.arena.models import Example
from lokalmaal.catalogue.models import Target
from lokalmaal.indicators import peers
from lokalmaal.indicators import reads as indicator_reads
from lokalmaal.indicators.analysis import format_number
from lokalmaal.indicators.models import Indicator, IndicatorValue
from lokalmaal.localgoals.models import Priority, Workspace
from lokalmaal.regions.models import Region, RegionKind

SIMILAR_COUNT = 10
PERIOD_YEARS = 5  # the change is measured over about this many years, ending with the latest
SHOWN_EXAMPLES = 20

FEATURE_LABELS = {
    "population": gettext_lazy("population"),
    "density": gettext_lazy("population density"),
    "population_growth": gettext_lazy("population growth 2017–2024"),
    "share_67_plus": gettext_lazy("share aged 67+"),
    "centrality": gettext_lazy("centrality class"),
    "area": gettext_lazy("area"),
}


class PeerOrganisationRef(BaseModel):
    slug: str
    name: str


class SimilarPeer(BaseModel):
    code: str
    name: str
    distance: float
    explanation: str  # in the page's language, with both municipalities' figures
    organisation: PeerOrganisationRef | None


class ImprovementRow(BaseModel):
    code: str
    name: str
    start_value: float
    end_value: float
    change: float  # end − start, in the indicator's unit
    improvement: float | None  # the change counted in the better direction; None if neutral
    is_reference: bool
    organisation: PeerOrganisationRef | None


class Improvement(BaseModel):
    indicator: str
    name: str
    unit: str
    direction: str
    start_year: int | None
    end_year: int | None
    rows: list[ImprovementRow]  # most improved first; the municipality itself is among them
    without_figures: list[str]  # names of similar municipalities lacking either year


class PeerTargetRef(BaseModel):
    code: str
    title: str


class PriorityPeer(BaseModel):
    code: str
    name: str
    overlap: int
    shared: list[PeerTargetRef]
    organisation: PeerOrganisationRef


class PriorityOverlap(BaseModel):
    # "own": all workspaces of the viewer's own organisation; "published": published ones only
    source: Literal["own", "published"]
    targets: list[PeerTargetRef]
    peers: list[PriorityPeer]
    unnamed: int  # organisations overlapping only in unpublished workspaces: counted, not named


class ContactPerson(BaseModel):
    name: str
    role: str
    email: str
    phone: str


class ExampleRef(BaseModel):
    id: int
    title: str
    summary: str
    url: str | None
    shared: list[str]  # the municipality's priority targets the example works on
    organisations: list[PeerOrganisationRef]
    contact: ContactPerson | None  # logged-in people, or everyone if the example allows


class PeerFinderOut(BaseModel):
    code: str
    name: str
    similar: list[SimilarPeer]
    improvement: Improvement | None
    priorities: PriorityOverlap
    examples: list[ExampleRef]


# --- The municipality and the indicator ---------------------------------------------------


def access_municipality(code: str) -> Region:
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None or region.kind != RegionKind.MUNICIPALITY:
        raise Http404("No such municipality")
    return region


def indicators_with_data() -> list[Indicator]:
    """The library's indicators that have at least one municipal figure, in library order."""
    ids = indicator_reads.memo(
        "peer-indicators",
        lambda: set(
            IndicatorValue.objects.exclude(value=None)
            .filter(region__kind=RegionKind.MUNICIPALITY)
            .values_list("indicator_id", flat=True)
            .distinct()
        ),
    )
    return [i for i in Indicator.objects.all() if i.id in ids]


def default_indicator(code: str) -> Indicator | None:
    """The first indicator in the library with a preferred direction and at least two years of
    figures for the municipality, so a change can be measured; else the first with any data."""
    years: dict[str, int] = defaultdict(int)
    for indicator_id in (
        IndicatorValue.objects.filter(region__code=code)
        .exclude(value=None)
        .values_list("indicator_id", flat=True)
    ):
        years[indicator_id] += 1
    library = indicators_with_data()
    for indicator in library:
        if indicator.direction != "neutral" and years.get(indicator.id, 0) >= 2:
            return indicator
    return library[0] if library else None


# --- Similar municipalities ---------------------------------------------------------------


def _organisations(codes: list[str]) -> dict[str, PeerOrganisationRef]:
    found = Organisation.objects.filter(region__code__in=codes).values_list(
        "region__code", "slug", "name"
    )
    return {code: PeerOrganisationRef(slug=slug, name=name) for code, slug, name in found}


def _number(value: float, language: str) -> str:
    text = format_number(value)
    return text if language == "en" else text.replace(".", ",")


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def _describe(key: str, pair: tuple[float, float], language: str) -> str:
    unit = peers.FEATURES[key].unit if key in peers.FEATURES else ""
    label = str(FEATURE_LABELS.get(key, key.replace("_", " ")))
    first, second = (_number(value, language) + unit for value in pair)
    return _("%(label)s %(first)s vs %(second)s") % {
        "label": label,
        "first": first,
        "second": second,
    }


def explain(match: peers.Match, language: str) -> str:
    """peers.explain in the page's language: what is most alike and what differs most."""
    alike = _join([_describe(key, match.values[key], language) for key, _t in match.closest])
    unlike = _join([_describe(key, match.values[key], language) for key, _t in match.differs])
    names = {"name": match.name, "alike": alike, "differs": unlike}
    if alike and unlike:
        text = _("Most alike in %(alike)s; differs most in %(differs)s (%(name)s's figures first).")
    elif alike:
        text = _(
            "Most alike in %(alike)s, and differs little otherwise (%(name)s's figures first)."
        )
    else:
        text = _(
            "Among the closest available, but differs in %(differs)s (%(name)s's figures first)."
        )
    return text % names


def _matches(code: str) -> list[peers.Match]:
    # The same structural profiles and memo the SDG dashboard uses, so the lists agree; the
    # matches themselves (not indicators.reads.SimilarOut) carry the figures to translate.
    profiles = indicator_reads.memo("profiles", indicator_reads._profiles)
    return indicator_reads.memo(
        f"peer-matches:{code}", lambda: peers.similar(profiles, code, k=SIMILAR_COUNT)
    )


def similar(code: str, language: str) -> list[SimilarPeer]:
    matches = _matches(code)
    organisations = _organisations([m.code for m in matches])
    return [
        SimilarPeer(
            code=m.code,
            name=m.name,
            distance=round(m.distance, 3),
            explanation=explain(m, language),
            organisation=organisations.get(m.code),
        )
        for m in matches
    ]


# --- Most improved among the similar ------------------------------------------------------


def period(years: set[int]) -> tuple[int, int] | None:
    """(start, end): the latest year, and the earliest year at most PERIOD_YEARS before it (or
    the nearest earlier year when the source has none in that window)."""
    if len(years) < 2:
        return None
    end = max(years)
    window = [y for y in years if end - PERIOD_YEARS <= y < end]
    start = min(window) if window else max(y for y in years if y < end)
    return start, end


def better_change(change: float, direction: str) -> float | None:
    if direction == "higher":
        return change
    if direction == "lower":
        return -change
    return None


def improvement(
    region: Region, similar_codes: list[str], indicator: Indicator, language: str
) -> Improvement:
    codes = [region.code, *similar_codes]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    series: dict[str, dict[int, float]] = defaultdict(dict)
    for code, year, value in (
        IndicatorValue.objects.filter(indicator=indicator, region__code__in=codes)
        .exclude(value=None)
        .values_list("region__code", "year", "value")
    ):
        if value is not None:
            series[code][year] = value
    span = period({year for values in series.values() for year in values})
    organisations = _organisations(codes)
    rows: list[ImprovementRow] = []
    lacking: list[str] = []
    for code in codes:
        values = series.get(code, {})
        if span is None or span[0] not in values or span[1] not in values:
            if code != region.code:
                lacking.append(names.get(code, code))
            continue
        change = values[span[1]] - values[span[0]]
        rows.append(
            ImprovementRow(
                code=code,
                name=names.get(code, code),
                start_value=values[span[0]],
                end_value=values[span[1]],
                change=round(change, 6),
                improvement=better_change(round(change, 6), indicator.direction),
                is_reference=code == region.code,
                organisation=organisations.get(code),
            )
        )
    # Most improved first; without a better direction, the largest rise first.
    rows.sort(key=lambda r: (-(r.improvement if r.improvement is not None else r.change), r.name))
    return Improvement(
        indicator=indicator.id,
        name=indicator.text("name", language),
        unit=indicator.text("unit", language),
        direction=indicator.direction,
        start_year=span[0] if span else None,
        end_year=span[1] if span else None,
        rows=rows,
        without_figures=sorted(lacking),
    )


# --- Same priority targets -----------------------------------------------------------------


def _target_ref(target: Target, language: str) -> PeerTargetRef:
    return PeerTargetRef(code=target.code, title=target.title_in(language))


def own_organisation(region: Region, viewer: Person) -> Organisation | None:
    """The municipality's organisation if the viewer is one of its members."""
    if not viewer.is_authenticated:
        return None
    membership = (
        Membership.objects.filter(user_id=viewer.pk, organisation__region=region)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


def _reference_workspaces(region: Region, viewer: Person) -> tuple[str, QuerySet[Workspace]]:
    own = own_organisation(region, viewer)
    if own is not None:
        return "own", Workspace.objects.filter(organisation=own)
    return "published", Workspace.objects.filter(organisation__region=region, published=True)


def priorities(region: Region, viewer: Person, language: str) -> PriorityOverlap:
    source, workspaces = _reference_workspaces(region, viewer)
    targets = list(
        Target.objects.filter(priorities__workspace__in=workspaces)
        .distinct()
        .order_by("goal", "position")
    )
    others = (
        Priority.objects.filter(
            target__in=targets, workspace__organisation__region__kind=RegionKind.MUNICIPALITY
        )
        .exclude(workspace__organisation__region=region)
        .select_related("target", "workspace__organisation__region")
    )
    shared: dict[int, set[int]] = defaultdict(set)  # organisation id → target ids (published)
    hidden: set[int] = set()  # organisations with overlap in unpublished workspaces
    organisations: dict[int, Organisation] = {}
    for priority in others:
        organisation = priority.workspace.organisation
        if priority.workspace.published:
            shared[organisation.pk].add(priority.target_id)
            organisations[organisation.pk] = organisation
        else:
            hidden.add(organisation.pk)
    by_id = {t.pk: t for t in targets}
    found = []
    for organisation_id, target_ids in shared.items():
        organisation = organisations[organisation_id]
        assert organisation.region is not None
        common = sorted((by_id[t] for t in target_ids), key=lambda t: (t.goal_id, t.position))
        found.append(
            PriorityPeer(
                code=organisation.region.code,
                name=organisation.region.name,
                overlap=len(common),
                shared=[_target_ref(t, language) for t in common],
                organisation=PeerOrganisationRef(slug=organisation.slug, name=organisation.name),
            )
        )
    found.sort(key=lambda p: (-p.overlap, p.name))
    return PriorityOverlap(
        source=source,  # type: ignore[arg-type]  # one of the two literals above
        targets=[_target_ref(t, language) for t in targets],
        peers=found,
        unnamed=len(hidden - shared.keys()),
    )


# --- Published examples on the priority targets ----------------------------------------------


def _example_url(example: Example) -> str | None:
    try:
        return example.get_absolute_url()
    except NoReverseMatch:  # the arena's pages are not wired up (yet)
        return None


def _contact(example: Example, viewer: Person) -> ContactPerson | None:
    if not example.contact_name or not arena_access.may_see_contact(viewer, example):
        return None
    return ContactPerson(
        name=example.contact_name,
        role=example.contact_role,
        email=example.contact_email,
        phone=example.contact_phone,
    )


def examples(region: Region, target_codes: list[str], viewer: Person) -> list[ExampleRef]:
    """Published examples from other organisations on these targets, most shared targets first.
    Members-only examples and (unless the example allows) contact persons need a logged-in
    viewer."""
    if not target_codes:
        return []
    found = (
        arena_access.published_for(viewer)
        .filter(targets__code__in=target_codes)
        .exclude(organisations__region=region)
        .distinct()
        .prefetch_related("targets", "organisations")
    )
    wanted = set(target_codes)
    result = [
        ExampleRef(
            id=example.pk,
            title=example.title,
            summary=example.summary,
            url=_example_url(example),
            shared=sorted(t.code for t in example.targets.all() if t.code in wanted),
            organisations=[
                PeerOrganisationRef(slug=o.slug, name=o.name) for o in example.organisations.all()
            ],
            contact=_contact(example, viewer),
        )
        for example in found
    ]
    result.sort(key=lambda e: (-len(e.shared), e.title))
    return result[:SHOWN_EXAMPLES]


# --- All together -------------------------------------------------------------------------------


def peer_finder(
    code: str, viewer: Person, language: str, indicator: Indicator | None
) -> PeerFinderOut:
    region = access_municipality(code)
    similar_peers = similar(code, language)
    overlap = priorities(region, viewer, language)
    return PeerFinderOut(
        code=region.code,
        name=region.name,
        similar=similar_peers,
        improvement=improvement(region, [p.code for p in similar_peers], indicator, language)
        if indicator
        else None,
        priorities=overlap,
        examples=examples(region, [t.code for t in overlap.targets], viewer),
    )
