"""Reads of indicators shared by the pages and the API."""

import contextlib
import hashlib
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import NamedTuple, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone, translation
from pydantic import BaseModel

from lokalmaal.catalogue.models import Target
from lokalmaal.indicators import analysis, explain, peers
from lokalmaal.indicators.labels import status_label, status_symbol, trend_label
from lokalmaal.indicators.models import DataVersion, Indicator, IndicatorValue, period_label
from lokalmaal.regions.models import PopulationFigure, Region, RegionKind


class SourceOut(BaseModel):
    kind: str
    ssb_table: str | None
    publisher: str
    title: str
    label: str  # "SSB, tabell 07459: …" or "NAV, utbetalte ytelser …": never a file path
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


_TABLE = {"nb": "tabell", "nn": "tabell", "en": "table"}


def _source(indicator: Indicator, language: str = "nb") -> SourceOut:
    source = indicator.source
    table = str(source.get("table") or "")
    url = str(source.get("url", ""))
    if table and not url:
        url = f"https://www.ssb.no/statbank/table/{table}"
    publisher = str(source.get("publisher") or ("SSB" if indicator.source_kind == "ssb" else ""))
    title = str(source.get("title") or source.get("description") or "")
    label = f"{publisher}, {_TABLE.get(language, 'tabell')} {table}" if table else publisher
    if title:
        label = f"{label}: {title}" if table else f"{label}, {title}"
    return SourceOut(
        kind=indicator.source_kind,
        ssb_table=indicator.ssb_table or (table or None),
        publisher=publisher,
        title=title,
        label=label,
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
        source=_source(indicator, language),
        target_2030=indicator.target_2030,
        target_citation=indicator.target_citation,
        regions_with_data=with_data.get(indicator.id, 0),
    )


def _regions_with_data() -> dict[str, int]:
    """Municipalities with at least one figure, per indicator (not figures: the model's default
    ordering would put the year into DISTINCT)."""
    rows = (
        IndicatorValue.objects.exclude(value=None)
        .filter(region__kind=RegionKind.MUNICIPALITY)
        .order_by()
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
    """The library, or the part that measures a goal's targets; computed once per data version
    and language."""
    indicators = memo(f"indicators:{language}", lambda: _list_indicators(language))
    if goal is None:
        return indicators
    return [i for i in indicators if any(t.split(".")[0] == str(goal) for t in i.sdg_targets)]


def _list_indicators(language: str) -> list[IndicatorOut]:
    with_data = _regions_with_data()
    return [_indicator(i, language, with_data) for i in _library()]


# --- A region's dashboard ---------------------------------------------------------------


class RegionIndicatorOut(BaseModel):
    indicator: str
    name: str
    unit: str
    goal: int
    sdg_targets: list[str]
    value: float | None
    year: int | None
    period: str  # "2023" or "2022–2023" for a multi-year average; "" without a figure
    age: int | None  # years from the newest figure's last year to this year
    status: str
    status_label: str
    status_symbol: str
    trend: str
    trend_label: str
    explanation: str
    peer_median: float | None
    size_class: str
    size_class_median: float | None  # municipalities of the same size
    kostra_group: str  # SSB's KOSTRA group, e.g. "EKG07"; "" where the bundle has none
    kostra_group_median: float | None
    county_median: float | None
    country_median: float | None
    distance_to_target: float | None
    target_2030: float | None
    estimated: bool
    estimate_note: str  # why the figure is estimated, in the reader's language
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
_MISSING = object()
_SHARED_MEMO_SECONDS = 24 * 3600  # keys carry the data version; this only bounds old versions


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
    value = _shared_memo(f"memo:{version}:{key}", compute)
    with _LOCK:
        _MEMO.setdefault(key, value)
        return cast(T, _MEMO[key])


def _shared_memo[T](key: str, compute: Callable[[], T]) -> T:
    """With a shared cache (Redis), one app server computes and the others read its result once
    per data version; without one, each process computes. Outside the lock: two threads may both
    compute once, which is harmless."""
    if not settings.SHARED_CACHE:
        return compute()
    hashed = f"memo:{hashlib.sha256(key.encode()).hexdigest()}"
    try:
        found = cache.get(hashed, _MISSING)
    except Exception:  # the shared cache is down: compute here, pages must not fail for it
        found = _MISSING
    if found is not _MISSING:
        return cast(T, found)
    value = compute()
    with contextlib.suppress(Exception):  # unpicklable or too big: this process keeps its own
        cache.set(hashed, value, _SHARED_MEMO_SECONDS)
    return value


def region_indicators(code: str, language: str) -> list[RegionIndicatorOut]:
    """A municipality's dashboard rows; computed once per data version, language and year (a
    figure's age, and so its status, changes with the year)."""
    this_year = timezone.localdate().year
    return memo(
        f"dashboard:{code}:{language}:{this_year}",
        lambda: _region_indicators(code, language, this_year),
    )


def comparison_groups(region: Region) -> dict[str, list[str]]:
    """The municipalities a municipality is compared with: its similar ones, those of the same
    size, its county and the whole country."""
    municipalities = memo(
        "municipalities",
        lambda: list(
            Region.objects.filter(kind=RegionKind.MUNICIPALITY).values_list(
                "code", "parent__code", "kostra_group"
            )
        ),
    )
    county = region.parent.code if region.parent else None
    sizes = memo("size_classes", _size_classes)
    return {
        "similar": [m.code for m in similar_municipalities(region.code)],
        "size": [c for c, size in sizes.items() if size == sizes.get(region.code)],
        "kostra": [c for c, _p, group in municipalities if group and group == region.kostra_group],
        "county": [c for c, parent, _g in municipalities if parent == county],
        "country": [c for c, _p, _g in municipalities],
    }


def _windows() -> dict[str, int]:
    """Years per multi-year average, per indicator (FHI's five-year, SSB's two-year windows)."""
    rows = (
        IndicatorValue.objects.exclude(period_start=None)
        .order_by()
        .values_list("indicator_id", "year", "period_start")
        .distinct()
    )
    windows: dict[str, int] = {}
    for indicator, year, start in rows:
        if start is not None:
            windows[indicator] = max(windows.get(indicator, 1), year - start + 1)
    return windows


class _Figure(NamedTuple):
    period_start: int | None
    estimated: bool
    inherited_from: str


def _figures(region: Region) -> dict[tuple[str, int], _Figure]:
    rows = IndicatorValue.objects.filter(region=region).exclude(value=None)
    return {
        (indicator, year): _Figure(start, estimated, inherited)
        for indicator, year, start, estimated, inherited in rows.values_list(
            "indicator_id", "year", "period_start", "estimated", "inherited_from"
        )
    }


def _region_indicators(code: str, language: str, this_year: int) -> list[RegionIndicatorOut]:
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise Http404("No such region")
    if region.kind != RegionKind.MUNICIPALITY:
        return []
    series = memo("series", _series)
    windows = memo("windows", _windows)
    groups = comparison_groups(region)
    sizes = memo("size_classes", _size_classes)
    figures = _figures(region)
    result = []
    for indicator in _library():
        own = series.get((indicator.id, code), {})
        periods = {
            year: period_label(year, figures[(indicator.id, year)].period_start)
            for year in own
            if (indicator.id, year) in figures
        }
        year = max(own) if own else None
        value = own[year] if year is not None else None
        figure = figures.get((indicator.id, year)) if year is not None else None
        status, trend, explanation = _assess(
            indicator,
            _like_with_like(own, indicator.id, figures),
            windows.get(indicator.id, 1),
            periods,
            language,
            this_year,
        )
        goals = sorted({t.goal_id for t in indicator.targets.all()})
        at = year or 0  # medians only where there is a figure

        def median(group: str, at: int = at, indicator_id: str = indicator.id) -> float | None:
            return _median_at(series, indicator_id, groups[group], at) if at else None

        result.append(
            RegionIndicatorOut(
                indicator=indicator.id,
                name=indicator.text("name", language),
                unit=indicator.text("unit", language),
                goal=goals[0] if goals else 0,
                sdg_targets=[t.code for t in indicator.targets.all()],
                value=value,
                year=year,
                period=periods.get(year, str(year)) if year is not None else "",
                age=this_year - year if year is not None else None,
                status=status,
                status_label=status_label(status, language),
                status_symbol=status_symbol(status),
                trend=trend,
                trend_label=trend_label(trend, language),
                explanation=explanation,
                peer_median=median("similar"),
                size_class=sizes.get(code, ""),
                size_class_median=median("size"),
                kostra_group=region.kostra_group,
                kostra_group_median=median("kostra"),
                county_median=median("county"),
                country_median=median("country"),
                distance_to_target=analysis.distance_to_target(
                    value, indicator.target_2030, indicator.direction
                )
                if value is not None and indicator.target_2030 is not None
                else None,
                target_2030=indicator.target_2030,
                estimated=bool(figure and figure.estimated),
                estimate_note=explain.estimate_note(
                    region.name, periods.get(at, str(at)), figure.inherited_from, language
                )
                if figure and figure.estimated
                else "",
                source=_source(indicator, language),
            )
        )
    return sorted(result, key=lambda r: (r.goal, r.value is None, r.indicator))


def _like_with_like(
    own: dict[int, float], indicator_id: str, figures: dict[tuple[str, int], _Figure]
) -> dict[int, float]:
    """The years a status may compare: where the newest figure is the municipality's own, not
    the years it inherited from a former, larger municipality (Haram's own 2023–2024 figure
    against old Ålesund's would measure the split, not progress)."""

    def inherited(year: int) -> bool:
        figure = figures.get((indicator_id, year))
        return bool(figure and figure.inherited_from)

    if not own or inherited(max(own)):
        return own
    return {year: value for year, value in own.items() if not inherited(year)}


def _assess(
    indicator: Indicator,
    own: dict[int, float],
    window: int,
    periods: dict[int, str],
    language: str,
    this_year: int,
) -> tuple[str, str, str]:
    """Status, trend and the sentence explaining them. A newest figure more than five years old
    gets no verdict; moving averages are compared only across windows that do not overlap."""
    if not own:
        return "no_data", "unknown", ""
    latest = max(own)
    if analysis.is_outdated(latest, this_year):
        period = periods.get(latest, str(latest))
        sentence = explain.outdated(period, analysis.OUTDATED_AFTER, language)
        return "outdated", "unknown", sentence
    compared = analysis.non_overlapping(own, window)
    progress = analysis.assess_progress(compared, indicator.direction, indicator.target_2030)
    label = status_label(progress.status, language)
    sentence = explain.explain(
        progress, indicator.direction, indicator.target_2030, label, language, periods=periods
    )
    return progress.status, progress.trend, sentence


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
            "centrality": float(region.centrality) if region.centrality else None,
            "area": region.area_km2,
        }
        profiles.append(peers.Profile(code=region.code, name=region.name, features=features))
    return profiles


def similar_municipalities(code: str, k: int = 10, language: str = "") -> list[SimilarOut]:
    """The k nearest municipalities; with a language, each explained in it (else in English,
    the method's own words)."""
    from lokalmaal.peers.reads import explain as explain_in  # peers builds on this module

    profiles = memo("profiles", _profiles)
    if all(profile.code != code for profile in profiles):  # a county, an old or unknown code
        raise Http404("No such municipality")
    matches = memo(f"similar:{code}:{k}", lambda: peers.similar(profiles, code, k=k))

    def explanation(match: peers.Match) -> str:
        if not language:
            return peers.explain(match)
        with translation.override(language):
            return explain_in(match, language)

    return [
        SimilarOut(
            code=m.code,
            name=m.name,
            distance=round(m.distance, 3),
            explanation=explanation(m),
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
    period: str  # "2023", or "2022–2023" for a multi-year average
    value: float
    estimated: bool
    estimate_note: str
    outdated: bool  # the newest figure is more than five years old


class IndicatorDetail(IndicatorOut):
    latest: list[RegionValueOut]
    years: list[int]
    periods: dict[int, str]  # year → its period as shown ("2008–2012" for averages)
    stale_period: str  # the newest period when even that is over five years old, else ""
    country_median_by_year: dict[int, float]


def _indicator_or_404(indicator_id: str) -> Indicator:
    indicator = Indicator.objects.prefetch_related("targets").filter(id=indicator_id).first()
    if indicator is None:
        raise Http404("No such indicator")
    return indicator


def _municipality_values(indicator: Indicator, language: str) -> list[RegionValueOut]:
    """Every figure of the indicator for today's municipalities, by municipality and year. Reads
    plain columns only: no region objects, so no boundary is ever loaded."""
    this_year = timezone.localdate().year
    rows = (
        IndicatorValue.objects.filter(indicator=indicator, region__kind=RegionKind.MUNICIPALITY)
        .exclude(value=None)
        .order_by("region__code", "year")
        .values_list(
            "region__code", "region__name", "region__parent__name", "year", "period_start",
            "value", "estimated", "inherited_from",
        )
    )  # fmt: skip
    result = []
    for code, name, county, year, start, value, estimated, inherited in rows:
        period = period_label(year, start)
        note = explain.estimate_note(name, period, inherited, language) if estimated else ""
        result.append(
            RegionValueOut(
                code=code, name=name, county=county or "", year=year, period=period,
                value=round(value or 0.0, 3), estimated=estimated, estimate_note=note,
                outdated=analysis.is_outdated(year, this_year),
            )
        )  # fmt: skip
    return result


def get_indicator(indicator_id: str, language: str) -> IndicatorDetail:
    indicator = _indicator_or_404(indicator_id)
    values = _municipality_values(indicator, language)
    latest: dict[str, RegionValueOut] = {}
    by_year: dict[int, list[float]] = defaultdict(list)
    periods: dict[int, str] = {}
    for value in values:
        latest[value.code] = value
        by_year[value.year].append(value.value)
        periods[value.year] = value.period
    base = _indicator(indicator, language, {indicator.id: len(latest)})
    newest = max(by_year, default=None)
    stale = newest is not None and analysis.is_outdated(newest, timezone.localdate().year)
    return IndicatorDetail(
        **base.model_dump(),
        latest=list(latest.values()),
        years=sorted(by_year),
        periods=dict(sorted(periods.items())),
        stale_period=periods[newest] if stale and newest is not None else "",
        country_median_by_year={
            y: round(statistics.median(v), 3) for y, v in sorted(by_year.items())
        },
    )


def indicator_series(indicator_id: str, language: str) -> tuple[IndicatorOut, list[RegionValueOut]]:
    """The indicator and every figure it has, year by year, for downloads."""
    indicator = _indicator_or_404(indicator_id)
    values = _municipality_values(indicator, language)
    base = _indicator(indicator, language, {indicator.id: len({v.code for v in values})})
    return base, values


def region_series(indicator_id: str, code: str) -> dict[int, float]:
    return _series(indicator_id, code).get((indicator_id, code), {})


def region_histories(code: str) -> dict[str, dict[int, float]]:
    """Every indicator's figures for one region by year (the dashboard's sparklines), read in
    one query once per data version."""
    return memo(
        f"histories:{code}",
        lambda: {indicator: values for (indicator, _), values in _series(region=code).items()},
    )


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
    return [c for c in memo("framework_concepts", _framework_concepts) if target in c.targets]


def _framework_concepts() -> list[ConceptOut]:
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
    ]


class ComparisonRow(BaseModel):
    year: int
    period: str
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
    window = memo("windows", _windows).get(indicator_id, 1)
    return [
        ComparisonRow(
            year=year,
            period=period_label(year, year - window + 1),
            municipality=own.get(year),
            similar=_median_at(series, indicator_id, groups["similar"], year),
            county=_median_at(series, indicator_id, groups["county"], year),
            country=_median_at(series, indicator_id, groups["country"], year),
        )
        for year in years
    ]
