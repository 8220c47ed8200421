"""Reads of indicators shared by the pages and the API."""

import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import cast

from django.db.models import Prefetch
from django.http import Http404
from pydantic import BaseModel

from lokalmaal.catalogue.models import Target
from lokalmaal.indicators import analysis, peers
from lokalmaal.indicators.labels import status_label, status_symbol, trend_label
from lokalmaal.indicators.models import DataVersion, Indicator, IndicatorValue
from lokalmaal.regions.models import PopulationFigure, Region, RegionKind


class SourceOut(BaseModel):
    kind: str
    ssb_table: str | None
    title: str
    url: str
    note: str


class IndicatorOut(BaseModel):
    id: str
    name: str
    definition: str
    unit: str
    direction: str
    sdg_targets: list[str]
    kostra: bool
    evaluation_type: str
    quality_class: str
    source: SourceOut
    target_2030: float | None
    target_citation: str
    regions_with_data: int


def _source(indicator: Indicator) -> SourceOut:
    source = indicator.source
    url = str(source.get("url", ""))
    if indicator.source_kind == "ssb" and not url:
        url = f"https://www.ssb.no/statbank/table/{source.get('table')}"
    return SourceOut(
        kind=indicator.source_kind,
        ssb_table=indicator.ssb_table,
        title=str(source.get("title") or source.get("file") or source.get("publisher") or ""),
        url=url,
        note=str(source.get("note", "")),
    )


def _indicator(indicator: Indicator, language: str, with_data: dict[str, int]) -> IndicatorOut:
    return IndicatorOut(
        id=indicator.id,
        name=indicator.text("name", language),
        definition=indicator.text("definition", language),
        unit=indicator.text("unit", language),
        direction=indicator.direction,
        sdg_targets=[t.code for t in indicator.targets.all()],
        kostra=indicator.kostra,
        evaluation_type=indicator.evaluation_type,
        quality_class=indicator.quality_class,
        source=_source(indicator),
        target_2030=indicator.target_2030,
        target_citation=indicator.target_citation,
        regions_with_data=with_data.get(indicator.id, 0),
    )


def _regions_with_data() -> dict[str, int]:
    rows = (
        IndicatorValue.objects.exclude(value=None)
        .values_list("indicator_id", "region_id")
        .distinct()
    )
    counts: dict[str, int] = defaultdict(int)
    for indicator_id, _region in rows:
        counts[indicator_id] += 1
    return counts


def _library() -> list[Indicator]:
    targets = Target.objects.order_by("goal", "position")
    return list(Indicator.objects.prefetch_related(Prefetch("targets", targets)))


def list_indicators(language: str, goal: int | None = None) -> list[IndicatorOut]:
    with_data = _regions_with_data()
    indicators = _library()
    if goal is not None:
        indicators = [i for i in indicators if any(t.goal_id == goal for t in i.targets.all())]
    return [_indicator(i, language, with_data) for i in indicators]


# --- A region's dashboard ---------------------------------------------------------------


class RegionIndicatorOut(BaseModel):
    indicator: str
    name: str
    unit: str
    goal: int
    sdg_targets: list[str]
    value: float | None
    year: int | None
    status: str
    status_label: str
    status_symbol: str
    trend: str
    trend_label: str
    explanation: str
    peer_median: float | None
    size_class: str
    size_class_median: float | None  # municipalities of the same size (KOSTRA groups need Klass)
    county_median: float | None
    country_median: float | None
    distance_to_target: float | None
    target_2030: float | None
    estimated: bool
    source: SourceOut


def _series(
    indicator_id: str | None = None, region: str | None = None
) -> dict[tuple[str, str], dict[int, float]]:
    values = IndicatorValue.objects.exclude(value=None)
    if indicator_id:
        values = values.filter(indicator_id=indicator_id)
    if region:
        values = values.filter(region__code=region)
    series: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for indicator, code, year, value in values.values_list(
        "indicator_id", "region__code", "year", "value"
    ):
        if value is not None:
            series[(indicator, code)][year] = value
    return series


def _median_at(
    series: dict[tuple[str, str], dict[int, float]], indicator: str, codes: list[str], year: int
) -> float | None:
    found = [series[(indicator, c)][year] for c in codes if year in series.get((indicator, c), {})]
    return round(statistics.median(found), 2) if found else None


_MEMO: dict[str, object] = {}
_LOCK = threading.RLock()
_VERSION_TTL = 2.0  # seconds a process trusts the data version it last read


def data_version() -> int:
    """The current data version, read from the database at most every couple of seconds."""
    with _LOCK:
        now = time.monotonic()
        if "seen_version" not in _MEMO or now - cast(float, _MEMO["checked_at"]) >= _VERSION_TTL:
            _MEMO["seen_version"] = DataVersion.current()
            _MEMO["checked_at"] = now
        return cast(int, _MEMO["seen_version"])


def memo[T](key: str, compute: Callable[[], T]) -> T:
    """Process-wide memo of heavy computations, valid until the indicator data changes.

    Every page of every municipality needs the whole value table and the structural profiles;
    they change only when `data load` or `data update` runs (which bumps DataVersion)."""
    version = data_version()
    with _LOCK:
        if _MEMO.get("version") != version:
            for stale in [k for k in _MEMO if k not in ("checked_at", "seen_version")]:
                del _MEMO[stale]
            _MEMO["version"] = version
        if key in _MEMO:
            return cast(T, _MEMO[key])
    value = compute()  # outside the lock: two threads may both compute once, which is harmless
    with _LOCK:
        _MEMO.setdefault(key, value)
        return cast(T, _MEMO[key])


def region_indicators(code: str, language: str) -> list[RegionIndicatorOut]:
    """A municipality's dashboard rows; computed once per data version and language."""
    return memo(f"dashboard:{code}:{language}", lambda: _region_indicators(code, language))


def comparison_groups(region: Region) -> dict[str, list[str]]:
    """The municipalities a municipality is compared with: its similar ones, those of the same
    size, its county and the whole country."""
    municipalities = memo(
        "municipalities",
        lambda: list(
            Region.objects.filter(kind=RegionKind.MUNICIPALITY).values_list("code", "parent__code")
        ),
    )
    county = region.parent.code if region.parent else None
    sizes = memo("size_classes", _size_classes)
    return {
        "similar": [m.code for m in similar_municipalities(region.code)],
        "size": [c for c, size in sizes.items() if size == sizes.get(region.code)],
        "county": [c for c, parent in municipalities if parent == county],
        "country": [c for c, _parent in municipalities],
    }


def _region_indicators(code: str, language: str) -> list[RegionIndicatorOut]:
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise Http404("No such region")
    if region.kind != RegionKind.MUNICIPALITY:
        return []
    series = memo("series", _series)
    groups = comparison_groups(region)
    in_county, everyone = groups["county"], groups["country"]
    similar_codes, same_size = groups["similar"], groups["size"]
    sizes = memo("size_classes", _size_classes)
    estimated = set(
        IndicatorValue.objects.filter(region=region, estimated=True).values_list(
            "indicator_id", "year"
        )
    )
    result = []
    for indicator in _library():
        own = series.get((indicator.id, code), {})
        progress = analysis.assess_progress(own, indicator.direction, indicator.target_2030)
        year = max(own) if own else None
        value = own[year] if year is not None else None
        status = progress.status if own else "no_data"
        goals = sorted({t.goal_id for t in indicator.targets.all()})
        result.append(
            RegionIndicatorOut(
                indicator=indicator.id,
                name=indicator.text("name", language),
                unit=indicator.text("unit", language),
                goal=goals[0] if goals else 0,
                sdg_targets=[t.code for t in indicator.targets.all()],
                value=value,
                year=year,
                status=status,
                status_label=status_label(status, language),
                status_symbol=status_symbol(status),
                trend=progress.trend,
                trend_label=trend_label(progress.trend, language),
                explanation=progress.explanation if own else "",
                peer_median=_median_at(series, indicator.id, similar_codes, year) if year else None,
                size_class=sizes.get(code, ""),
                size_class_median=_median_at(series, indicator.id, same_size, year)
                if year
                else None,
                county_median=_median_at(series, indicator.id, in_county, year) if year else None,
                country_median=_median_at(series, indicator.id, everyone, year) if year else None,
                distance_to_target=analysis.distance_to_target(
                    value, indicator.target_2030, indicator.direction
                )
                if value is not None and indicator.target_2030 is not None
                else None,
                target_2030=indicator.target_2030,
                estimated=(indicator.id, year) in estimated,
                source=_source(indicator),
            )
        )
    return sorted(result, key=lambda r: (r.goal, r.value is None, r.indicator))


def _size_classes() -> dict[str, str]:
    """Population-size class of every municipality (1 January 2024), the fallback grouping."""
    figures = PopulationFigure.objects.filter(year=2024, region__kind=RegionKind.MUNICIPALITY)
    return {
        code: peers.size_class(value)
        for code, value in figures.values_list("region__code", "value")
    }


# --- Similar municipalities -------------------------------------------------------------


class SimilarOut(BaseModel):
    code: str
    name: str
    distance: float
    explanation: str
    closest: list[tuple[str, str]]
    differs: list[tuple[str, str]]


def _profiles() -> list[peers.Profile]:
    regions = list(
        Region.objects.filter(kind=RegionKind.MUNICIPALITY).prefetch_related("population")
    )
    shares = dict(
        IndicatorValue.objects.filter(indicator_id="andel-67-og-eldre")
        .exclude(value=None)
        .values_list("region__code", "value")
    )
    profiles = []
    for region in regions:
        figures = {f.year: f.value for f in region.population.all()}
        population = figures.get(2024)
        growth = None
        if population and figures.get(2017):
            growth = (population / figures[2017] - 1) * 100
        density = population / region.area_km2 if population and region.area_km2 else None
        features: dict[str, float | None] = {
            "population": float(population) if population else None,
            "density": density,
            "population_growth": growth,
            "share_67_plus": shares.get(region.code),
            "area": region.area_km2,
        }
        profiles.append(peers.Profile(code=region.code, name=region.name, features=features))
    return profiles


def similar_municipalities(code: str, k: int = 10) -> list[SimilarOut]:
    profiles = memo("profiles", _profiles)
    matches = memo(f"similar:{code}:{k}", lambda: peers.similar(profiles, code, k=k))
    return [
        SimilarOut(
            code=m.code,
            name=m.name,
            distance=round(m.distance, 3),
            explanation=peers.explain(m),
            closest=list(m.closest),
            differs=list(m.differs),
        )
        for m in matches
    ]


# --- One indicator across municipalities ------------------------------------------------


class RegionValueOut(BaseModel):
    code: str
    name: str
    county: str
    year: int
    value: float
    estimated: bool


class IndicatorDetail(IndicatorOut):
    latest: list[RegionValueOut]
    years: list[int]
    country_median_by_year: dict[int, float]


def get_indicator(indicator_id: str, language: str) -> IndicatorDetail:
    indicator = Indicator.objects.prefetch_related("targets").filter(id=indicator_id).first()
    if indicator is None:
        raise Http404("No such indicator")
    values = (
        IndicatorValue.objects.filter(indicator=indicator, region__kind=RegionKind.MUNICIPALITY)
        .exclude(value=None)
        .select_related("region__parent")
        .order_by("region__code", "year")
    )
    latest: dict[str, IndicatorValue] = {}
    by_year: dict[int, list[float]] = defaultdict(list)
    for value in values:
        latest[value.region.code] = value
        assert value.value is not None
        by_year[value.year].append(value.value)
    base = _indicator(indicator, language, {indicator.id: len(latest)})
    return IndicatorDetail(
        **base.model_dump(),
        latest=[
            RegionValueOut(
                code=v.region.code,
                name=v.region.name,
                county=v.region.parent.name if v.region.parent else "",
                year=v.year,
                value=round(v.value or 0.0, 3),
                estimated=v.estimated,
            )
            for v in latest.values()
        ],
        years=sorted(by_year),
        country_median_by_year={
            y: round(statistics.median(v), 3) for y, v in sorted(by_year.items())
        },
    )


def region_series(indicator_id: str, code: str) -> dict[int, float]:
    return _series(indicator_id, code).get((indicator_id, code), {})


# --- Where indicators are missing -------------------------------------------------------


class TargetCoverage(BaseModel):
    code: str
    title: str
    relevance: str
    indicators: list[str]
    with_municipal_data: list[str]
    ssb_only: list[str]


class GoalCoverage(BaseModel):
    goal: int
    short: str
    targets: list[TargetCoverage]
    covered: int
    relevant: int


def coverage(language: str) -> list[GoalCoverage]:
    """For each locally relevant target: is there an indicator with municipal data?"""
    with_data = _regions_with_data()
    library = _library()
    by_target: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in library:
        for target in indicator.targets.all():
            by_target[target.code].append(indicator)
    from lokalmaal.catalogue.models import Goal

    result = []
    targets = Target.objects.select_related("local").order_by("goal", "position")
    goals = {g.number: g for g in Goal.objects.all()}
    grouped: dict[int, list[TargetCoverage]] = defaultdict(list)
    for target in targets:
        local = getattr(target, "local", None)
        relevance = local.relevance_municipality if local else "unknown"
        if relevance not in ("high", "medium"):
            continue
        indicators = by_target.get(target.code, [])
        grouped[target.goal_id].append(
            TargetCoverage(
                code=target.code,
                title=target.title_in(language),
                relevance=relevance,
                indicators=[i.id for i in indicators],
                with_municipal_data=[i.id for i in indicators if with_data.get(i.id)],
                ssb_only=[
                    i.id for i in indicators if not with_data.get(i.id) and i.source_kind == "ssb"
                ],
            )
        )
    for number, items in sorted(grouped.items()):
        result.append(
            GoalCoverage(
                goal=number,
                short=goals[number].short_in(language),
                targets=items,
                covered=sum(1 for t in items if t.with_municipal_data),
                relevant=len(items),
            )
        )
    return result


def goal_names(language: str) -> dict[int, str]:
    from lokalmaal.catalogue.models import Goal

    return memo(
        f"goals:{language}", lambda: {g.number: g.short_in(language) for g in Goal.objects.all()}
    )


# --- KS's reference vocabularies ---------------------------------------------------------


class ConceptOut(BaseModel):
    uri: str
    scheme: str
    title: str
    language: str
    targets: list[str]
    coverage: str
    evaluation: str
    source_url: str
    linked_indicators: list[str]


def framework_concepts(target: str) -> list[ConceptOut]:
    """Indicators from KS's vocabularies (De norske målepunktene, U4SSC, OECD, …) for a target."""
    from lokalmaal.indicators.models import FrameworkConcept

    concepts = FrameworkConcept.objects.prefetch_related("linked_indicators").order_by(
        "scheme_title", "title"
    )
    return [
        ConceptOut(
            uri=c.uri,
            scheme=c.scheme_title,
            title=c.title,
            language=c.language,
            targets=list(c.targets),
            coverage=c.coverage,
            evaluation=c.evaluation,
            source_url=c.source_url,
            linked_indicators=[i.id for i in c.linked_indicators.all()],
        )
        for c in concepts
        if target in c.targets
    ]


class ComparisonRow(BaseModel):
    year: int
    municipality: float | None
    similar: float | None
    county: float | None
    country: float | None


def comparison(indicator_id: str, code: str) -> list[ComparisonRow]:
    """The municipality against the medians of its similar municipalities, its county and the
    country, year by year."""
    series = memo("series", _series)
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise Http404("No such region")
    groups = comparison_groups(region)
    years = sorted(
        {
            year
            for (indicator, _c), values in series.items()
            if indicator == indicator_id
            for year in values
        }
    )
    own = series.get((indicator_id, code), {})
    return [
        ComparisonRow(
            year=year,
            municipality=own.get(year),
            similar=_median_at(series, indicator_id, groups["similar"], year),
            county=_median_at(series, indicator_id, groups["county"], year),
            country=_median_at(series, indicator_id, groups["country"], year),
        )
        for year in years
    ]
