"""Read and validate the regions part of the data bundle: counties, municipalities, boundaries,
labour-market regions, the code history since 1994 and the population series.

Pure functions over files; nothing here touches the database.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lokalmaal.lib.datafiles import DataFileError, check_unique, read_csv, read_json, read_xlsx
from lokalmaal.regions.history import CodeHistory, HistoricalCode, UnknownCode, read_history

MUNICIPALITIES_FILE = Path("municipalities") / "kommuner_2025.csv"
COUNTIES_FILE = Path("municipalities") / "counties_2025.json"
LABOUR_MARKET_FILE = Path("municipalities") / "ba_regioner_2024_etter_kommune.csv"
MUNICIPALITY_BOUNDARIES = Path("geo") / "Kommuner-S.geojson"
COUNTY_BOUNDARIES = Path("geo") / "Fylker-S.geojson"
POPULATION_FILE = Path("ssb-statistics") / "ssb_07459_folkemengde_kommune_2005_2023_total.csv"
OFFICIAL_NAMES_FILE = Path(__file__).parent / "data" / "official_names.csv"

COUNTRY_CODE = "0"
WRITTEN_STANDARDS = {"Bokmål": "nb", "Nynorsk": "nn", "Nøytral": "neutral"}
POPULATION_SOURCE_2024 = "SSB, population 1 January 2024 (kommuner_2025.csv)"
POPULATION_SOURCE_07459 = "SSB StatBank table 07459, harmonised to the 2024 division"


@dataclass
class RegionRecord:
    code: str
    kind: str
    name: str
    name_no: str
    parent: str = ""
    other_names: str = ""
    admin_centre: str = ""
    area_km2: float | None = None
    written_standard: str = "neutral"
    website: str = ""
    labour_market_region: str = ""
    kostra_group: str = ""
    centrality: int | None = None
    boundary: dict[str, Any] | None = None


@dataclass(frozen=True)
class PopulationRecord:
    code: str
    year: int
    value: int
    estimated: bool
    source: str


@dataclass
class RegionsData:
    regions: list[RegionRecord]
    history: list[HistoricalCode]
    population: list[PopulationRecord] = field(default_factory=list)


type Progress = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
    pass


def read_regions(bundle: Path, progress: Progress = _quiet) -> RegionsData:
    counties = _read_counties(bundle / COUNTIES_FILE)
    municipalities, population_2024 = _read_municipalities(bundle / MUNICIPALITIES_FILE, counties)
    _apply_official_names(municipalities, OFFICIAL_NAMES_FILE)
    history = read_history(bundle)
    code_history = CodeHistory(history)
    _apply_labour_market_regions(municipalities, bundle / LABOUR_MARKET_FILE, code_history)
    _apply_classifications(municipalities, bundle / CLASSIFICATIONS_FILE)
    _apply_boundaries(municipalities, bundle / MUNICIPALITY_BOUNDARIES, "kommunenummer")
    _apply_boundaries(counties, bundle / COUNTY_BOUNDARIES, "fylkesnummer")
    for county in counties.values():
        areas = [m.area_km2 or 0.0 for m in municipalities.values() if m.parent == county.code]
        county.area_km2 = round(sum(areas), 2)
    country = RegionRecord(
        COUNTRY_CODE,
        "country",
        "Norge",
        "Norge",
        area_km2=round(sum(c.area_km2 or 0.0 for c in counties.values()), 2),
    )
    population = read_population(bundle, population_2024, code_history, progress)
    return RegionsData([country, *counties.values(), *municipalities.values()], history, population)


def _read_counties(path: Path) -> dict[str, RegionRecord]:
    data = read_json(path)
    if not isinstance(data, list):
        raise DataFileError(path, 0, "expected a list of counties")
    counties: dict[str, RegionRecord] = {}
    for number, item in enumerate(data, start=1):
        code, name = str(item.get("id", "")), str(item.get("name", "")).strip()
        if len(code) != 2 or not code.isdigit() or not name:
            raise DataFileError(path, 0, f"county number {number} needs a two-digit id and a name")
        if code in counties:
            raise DataFileError(path, 0, f"county {code} appears twice")
        counties[code] = RegionRecord(
            code, "county", name, name, parent=COUNTRY_CODE, website=str(item.get("url", ""))
        )
    if len(counties) != 15:
        raise DataFileError(path, 0, f"expected the 15 counties of 2024, found {len(counties)}")
    return counties


def _read_municipalities(
    path: Path, counties: dict[str, RegionRecord]
) -> tuple[dict[str, RegionRecord], dict[str, int]]:
    """The 357 municipalities and their population on 1 January 2024."""
    columns = {
        "kommunenummer", "kommunenavn", "kommunenavn_no", "fylkesnummer",
        "administrasjonssenter", "areal_km2", "maalform", "nettsted", "folketall",
    }  # fmt: skip
    rows = list(read_csv(path, columns))
    check_unique(rows, lambda r: r["kommunenummer"], path, "municipality code")
    municipalities: dict[str, RegionRecord] = {}
    population: dict[str, int] = {}
    for row in rows:
        code = row.required("kommunenummer")
        if len(code) != 4 or not code.isdigit():
            raise row.error(f"municipality code {code!r} should have four digits")
        county = row.required("fylkesnummer")
        if county not in counties or not code.startswith(county):
            raise row.error(f"county {county!r} is not one of the 15 counties of {code}")
        population[code] = row.integer("folketall") or 0
        name_no = row.required("kommunenavn_no")
        local_name = row.required("kommunenavn")
        municipalities[code] = RegionRecord(
            code=code,
            kind="municipality",
            name=name_no if local_name == name_no else f"{local_name} - {name_no}",
            name_no=name_no,
            other_names="" if local_name == name_no else local_name,
            parent=county,
            admin_centre=row["administrasjonssenter"],
            area_km2=row.number("areal_km2"),
            written_standard=row.one_of("maalform", WRITTEN_STANDARDS),
            website=row["nettsted"],
        )
    if len(municipalities) != 357:
        raise DataFileError(path, 0, f"expected 357 municipalities, found {len(municipalities)}")
    return municipalities, population


def _apply_official_names(municipalities: dict[str, RegionRecord], path: Path) -> None:
    """SSB's official names with Sami and Kven forms, kept by Lokalmål in `data/`."""
    if not path.is_file():
        return
    for row in read_csv(path, {"code", "official_name"}):
        record = municipalities.get(row.required("code"))
        if record is None:
            raise row.error(f"{row['code']} is not a 2024 municipality")
        record.name = row.required("official_name")
        parts = [p.strip() for p in record.name.split(" - ")]
        record.other_names = " - ".join(p for p in parts if p != record.name_no)


def _apply_labour_market_regions(
    municipalities: dict[str, RegionRecord], path: Path, history: CodeHistory
) -> None:
    """The file says 2024 codes but keeps older codes for Rindal (1567, Møre og Romsdal until
    2018) and for Jevnaker and Lunner (3444/3445, never valid codes): an unknown code is mapped
    through the code history, else by the municipality's name, else it is an error."""
    by_name = {m.name_no: code for code, m in municipalities.items()}
    for row in read_csv(path, {"Kommune (per 1. januar 2020)", "BA-region"}):
        label = row.required("Kommune (per 1. januar 2020)")
        code, _, name = label.partition(" ")
        if code not in municipalities:
            successors = {s.code for entry in history.entries(code) for s in entry.successors}
            if len(successors) == 1:
                code = successors.pop()
            elif name in by_name:
                code = by_name[name]
            else:
                raise row.error(f"{label!r} is not a 2024 municipality")
        number, _, name = row.required("BA-region").partition(" ")
        municipalities[code].labour_market_region = name or number


CLASSIFICATIONS_FILE = Path("imdi-bosetting") / "app_flyktninger_oppsummert.xlsx"


def _apply_classifications(municipalities: dict[str, RegionRecord], path: Path) -> None:
    """SSB's KOSTRA group and centrality class of every municipality, as the refugee-settlement
    compilation carries them (2024 codes, the same in each of its years). A bundle without that
    folder leaves them empty; the similar-municipality profile then does without them."""
    if not path.parent.is_dir():
        return
    for row in read_xlsx(path):
        code = row.required("Kommunenummer").zfill(4)
        if code not in municipalities:
            raise row.error(f"{code} is not a 2024 municipality")
        group = row.required("kostranr")
        if not (group.startswith("EKG") and group[3:].isdigit()):
            raise row.error(f"column 'kostranr' should be a KOSTRA group like EKG07, not {group!r}")
        centrality = row.integer("sentralitet")
        if centrality is None or not 1 <= centrality <= 6:
            raise row.error(f"column 'sentralitet' should be 1–6, not {row['sentralitet']!r}")
        municipalities[code].kostra_group = group
        municipalities[code].centrality = centrality


def _apply_boundaries(regions: dict[str, RegionRecord], path: Path, code_property: str) -> None:
    data = read_json(path)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise DataFileError(path, 0, "expected a GeoJSON FeatureCollection")
    for number, feature in enumerate(features, start=1):
        code = str((feature.get("properties") or {}).get(code_property, ""))
        geometry = feature.get("geometry") or {}
        if code not in regions:
            raise DataFileError(path, 0, f"feature {number}: {code!r} is not a known region")
        if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            raise DataFileError(path, 0, f"feature {number} ({code}) has no polygon geometry")
        regions[code].boundary = geometry
    missing = sorted(code for code, region in regions.items() if region.boundary is None)
    if missing:
        raise DataFileError(path, 0, f"no boundary for {', '.join(missing)}")


def read_population(
    bundle: Path,
    population_2024: dict[str, int],
    history: CodeHistory,
    progress: Progress = _quiet,
) -> list[PopulationRecord]:
    """Population per 2024 municipality and year, from SSB 07459 (2005–2023) and 2024 figures.

    Old codes are summed into their 2024 successors, split ones apportioned by weight (marked as
    estimated). A (municipality, year) is left out when any code that went into it is missing in
    that year's data: the bundle's 2005–2016 extract lacks some municipalities merged in 2017–2020,
    and a partial sum would look like a real drop in population.
    """
    path = bundle / POPULATION_FILE
    by_year: dict[int, dict[str, int]] = defaultdict(dict)
    for row in read_csv(path, {"year", "region_code", "population"}):
        year, code = row.integer("year"), row.required("region_code")
        value = row.integer("population")
        assert year is not None
        assert value is not None
        if code.isdigit() and value > 0:
            by_year[year][code] = by_year[year].get(code, 0) + value
    records = [
        PopulationRecord(code, 2024, value, False, POPULATION_SOURCE_2024)
        for code, value in population_2024.items()
    ]
    for done, (year, values) in enumerate(sorted(by_year.items()), start=1):
        records.extend(_harmonise_year(path, year, values, history))
        progress("population by year", done, len(by_year))
    return records


def _harmonise_year(
    path: Path, year: int, values: dict[str, int], history: CodeHistory
) -> list[PopulationRecord]:
    totals: dict[str, float] = defaultdict(float)
    estimated: set[str] = set()
    incomplete: set[str] = set()
    for old_code in history.valid_codes("municipality", year):
        successors = history.current_codes(old_code, year)
        if old_code not in values:
            incomplete.update(s.code for s in successors)
            continue
        for successor in successors:
            totals[successor.code] += values[old_code] * successor.weight
            if successor.weight < 1.0:
                estimated.add(successor.code)
    for old_code in values:
        try:
            history.current_codes(old_code, year)
        except UnknownCode:
            raise DataFileError(path, 0, f"{old_code} was not a municipality in {year}") from None
    return [
        PopulationRecord(code, year, round(total), code in estimated, POPULATION_SOURCE_07459)
        for code, total in sorted(totals.items())
        if code not in incomplete
    ]
