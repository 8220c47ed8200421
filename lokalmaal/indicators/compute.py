"""Compute the indicators that the offline data bundle supports, for every municipality in the
2024 division. Pure functions over files and the code history; no database.

Each source row is tied to the municipality code as it was in its year and converted with the
code history: counts are summed into their 2024 successors (split ones by weight, marked as
estimated); rates are recomputed from numerator and denominator. A rate that the source gives
without its numerator and denominator is kept only where the old municipality is exactly today's
one, because averaging rates of merged municipalities would be wrong.
"""

import csv
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Set
from dataclasses import dataclass, field, replace
from pathlib import Path

from lokalmaal.lib.datafiles import DataFileError, Row, open_text, read_csv, read_xlsx
from lokalmaal.regions.history import CodeHistory, Successor, UnknownCode


@dataclass(frozen=True)
class Raw:
    """One source figure for a municipality code as it was in `code_year`."""

    code: str
    code_year: int
    year: int
    numerator: float | None = None  # a count, or the numerator of a rate
    denominator: float | None = None  # the denominator of a rate; None for plain counts
    rate: float | None = None  # a rate given without numerator and denominator
    period_start: int | None = None  # first year of a multi-year average ending in `year`


@dataclass(frozen=True)
class Value:
    indicator: str
    region: str
    year: int
    value: float | None
    estimated: bool = False
    note: str = ""
    period_start: int | None = None
    inherited_from: str = ""  # "1507 Ålesund": the whole value is that former municipality's


@dataclass
class _Sum:
    numerator: float = 0.0
    denominator: float = 0.0
    estimated: bool = False
    sources: set[tuple[str, int]] = field(default_factory=set)  # split predecessors (code, year)
    whole: bool = False  # some part came whole, not as a share of a split
    period_start: int | None = None


SPLIT_NOTE = "Includes a share of a split municipality"
INHERITED_NOTE = "The former municipality's figure, apportioned by population"


def harmonise(
    indicator: str, rows: Iterable[Raw], history: CodeHistory, scale: float = 1.0
) -> list[Value]:
    """Turn source rows into values for 2024 municipalities. `scale` turns a ratio into the unit
    (100 for per cent, 1000 for per 1,000).

    A successor whose every part comes from one split predecessor gets that predecessor's rate
    unchanged: it is marked estimated and names the predecessor (`inherited_from`), because the
    figure says nothing about the successor on its own."""
    rows = list(rows)
    sums: dict[tuple[str, int], _Sum] = defaultdict(_Sum)
    rates: list[Value] = []
    predecessors = _predecessor_counts(history, {r.code_year for r in rows})
    for row in rows:
        try:
            successors = history.current_codes(row.code, row.code_year)
        except UnknownCode:
            continue  # Svalbard, "unknown municipality" and similar rows
        if row.rate is not None:
            rates.extend(_carried_rate(indicator, row, successors, predecessors, history))
            continue
        for successor in successors:
            total = sums[(successor.code, row.year)]
            total.numerator += (row.numerator or 0.0) * successor.weight
            if row.denominator is not None:
                total.denominator += row.denominator * successor.weight
            total.estimated |= successor.weight < 1.0
            if successor.weight < 1.0:
                total.sources.add((row.code, row.code_year))
            else:
                total.whole = True
            total.period_start = row.period_start
    values = rates
    for (code, year), total in sorted(sums.items()):
        if total.denominator:
            value: float | None = total.numerator / total.denominator * scale
        else:
            value = total.numerator * scale
        inherited = ""
        if len(total.sources) == 1 and not total.whole:
            ((source, source_year),) = total.sources
            inherited = f"{source} {history.lookup(source, source_year).name}"
        note = (INHERITED_NOTE if inherited else SPLIT_NOTE) if total.estimated else ""
        values.append(
            Value(indicator, code, year, value, total.estimated, note, total.period_start,
                  inherited)
        )  # fmt: skip
    return values


def _carried_rate(
    indicator: str,
    row: Raw,
    successors: list[Successor],
    predecessors: dict[tuple[str, int], int],
    history: CodeHistory,
) -> list[Value]:
    """A rate without its numerator and denominator goes to a successor that had no other
    predecessor: whole where nothing changed, as an inherited estimate where the municipality was
    split. Averaging the rates of merged municipalities would be wrong, so merged ones get none."""
    alone = [s for s in successors if predecessors[(s.code, row.code_year)] == 1]
    if len(alone) != len(successors):
        return []
    if len(successors) == 1:
        return [Value(indicator, successors[0].code, row.year, row.rate,
                      period_start=row.period_start)]  # fmt: skip
    inherited = f"{row.code} {history.lookup(row.code, row.code_year).name}"
    return [
        Value(indicator, s.code, row.year, row.rate, True, INHERITED_NOTE, row.period_start,
              inherited)
        for s in successors
    ]  # fmt: skip


def _predecessor_counts(history: CodeHistory, code_years: set[int]) -> dict[tuple[str, int], int]:
    """How many municipality codes of `code_year` flow (partly) into each 2024 code."""
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for year in code_years:
        for code in history.valid_codes("municipality", year):
            for successor in history.current_codes(code, year):
                counts[(successor.code, year)] += 1
    return counts


def _number(row: Row, column: str) -> float | None:
    return row.number(column, optional=True)


def _period(row: Row, column: str) -> tuple[int, int]:
    """First and last year of a period such as "2008-2012"."""
    first, _, last = row.required(column).partition("-")
    if not (first.isdigit() and last.isdigit()):
        raise row.error(f"column '{column}' should be a period like 2023-2024, not {row[column]!r}")
    return int(first), int(last)


def _period_start(row: Row, column: str, year: int) -> int:
    """The first year of a period that must end in `year`."""
    first, last = _period(row, column)
    if last != year:
        raise row.error(f"column '{column}' is {row[column]!r}, which does not end in {year}")
    return first


# --- Sources --------------------------------------------------------------------------------


def election_turnout(bundle: Path) -> Iterator[Raw]:
    """Storting elections 2009–2025; votes and eligible voters, so merges are recomputed."""
    path = bundle / "elections" / "valgresultat_stortingsvalg_valgdeltakelse_kommune_2009_2025.csv"
    for row in read_csv(path, {"region_code", "year", "eligible_voters", "votes_total"}):
        year = row.integer("year")
        assert year is not None
        yield Raw(row.required("region_code"), min(year, 2024), year,
                  numerator=_number(row, "votes_total"), denominator=_number(row, "eligible_voters"))  # fmt: skip


def vaccination(vaccine: str, age: str) -> Callable[[Path], Iterator[Raw]]:
    """FHI Kommunehelsa, 5-year averages in per cent, municipalities as of 2018."""

    def read(bundle: Path) -> Iterator[Raw]:
        path = (
            bundle
            / "fhi-folkehelse"
            / "fhi_kommunehelsa_vaksinasjonsdekning_2002-2006_2014-2018.csv"
        )
        for row in read_csv(path, {"region_code", "level", "year", "value", "age", "vaksine"}):
            if row["level"] == "kommune" and row["vaksine"] == vaccine and row["age"] == age:
                year = row.integer("year")
                assert year is not None
                yield Raw(row.required("region_code"), 2018, year, rate=_number(row, "value"),
                          period_start=_period_start(row, "period_5yr", year))  # fmt: skip

    return read


def covid_second_dose(bundle: Path) -> Iterator[Raw]:
    """Persons with two doses and the population used by FHI, 2020 municipalities, 21.11.2021."""
    path = bundle / "fhi-folkehelse" / "fhi_covid19_vaksinasjonsdekning_kommune_2021-11-21.csv"
    counts: dict[str, dict[str, float | None]] = defaultdict(dict)
    for row in read_csv(path, {"region_code", "region_level", "indicator", "value"}):
        if row["region_level"] == "kommune" and row["indicator"] in {"n_dose_2", "pop"}:
            counts[row["region_code"]][row["indicator"]] = _number(row, "value")
    for code, figures in counts.items():
        yield Raw(
            code, 2020, 2021, numerator=figures.get("n_dose_2"), denominator=figures.get("pop")
        )


def imdi(indicator: str, dimensions: str, *, counts: bool) -> Callable[[Path], Iterator[Raw]]:
    """IMDi's integration indicators for the whole population (2013 municipalities). Where IMDi
    gives both the per cent and the number of persons, the denominator is recovered as
    persons ÷ per cent, so merged municipalities get a correctly weighted rate."""

    def read(bundle: Path) -> Iterator[Raw]:
        path = bundle / "imdi-integrering" / "imdi_integreringsindikatorer_kommune_2011_2013.csv"
        found: dict[tuple[str, str], dict[str, float | None]] = defaultdict(dict)
        for row in read_csv(
            path, {"region_code", "year", "value", "unit", "indicator", "dimensions"}
        ):
            if (
                row["indicator"] == indicator
                and row["dimensions"] == dimensions
                and row["year"].isdigit()
            ):
                found[(row["region_code"], row["year"])][row["unit"]] = _number(row, "value")
        for (code, year_text), units in found.items():
            year, share = int(year_text), units.get("prosent") or units.get("gjennomsnitt")
            persons = units.get("personer")
            code_year = 2011 if code == "1901" else 2013  # Harstad's code before 2013
            if counts and share and persons:
                # share is in per cent: persons ÷ (share / 100) is the whole group
                yield Raw(
                    code, code_year, year, numerator=persons, denominator=persons / share * 100
                )
            elif share is not None:
                yield Raw(code, code_year, year, rate=share)

    return read


def grade_points(bundle: Path) -> Iterator[Raw]:
    """Grunnskolepoeng: an average, weighted by the number of pupils when merging."""
    path = bundle / "imdi-integrering" / "imdi_integreringsindikatorer_kommune_2011_2013.csv"
    found: dict[str, dict[str, float | None]] = defaultdict(dict)
    for row in read_csv(path, {"region_code", "year", "value", "unit", "indicator", "dimensions"}):
        if (
            row["indicator"] == "grunnskolepoeng"
            and row["dimensions"] == "innvkat_4=alle;kjonn=alle"
        ):
            found[row["region_code"]][row["unit"]] = _number(row, "value")
    for code, units in found.items():
        average, pupils = units.get("gjennomsnitt"), units.get("personer")
        if average is not None and pupils:
            yield Raw(code, 2013, 2013, numerator=average * pupils, denominator=pupils)


PLANT_PLACES = Path(__file__).parent / "places" / "hydropower_plants.toml"


def hydropower(bundle: Path) -> Iterator[Raw]:
    """Installed hydropower capacity (MW) from NVE's list of plants, October 2022: each plant
    counts in the municipality where it stands. Plants of a municipality that was split later
    are placed by `places/hydropower_plants.toml` where their place was checked; the rest of
    that municipality's capacity is apportioned by population (and marked estimated)."""
    path = bundle / "energy" / "nve_vannkraftverk_2022-10_raw.csv"
    places = tomllib.loads(open_text(PLANT_PLACES))["plants"]
    columns = {"Løpenummer", "Type", "Fylkesnr.", "Kommunenr.", "Maks ytelse [MW]"}
    rows = read_csv(path, columns, ";", header_starts="Løpenummer", trailing_separator=True)
    for row in rows:
        if row["Type"] == "Pumpe":
            continue  # pumps use power; NVE's own total leaves them out
        code = row.required("Fylkesnr.").zfill(2) + row.required("Kommunenr.").zfill(2)
        megawatts = _number(row, "Maks ytelse [MW]")
        place = places.get(row.required("Løpenummer"))
        if place:
            yield Raw(str(place["municipality"]), 2024, 2022, numerator=megawatts)
        else:
            yield Raw(code, 2022, 2022, numerator=megawatts)


def crime(column: str) -> Callable[[Path], Iterator[Raw]]:
    """Reported offences by scene of crime, SSB table 08487: two-year averages (counts), each
    period under its last year. SSB gives 2020–2023 periods in that division's codes and
    2023–2024 in 2024 codes, so 1507 Ålesund's figures are split between Ålesund and Haram as
    estimates. Cells SSB suppressed (four or fewer) are left out."""

    def read(bundle: Path) -> Iterator[Raw]:
        path = bundle / "crime" / "anmeldt_20-24.csv"
        for row in read_csv(path, {"år", "g_komnr", column}):
            first, end = _period(row, "år")
            code = row.required("g_komnr").zfill(4)
            count = None if row[column] == "NA" else _number(row, column)
            if code == "0000" or count is None:
                continue  # the whole country, or a suppressed cell
            code_year = 2024 if end >= 2024 else 2023
            yield Raw(code, code_year, end, numerator=count, period_start=first)

    return read


SETTLEMENT_FILE = Path("imdi-bosetting") / "app_flyktninger_oppsummert.xlsx"
# The compilation gives 2022–2023 figures of 1507 Ålesund under 1508 and zeros (or copies) under
# 1580 Haram, which did not exist then (its SOURCES.md).
BEFORE_2024 = {"1508": "1507", "1580": ""}


def settlement(
    column: str, years: tuple[int, ...], *, rate: bool
) -> Callable[[Path], Iterator[Raw]]:
    """Refugees settled (IMDi) or GP list figures (SSB 12005) per municipality from the
    Samarbeidsdesken compilation. Only `years` are read: 2024 refugee counts stop in November,
    and its GP columns repeat 2023."""

    def read(bundle: Path) -> Iterator[Raw]:
        for row in read_xlsx(bundle / SETTLEMENT_FILE):
            year = row.integer("year")
            assert year is not None
            if year not in years:
                continue
            code = row.required("Kommunenummer").zfill(4)
            code_year = 2024
            if year < 2024 and code in BEFORE_2024:
                code, code_year = BEFORE_2024[code], 2023
                if not code:
                    continue
            value = _number(row, column)
            if value is None:
                continue  # suppressed by IMDi (fewer than five)
            if rate:
                yield Raw(code, code_year, year, rate=value)
            else:
                yield Raw(code, code_year, year, numerator=value)

    return read


def robek(bundle: Path) -> Iterator[Raw]:
    path = bundle / "kmd-kommuneokonomi" / "kmd_robek_kommune_2026.csv"
    for row in read_csv(path, {"region_code", "year", "value"}):
        yield Raw(row.required("region_code"), 2024, 2026, rate=_number(row, "value"))


def kommunefakta(indicator: str, *, count: bool = False) -> Callable[[Path], Iterator[Raw]]:
    """SSB Kommunefakta as shown in April 2019 (2019 municipalities). Counts are summed into
    today's municipalities; rates are kept 1:1 only."""

    def read(bundle: Path) -> Iterator[Raw]:
        path = bundle / "ssb-statistics" / "ssb_kommunefakta_scrape_2019_kommune.csv"
        for row in read_csv(path, {"region_code", "year", "value", "indicator"}):
            if row["indicator"] == indicator and row["value"]:
                year = row.integer("year")
                assert year is not None
                value = _number(row, "value")
                if count:
                    yield Raw(row.required("region_code"), 2019, year, numerator=value)
                else:
                    yield Raw(row.required("region_code"), 2019, year, rate=value)

    return read


def higher_education_share(bundle: Path) -> Iterator[Raw]:
    """Persons 16+ with university or college education, from the counts per level (2017)."""
    path = bundle / "ssb-statistics" / "ssb_kommunefakta_scrape_2019_kommune.csv"
    levels: dict[str, dict[str, float | None]] = defaultdict(dict)
    for row in read_csv(path, {"region_code", "value", "indicator"}):
        if row["indicator"].startswith("utdanningsniva_") and row["value"]:
            levels[row["region_code"]][row["indicator"]] = _number(row, "value")
    parts = ("grunnskole", "videregaende", "universitet_kort", "universitet_lang", "ingen_uoppgitt")
    for code, figures in levels.items():
        counts = [figures.get(f"utdanningsniva_{part}") for part in parts]
        if all(c is not None for c in counts):
            total = sum(c for c in counts if c is not None)
            higher = (figures["utdanningsniva_universitet_kort"] or 0) + (
                figures["utdanningsniva_universitet_lang"] or 0
            )
            yield Raw(code, 2019, 2017, numerator=higher, denominator=total)


def nav_paid(benefit: str) -> Callable[[Path], Iterator[Raw]]:
    """NAV benefits paid (million NOK) per municipality, summed into today's municipalities."""

    def read(bundle: Path) -> Iterator[Raw]:
        path = bundle / "nav" / "nav_utbetalte_ytelser_kommune_2014_2017.csv"
        for row in read_csv(path, {"region_code", "year", "value", "stonadsomrade"}):
            if row["stonadsomrade"] == benefit:
                year = row.integer("year")
                assert year is not None
                value = _number(row, "value")
                yield Raw(
                    row.required("region_code"),
                    year,
                    year,
                    numerator=None if value is None else value * 1_000_000,
                )

    return read


def municipal_roads(bundle: Path) -> Iterator[Raw]:
    path = bundle / "ssb-statistics" / "nvdb_kostra_vegnett_km_per_kommune_2024.csv"
    for row in read_csv(path, {"kommunenummer", "kommunalveg_km"}):
        yield Raw(
            row.required("kommunenummer"), 2024, 2024, numerator=_number(row, "kommunalveg_km")
        )


# --- Per-inhabitant figures need the harmonised population ---------------------------------


def per_inhabitant(
    values: list[Value], population: dict[tuple[str, int], int], scale: float
) -> list[Value]:
    """Divide summed counts by the population of today's municipality in the same year."""
    result = []
    for value in values:
        people = population.get((value.region, value.year))
        if value.value is None or not people:
            continue
        result.append(replace(value, value=value.value / people * scale))
    return result


def population_growth(
    population: dict[tuple[str, int], int], estimated: Set[tuple[str, int]] = frozenset()
) -> list[Value]:
    """Change in population from 1 January the year before, per cent (today's boundaries). A
    year whose figures were apportioned from a split municipality is marked estimated."""
    result = []
    for (code, year), people in sorted(population.items()):
        before = population.get((code, year - 1))
        if before:
            guessed = (code, year) in estimated or (code, year - 1) in estimated
            note = SPLIT_NOTE if guessed else ""
            result.append(
                Value("befolkningsvekst", code, year, (people / before - 1) * 100, guessed, note)
            )
    return result


def age_share(
    bundle: Path, history: CodeHistory, minimum: int, maximum: int, indicator: str
) -> list[Value]:
    """Share of the population aged minimum–maximum on 1 January 2023 (SSB 07459)."""
    path = bundle / "ssb-statistics" / "ssb_07459_folkemengde_kommune_alder_kjonn_2023.csv"
    if not path.is_file():
        return []  # a bundle built by `data fetch` lacks it; the figure comes with `data update`
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith('"region"')), None)
    if start is None:
        raise DataFileError(path, 0, 'no header line starting with "region"')
    raws = []
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for number, fields in enumerate(csv.reader(lines[start + 1 :], delimiter=";"), start=start + 2):
        if len(fields) != 4:
            continue
        region, age_text = fields[0], fields[1]
        code = region.removeprefix("K-")[:4]
        if not code.isdigit():
            continue
        try:
            age = int(age_text.split()[0])
            people = float(fields[2]) + float(fields[3])
        except ValueError:
            raise DataFileError(path, number, f"age or count is not a number: {fields}") from None
        totals[code][1] += people
        if minimum <= age <= maximum:
            totals[code][0] += people
    for code, (part, total) in totals.items():
        raws.append(Raw(code, 2023, 2023, numerator=part, denominator=total))
    return harmonise(indicator, raws, history, 100)


# --- The registry: which library indicator comes from which source and how ----------------

type Source = Callable[[Path], Iterator[Raw]]

# indicator id → (source rows, scale, divide by population per `per`)
SOURCES: dict[str, tuple[Source, float, float | None]] = {
    "valgdeltakelse-stortingsvalg": (election_turnout, 100, None),
    "vaksinasjon-mmr-9-aar": (vaccination("Meslinger, kusma og røde hunder (MMR)", "9"), 1, None),
    "vaksinasjon-difteri-2-aar": (vaccination("Difteri", "2"), 1, None),
    "vaksinasjon-hpv-jenter": (vaccination("HPV-infeksjon (jenter)", "16"), 1, None),
    "covid-vaksinasjon-dose-2": (covid_second_dose, 100, None),
    "barnehagedeltakelse-1-5": (
        imdi("barnehagedeltakelse", "spraak=alle;bhgalder=1_5", counts=True),
        100,
        None,
    ),
    "grunnskolepoeng-imdi": (grade_points, 1, None),
    "fullfort-videregaende-imdi": (
        imdi("videregaende_fullfort", "innvkat_5=alle;kjonn=alle", counts=False),
        1,
        None,
    ),
    "vedvarende-lavinntekt": (
        imdi("vedvarende_lavinntekt", "innvkat_3=alle;vreg_3=alle", counts=False),
        1,
        None,
    ),
    "sysselsatte-andel": (imdi("sysselsatte_innvkat", "innvkat_3=alle", counts=True), 100, None),
    "ungdom-utenfor-arbeid-utdanning": (
        imdi("ungdom_utenfor_opplaring", "innvkat_5=alle;kjonn=alle", counts=True),
        100,
        None,
    ),
    "vannkraft-installert-effekt": (hydropower, 1, None),
    "robek": (robek, 1, None),
    "netto-driftsresultat-2018": (
        kommunefakta("netto_driftsresultat_prosent_av_brutto_driftsinntekter"),
        1,
        None,
    ),
    "langsiktig-lanegjeld-per-innbygger-2018": (
        kommunefakta("langsiktig_lanegjeld_per_innbygger"),
        1,
        None,
    ),
    "hoyere-utdanning-andel": (higher_education_share, 100, None),
    "boklan-per-innbygger": (kommunefakta("boker_lant_arlig_folkebibliotek", count=True), 1, 1.0),
    "uforetrygd-per-innbygger": (nav_paid("Uføretrygd og yrkesskade"), 1, 1.0),
    "dagpenger-per-innbygger": (nav_paid("Dagpenger"), 1, 1.0),
    "kommunal-veg-per-1000": (municipal_roads, 1, 1000.0),
    "anmeldte-lovbrudd-per-1000": (crime("alt"), 1, 1000.0),
    "vold-mishandling-per-1000": (crime("vold_mishandling"), 1, 1000.0),
    "eiendomstyveri-per-1000": (crime("eiendomstyveri"), 1, 1000.0),
    "rusmiddellovbrudd-per-1000": (crime("rusmidler"), 1, 1000.0),
    "trafikklovbrudd-per-1000": (crime("trafikk"), 1, 1000.0),
    "ordenskrenkelser-per-1000": (crime("orden_integritet"), 1, 1000.0),
    "bosatte-flyktninger-per-1000": (settlement("innvandr", (2022, 2023), rate=False), 1, 1000.0),
    # SSB 12005 figures that `data update` refreshes online; offline they come from the bundle.
    "reservekapasitet-fastlege": (
        settlement("lege_reservekapasitet", (2022, 2023), rate=True),
        1,
        None,
    ),
    "pasienter-pa-liste-uten-lege": (settlement("legeliste_pct", (2022, 2023), rate=True), 1, None),
}


def compute_bundle(
    bundle: Path,
    history: CodeHistory,
    population: dict[tuple[str, int], int],
    wanted: set[str],
    progress: Callable[[str, int, int], None] | None = None,
    estimated_population: Set[tuple[str, int]] = frozenset(),
) -> list[Value]:
    """All bundle-supported values for the library indicators in `wanted`."""
    values: list[Value] = []
    steps = [i for i in SOURCES if i in wanted]
    for done, indicator in enumerate(steps, start=1):
        source, scale, per = SOURCES[indicator]
        try:
            rows = list(source(bundle))
        except DataFileError as error:
            if error.path.parent.exists():
                raise
            # A bundle built online by `data fetch` has no folder for this dataset: the
            # indicator then simply has no figures until `data update` or a fuller bundle.
            continue
        harmonised = harmonise(indicator, rows, history, scale)
        if per is not None:
            harmonised = per_inhabitant(harmonised, population, per)
        values.extend(harmonised)
        if progress:
            progress("bundle indicators", done, len(steps))
    if "befolkningsvekst" in wanted:
        values.extend(population_growth(population, estimated_population))
    if "andel-67-og-eldre" in wanted:
        values.extend(age_share(bundle, history, 67, 200, "andel-67-og-eldre"))
    if "andel-0-17" in wanted:
        values.extend(age_share(bundle, history, 0, 17, "andel-0-17"))
    if "andel-80-og-eldre" in wanted:
        values.extend(age_share(bundle, history, 80, 200, "andel-80-og-eldre"))
    return values
