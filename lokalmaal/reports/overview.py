"""KS's national overview of the sector: who works on the SDGs in Lokalmål, which targets are
prioritised most, how the indicators stand across all municipalities, and the practice examples
and networks per county. The page /oversikt/ and /api/v1/overview/ share `national_overview`.

Privacy: only published material is counted by name (published, adopted goal sets; published
plan analyses; published public examples; public networks). Unpublished work appears only in the
headline counts, and a count below SMALL_COUNT under a filter is shown as "fewer than 3" so that
no single organisation's unpublished work can be singled out.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel

from lokalmaal.catalogue.models import Target
from lokalmaal.indicators import analysis
from lokalmaal.indicators import reads as indicators
from lokalmaal.indicators.models import Indicator, IndicatorValue
from lokalmaal.localgoals.analysis import target_sort_key
from lokalmaal.localgoals.models import Status, Workspace
from lokalmaal.regions.models import PopulationFigure, Region, RegionKind
from lokalmaal.reports import published

SMALL_COUNT = 3
SIZES = {"small": (0, 4999), "medium": (5000, 19999), "large": (20000, 10**9)}


@dataclass(frozen=True)
class Filters:
    county: str = ""
    size: str = ""
    kostra: str = ""
    target: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "Filters":
        size = str(query.get("storleik", query.get("size", "")))[:10]
        return cls(
            county=str(query.get("fylke", query.get("county", "")))[:2],
            size=size if size in SIZES else "",
            kostra=str(query.get("kostra", ""))[:8],
            target=str(query.get("delmal", query.get("target", "")))[:6],
        )

    @property
    def active(self) -> bool:
        return bool(self.county or self.size or self.kostra)


class CountOut(BaseModel):
    key: str
    label: str
    value: int | None  # None: fewer than SMALL_COUNT under a filter, not shown
    text: str


class TargetCountOut(BaseModel):
    code: str
    title: str
    organisations: int
    names: list[str]  # published goal sets only


class GoalStatusOut(BaseModel):
    goal: int
    title: str
    on_track: int  # target reached, substantial or moderate progress
    worsening: int  # limited progress or deterioration
    unknown: int  # too few figures or no preferred direction
    outdated: int
    missing: int


class CountyOut(BaseModel):
    code: str
    name: str
    examples: int
    example_titles: list[str]
    networks: int
    network_names: list[str]
    published_goal_sets: int


class MapRegionOut(BaseModel):
    code: str
    name: str
    highlighted: bool


class OverviewOut(BaseModel):
    municipalities: int  # in the filtered selection
    counts: list[CountOut]
    targets: list[TargetCountOut]
    goals: list[GoalStatusOut]
    counties: list[CountyOut]
    map_regions: list[MapRegionOut]
    map_view_box: str
    map_target: str


def filter_choices() -> dict[str, object]:
    counties = Region.objects.filter(kind=RegionKind.COUNTY).order_by("name_no")
    groups = (
        Region.objects.filter(kind=RegionKind.MUNICIPALITY)
        .exclude(kostra_group="")
        .order_by("kostra_group")
        .values_list("kostra_group", flat=True)
        .distinct()
    )
    return {
        "counties": [(c.code, c.name) for c in counties],
        "sizes": [
            ("small", _("Under 5,000 inhabitants")),
            ("medium", _("5,000–19,999 inhabitants")),
            ("large", _("20,000 inhabitants or more")),
        ],
        "kostra": list(groups),
    }


def _selection(filters: Filters) -> list[Region]:
    """The municipalities the filters select."""
    regions = Region.objects.filter(kind=RegionKind.MUNICIPALITY).select_related("parent")
    if filters.county:
        regions = regions.filter(parent__code=filters.county)
    if filters.kostra:
        regions = regions.filter(kostra_group=filters.kostra)
    selected = list(regions.order_by("code"))
    if filters.size:
        low, high = SIZES[filters.size]
        population = dict(
            PopulationFigure.objects.filter(year=2024, region__in=selected).values_list(
                "region_id", "value"
            )
        )
        selected = [r for r in selected if low <= population.get(r.pk, -1) <= high]
    return selected


def national_overview(language: str, filters: Filters) -> OverviewOut:
    municipalities = _selection(filters)
    ids = [m.pk for m in municipalities]
    # Counties count when unfiltered, or when the county filter names them.
    county_filter: dict[str, object] = {"kind": RegionKind.COUNTY}
    if filters.county:
        county_filter["code"] = filters.county
    counties = (
        list(Region.objects.filter(**county_filter).values_list("pk", flat=True))
        if not (filters.size or filters.kostra)
        else []
    )
    return OverviewOut(
        municipalities=len(municipalities),
        counts=_counts(ids, counties, filters.active),
        targets=_targets(ids + counties, language),
        goals=_goal_statuses([m.code for m in municipalities], language),
        counties=_counties(filters),
        map_regions=[],
        map_view_box="",
        map_target=filters.target,
    ).model_copy(update=_map(municipalities, filters.target))


def _shown(key: str, label: str, value: int, small: bool) -> CountOut:
    if small and 0 < value < SMALL_COUNT:
        return CountOut(key=key, label=label, value=None, text=_("fewer than 3"))
    return CountOut(key=key, label=label, value=value, text=str(value))


def _counts(municipalities: list[int], counties: list[int], filtered: bool) -> list[CountOut]:
    from lokalmaal.plans.models import PlanDocument
    from lokalmaal.plans.models import Status as PlanStatus

    regions = municipalities + counties

    def organisations(queryset: object, field: str, among: list[int]) -> int:
        return int(
            queryset.filter(**{f"{field}__in": among})  # type: ignore[attr-defined]
            .values(field)
            .distinct()
            .count()
        )

    workspaces = Workspace.objects.all()
    public = published.published_sets()
    adopted = Workspace.objects.filter(status__in=[Status.ADOPTED, Status.REVISED])
    plans = PlanDocument.objects.filter(status=PlanStatus.DONE)
    region = "organisation__region"
    return [
        _shown("municipalities_with_workspaces", _("Municipalities with a planning workspace"), organisations(workspaces, region, municipalities), filtered),
        _shown("counties_with_workspaces", _("Counties with a planning workspace"), organisations(workspaces, region, counties), filtered),
        _shown("published_goal_sets", _("Published goal sets"), public.filter(organisation__region__in=regions).count(), False),
        _shown("adopted_goal_sets", _("Adopted goal sets (published or not)"), adopted.filter(organisation__region__in=regions).count(), filtered),
        _shown("analysed_plans", _("Plans analysed (published or not)"), plans.filter(organisation__region__in=regions).count(), filtered),
        _shown("published_plan_analyses", _("Published plan analyses"), plans.filter(published=True, organisation__region__in=regions).count(), False),
    ]  # fmt: skip


def _targets(regions: list[int], language: str, limit: int = 30) -> list[TargetCountOut]:
    """Targets by how many organisations prioritise them in published goal sets (as adopted)."""
    sets = list(published.published_sets().filter(organisation__region__in=regions))
    priorities = published.adopted_priorities(sets)
    names: dict[str, set[str]] = defaultdict(set)
    for workspace in sets:
        for code in priorities.get(workspace.pk, []):
            names[code].add(workspace.organisation.name)
    titles = {t.code: t.title_in(language) for t in Target.objects.filter(code__in=names)}
    ranked = sorted(names, key=lambda c: (-len(names[c]), target_sort_key(c)))[:limit]
    return [
        TargetCountOut(
            code=code,
            title=titles.get(code, ""),
            organisations=len(names[code]),
            names=sorted(names[code]),
        )
        for code in ranked
    ]


def _goal_statuses(codes: list[str], language: str) -> list[GoalStatusOut]:
    statuses = indicators.memo("overview:statuses", _all_statuses)
    goal_of = indicators.memo("overview:goal_of", _goal_of)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for code in codes:
        found = statuses.get(code, {})
        for indicator, goal in goal_of.items():
            counts[goal][_bucket(found.get(indicator, "no_data"))] += 1
    names = indicators.goal_names(language)
    return [
        GoalStatusOut(
            goal=goal,
            title=names.get(goal, ""),
            on_track=counts[goal]["on_track"],
            worsening=counts[goal]["worsening"],
            unknown=counts[goal]["unknown"],
            outdated=counts[goal]["outdated"],
            missing=counts[goal]["missing"],
        )
        for goal in range(1, 18)
        if goal in counts
    ]


def _bucket(status: str) -> str:
    if status in ("target_achieved", "substantial_progress", "moderate_progress"):
        return "on_track"
    if status in ("limited_progress", "deterioration"):
        return "worsening"
    if status == "outdated":
        return "outdated"
    if status == "no_data":
        return "missing"
    return "unknown"


def _goal_of() -> dict[str, int]:
    """Each indicator's goal: the first goal among its targets, as on the dashboards."""
    result: dict[str, int] = {}
    for indicator in Indicator.objects.prefetch_related("targets"):
        goals = sorted({t.goal_id for t in indicator.targets.all()})
        if goals:
            result[indicator.id] = goals[0]
    return result


def _all_statuses() -> dict[str, dict[str, str]]:
    """Status of every indicator in every municipality by the dashboards' rules (old figures get
    no verdict; moving averages compared without overlap; inherited years only when the newest
    is inherited too), read in one query instead of 357 dashboards."""
    this_year = timezone.localdate().year
    library = {i.id: i for i in Indicator.objects.all()}
    windows: dict[str, int] = {}
    series: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    inherited: dict[tuple[str, str], set[int]] = defaultdict(set)
    rows = IndicatorValue.objects.filter(region__kind=RegionKind.MUNICIPALITY).exclude(value=None)
    for key, code, year, value, start, heir in rows.values_list(
        "indicator_id", "region__code", "year", "value", "period_start", "inherited_from"
    ):
        if value is None:
            continue
        series[(key, code)][year] = value
        if heir:
            inherited[(key, code)].add(year)
        if start is not None:
            windows[key] = max(windows.get(key, 1), year - start + 1)
    result: dict[str, dict[str, str]] = defaultdict(dict)
    for (indicator_id, code), own in series.items():
        indicator = library.get(indicator_id)
        if indicator is None:
            continue
        latest = max(own)
        if analysis.is_outdated(latest, this_year):
            result[code][indicator_id] = "outdated"
            continue
        heirs = inherited.get((indicator_id, code), set())
        if latest not in heirs:
            own = {y: v for y, v in own.items() if y not in heirs}
        compared = analysis.non_overlapping(own, windows.get(indicator_id, 1))
        progress = analysis.assess_progress(compared, indicator.direction, indicator.target_2030)
        result[code][indicator_id] = progress.status
    return dict(result)


def _counties(filters: Filters) -> list[CountyOut]:
    from lokalmaal.arena.models import Example, Visibility
    from lokalmaal.arena.models import Status as ExampleStatus
    from lokalmaal.networks.models import Network
    from lokalmaal.networks.models import Visibility as NetworkVisibility

    counties = Region.objects.filter(kind=RegionKind.COUNTY).order_by("name_no")
    if filters.county:
        counties = counties.filter(code=filters.county)
    examples = Example.objects.filter(
        status=ExampleStatus.PUBLISHED, visibility=Visibility.PUBLIC
    ).prefetch_related("organisations__region")
    by_county_examples: dict[str, set[str]] = defaultdict(set)
    for example in examples:
        for organisation in example.organisations.all():
            county = _county_code(organisation.region)
            if county:
                by_county_examples[county].add(example.title)
    by_county_networks: dict[str, set[str]] = defaultdict(set)
    for network in Network.objects.filter(visibility=NetworkVisibility.PUBLIC).select_related(
        "region__parent"
    ):
        county = _county_code(network.region)
        if county:
            by_county_networks[county].add(network.name)
    sets = Counter(_county_code(w.organisation.region) for w in published.published_sets())
    return [
        CountyOut(
            code=c.code,
            name=c.name,
            examples=len(by_county_examples[c.code]),
            example_titles=sorted(by_county_examples[c.code]),
            networks=len(by_county_networks[c.code]),
            network_names=sorted(by_county_networks[c.code]),
            published_goal_sets=sets.get(c.code, 0),
        )
        for c in counties
    ]


def _county_code(region: Region | None) -> str:
    if region is None:
        return ""
    if region.kind == RegionKind.COUNTY:
        return region.code
    return region.parent.code if region.parent else ""


def _map(municipalities: list[Region], target: str) -> dict[str, object]:
    """Every municipality in the selection; highlighted where a published, adopted goal set
    prioritises `target` (or any target, without one)."""
    from lokalmaal.web import maps

    drawing = indicators.memo("map:municipalities", maps._draw_municipalities)
    if drawing is None:
        return {}
    sets = list(published.published_sets())
    adopted = published.adopted_priorities(sets)
    marked = {
        w.organisation.region.code
        for w in sets
        if w.organisation.region is not None
        and adopted.get(w.pk)
        and (not target or target in adopted[w.pk])
    }
    selected = {m.code for m in municipalities}
    return {
        "map_view_box": drawing.view_box,
        "map_regions": [
            MapRegionOut(code=s.code, name=s.label, highlighted=s.code in marked)
            for s in drawing.shapes
            if s.code in selected
        ],
    }


def map_paths() -> dict[str, str]:
    """The outline of every municipality, for the page's map (drawn once per data version)."""
    from lokalmaal.web import maps

    drawing = indicators.memo("map:municipalities", maps._draw_municipalities)
    return {s.code: s.path for s in drawing.shapes} if drawing else {}
