"""Compute the indicators that the offline data bundle supports, for every municipality in the
2024 division. Pure functions over files and the code history; no database.

Each source row is tied to the municipality code as it was in its year and converted with the
code history: counts are summed into their 2024 successors (split ones by weight, marked as
estimated); rates are recomputed from numerator and denominator. A rate that the source gives
without its numerator and denominator is kept only where the old municipality is exactly today's
one, because averaging rates of merged municipalities would be wrong.
"""

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lokalmaal.lib.datafiles import DataFileError, Row, read_csv
from lokalmaal.regions.history import CodeHistory, UnknownCode


@dataclass(frozen=True)
class Raw:
    """One source figure for a municipality code as it was in `code_year`."""

    code: str
    code_year: int
    year: int
    numerator: float | None = None  # a count, or the numerator of a rate
    denominator: float | None = None  # the denominator of a rate; None for plain counts
    rate: float | None = None  # a rate given without numerator and denominator


@dataclass(frozen=True)
class Value:
    indicator: str
    region: str
    year: int
    value: float | None
    estimated: bool = False
    note: str = ""


@dataclass
class _Sum:
    numerator: float = 0.0
    denominator: float = 0.0
    estimated: bool = False
    parts: int = 0


def harmonise(
    indicator: str, rows: Iterable[Raw], history: CodeHistory, scale: float = 1.0
) -> list[Value]:
    """Turn source rows into values for 2024 municipalities. `scale` turns a ratio into the unit
    (100 for per cent, 1000 for per 1,000)."""
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
            one_to_one = (
                len(successors) == 1 and predecessors[(successors[0].code, row.code_year)] == 1
            )
            if one_to_one:
                rates.append(Value(indicator, successors[0].code, row.year, row.rate))
            continue
        for successor in successors:
            total = sums[(successor.code, row.year)]
            total.numerator += (row.numerator or 0.0) * successor.weight
            if row.denominator is not None:
                total.denominator += row.denominator * successor.weight
            total.estimated |= successor.weight < 1.0
            total.parts += 1
    values = rates
    for (code, year), total in sorted(sums.items()):
        if total.denominator:
            value: float | None = total.numerator / total.denominator * scale
        else:
            value = total.numerator * scale
        note = "Includes a share of a split municipality" if total.estimated else ""
        values.append(Value(indicator, code, year, value, total.estimated, note))
    return values


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
                yield Raw(row.required("region_code"), 2018, year, rate=_number(row, "value"))

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


def hydropower(bundle: Path) -> Iterator[Raw]:
    """Installed hydropower capacity (MW), 2020–2023 municipalities; a count, so it sums."""
    path = bundle / "energy" / "nve_vannkraft_per_kommune_2022.csv"
    for row in read_csv(path, {"region_code", "year", "value", "indicator"}):
        if row["indicator"] == "vannkraft_installert_effekt":
            yield Raw(row.required("region_code"), 2022, 2022, numerator=_number(row, "value"))


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
        result.append(
            Value(
                value.indicator,
                value.region,
                value.year,
                value.value / people * scale,
                value.estimated,
                value.note,
            )
        )
    return result


def population_growth(population: dict[tuple[str, int], int]) -> list[Value]:
    """Change in population from 1 January the year before, per cent (today's boundaries)."""
    result = []
    for (code, year), people in sorted(population.items()):
        before = population.get((code, year - 1))
        if before:
            result.append(Value("befolkningsvekst", code, year, (people / before - 1) * 100))
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
}


def compute_bundle(
    bundle: Path,
    history: CodeHistory,
    population: dict[tuple[str, int], int],
    wanted: set[str],
    progress: Callable[[str, int, int], None] | None = None,
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
        values.extend(population_growth(population))
    if "andel-67-og-eldre" in wanted:
        values.extend(age_share(bundle, history, 67, 200, "andel-67-og-eldre"))
    if "andel-0-17" in wanted:
        values.extend(age_share(bundle, history, 0, 17, "andel-0-17"))
    return values
