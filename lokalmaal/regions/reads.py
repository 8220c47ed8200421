"""Reads of regions shared by the pages and the API."""

from django.db.models import Q
from django.http import Http404
from pydantic import BaseModel

from lokalmaal.indicators.reads import memo
from lokalmaal.regions.models import (
    Boundary,
    HistoricalCode,
    PopulationFigure,
    Region,
    RegionKind,
)


class RegionRef(BaseModel):
    code: str
    name: str
    kind: str


class RegionSummary(BaseModel):
    code: str
    name: str
    kind: str
    county: RegionRef | None
    population: int | None
    population_year: int | None
    area_km2: float | None
    written_standard: str


class PopulationPoint(BaseModel):
    year: int
    value: int
    estimated: bool
    source: str


class Predecessor(BaseModel):
    code: str
    name: str
    kind: str
    valid_from: int | None
    valid_to: int | None
    weight: float


class RegionDetail(RegionSummary):
    name_no: str
    other_names: list[str]
    admin_centre: str
    density_per_km2: float | None
    website: str
    labour_market_region: str
    population_series: list[PopulationPoint]
    population_change_percent: float | None
    municipalities: list[RegionSummary]
    predecessors: list[Predecessor]


def _latest_population(region: Region) -> PopulationFigure | None:
    figures = list(region.population.all())
    return figures[-1] if figures else None


def _summary(region: Region) -> RegionSummary:
    latest = _latest_population(region)
    parent = region.parent
    return RegionSummary(
        code=region.code,
        name=region.name,
        kind=region.kind,
        county=RegionRef(code=parent.code, name=parent.name, kind=parent.kind)
        if parent and parent.kind == RegionKind.COUNTY
        else None,
        population=latest.value if latest else None,
        population_year=latest.year if latest else None,
        area_km2=region.area_km2,
        written_standard=region.written_standard,
    )


def list_regions(kind: str | None = None, query: str = "", county: str = "") -> list[RegionSummary]:
    """Regions of a kind (or all), optionally filtered; the unfiltered lists are read once per
    data version (population figures change only when data is loaded)."""
    query = query.strip()
    if not query and not county and (kind is None or kind in RegionKind.values):
        return memo(f"regions:{kind or ''}", lambda: _list_regions(kind))
    return _list_regions(kind, query, county)


def _list_regions(kind: str | None, query: str = "", county: str = "") -> list[RegionSummary]:
    regions = Region.objects.select_related("parent").prefetch_related("population")
    if kind:
        regions = regions.filter(kind=kind)
    if county:
        regions = regions.filter(parent__code=county)
    if query:
        regions = regions.filter(
            Q(name__icontains=query)
            | Q(name_no__icontains=query)
            | Q(code__startswith=query)
            | Q(parent__name__icontains=query)
            | Q(admin_centre__icontains=query)
        )
    return [_summary(r) for r in regions.order_by("kind", "name_no")]


def _county_population(county: Region) -> list[PopulationPoint]:
    """A county's series is the sum of its municipalities, for years where all have a figure."""
    municipalities = list(county.children.prefetch_related("population"))
    by_year: dict[int, list[PopulationFigure]] = {}
    for municipality in municipalities:
        for figure in municipality.population.all():
            by_year.setdefault(figure.year, []).append(figure)
    return [
        PopulationPoint(
            year=year,
            value=sum(f.value for f in figures),
            estimated=any(f.estimated for f in figures),
            source=figures[0].source,
        )
        for year, figures in sorted(by_year.items())
        if len(figures) == len(municipalities)
    ]


def get_region(code: str) -> RegionDetail:
    region = (
        Region.objects.select_related("parent")
        .prefetch_related("population")
        .filter(code=code)
        .first()
    )
    if region is None:
        raise Http404("No such region")
    if region.kind == RegionKind.COUNTY:
        series = _county_population(region)
    else:
        series = [
            PopulationPoint(year=f.year, value=f.value, estimated=f.estimated, source=f.source)
            for f in region.population.all()
        ]
    summary = _summary(region)
    if series:
        summary.population, summary.population_year = series[-1].value, series[-1].year
    change = None
    if len(series) >= 2 and series[0].value:
        change = round((series[-1].value - series[0].value) / series[0].value * 100, 1)
    density = None
    if summary.population and region.area_km2:
        density = round(summary.population / region.area_km2, 1)
    children = (
        region.children.select_related("parent").prefetch_related("population").order_by("name_no")
    )
    return RegionDetail(
        **summary.model_dump(),
        name_no=region.name_no,
        other_names=[n for n in region.other_names.split(" - ") if n],
        admin_centre=region.admin_centre,
        density_per_km2=density,
        website=region.website,
        labour_market_region=region.labour_market_region,
        population_series=series,
        population_change_percent=change,
        municipalities=[_summary(c) for c in children]
        if region.kind != RegionKind.MUNICIPALITY
        else [],
        predecessors=_predecessors(region),
    )


def _predecessors(region: Region) -> list[Predecessor]:
    """Earlier codes that are now (part of) this region, excluding the region's own code today."""
    rows = (
        HistoricalCode.objects.filter(successors__region=region)
        .exclude(code=region.code, valid_to__isnull=True)
        .values("code", "name", "kind", "valid_from", "valid_to", "successors__weight")
        .order_by("valid_to", "code")
    )
    return [
        Predecessor(
            code=r["code"],
            name=r["name"],
            kind=r["kind"],
            valid_from=r["valid_from"],
            valid_to=r["valid_to"],
            weight=round(r["successors__weight"], 4),
        )
        for r in rows
    ]


def get_boundary(code: str) -> dict[str, object]:
    """The full geometry, as loaded (maps draw a simplified one, see lokalmaal.web.maps)."""
    boundary = Boundary.objects.select_related("region").filter(region__code=code).first()
    if boundary is None:
        raise Http404("No boundary for this region")
    return {
        "type": "Feature",
        "properties": {
            "code": boundary.region.code,
            "name": boundary.region.name,
            "source": "Kartverket (CC BY 4.0)",
        },
        "geometry": boundary.geometry,
    }


class MunicipalityChoice(BaseModel):
    code: str
    name: str  # "Herøy (Nordland)" where another municipality has the same name


def municipality_choices() -> list[MunicipalityChoice]:
    """Every municipality for a drop-down, in Norwegian alphabetical order, with its county after
    the name where two share it (Herøy, Våler), read once per data version."""
    return memo("regions:municipality-choices", _municipality_choices)


def _municipality_choices() -> list[MunicipalityChoice]:
    municipalities = list(
        Region.objects.filter(kind=RegionKind.MUNICIPALITY)
        .select_related("parent")
        .order_by("name_no", "code")
    )
    names = [m.name for m in municipalities]
    return [
        MunicipalityChoice(
            code=m.code,
            name=f"{m.name} ({m.parent.name})" if names.count(m.name) > 1 and m.parent else m.name,
        )
        for m in municipalities
    ]
