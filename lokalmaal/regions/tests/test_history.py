"""Tests of lokalmaal.regions.history against the real data bundle.

The bundle is read from $LOKALMAAL_DATA_DIR (default /work/shared/data); the tests that need it
are skipped when it is not there.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from lokalmaal.regions.history import (
    CodeHistory,
    HistoricalCode,
    HistoryError,
    Successor,
    UnknownCode,
    read_history,
)

FILES = (
    "municipalities/ssb_kommuner_1994_2024_harmonisert_til_2024.csv",
    "municipalities/fhi_norway_locations_history.csv",
    "municipalities/kommuner_2025.csv",
    "municipalities/counties_2025.json",
)
NON_MUNICIPAL = {"2111", "2112", "2115", "2121", "2131", "2199", "2211", "2311", "2321", "9999"}


@pytest.fixture(scope="module")
def bundle() -> Path:
    path = Path(os.environ.get("LOKALMAAL_DATA_DIR", "/work/shared/data"))
    missing = [name for name in FILES if not (path / name).is_file()]
    if missing:
        pytest.skip(f"data bundle not found at {path} (missing {', '.join(missing)})")
    return path


@pytest.fixture(scope="module")
def history(bundle: Path) -> CodeHistory:
    return CodeHistory(read_history(bundle))


@pytest.fixture(scope="module")
def kommuner(bundle: Path) -> dict[str, dict[str, str]]:
    with (bundle / FILES[2]).open(encoding="utf-8", newline="") as handle:
        return {row["kommunenummer"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def ssb_rows(bundle: Path) -> list[dict[str, str]]:
    with (bundle / FILES[0]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def population_share(kommuner: dict[str, dict[str, str]], codes: list[str]) -> dict[str, float]:
    people = {code: int(kommuner[code]["folketall"]) for code in codes}
    return {code: value / sum(people.values()) for code, value in people.items()}


def county_population_share(
    kommuner: dict[str, dict[str, str]], counties: set[str]
) -> dict[str, float]:
    people: dict[str, int] = defaultdict(int)
    for row in kommuner.values():
        if row["fylkesnummer"] in counties:
            people[row["fylkesnummer"]] += int(row["folketall"])
    return {county: value / sum(people.values()) for county, value in people.items()}


def as_dict(successors: list[Successor]) -> dict[str, float]:
    return {s.code: s.weight for s in successors}


# --- single successors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "year", "expected"),
    [
        pytest.param("1201", 2010, "4601", id="Bergen 1201 in 2010"),
        pytest.param("1201", 1994, "4601", id="Bergen 1201 in 1994"),
        pytest.param("4601", 2020, "4601", id="Bergen 4601 in 2020"),
        pytest.param("4601", 2024, "4601", id="Bergen 4601 in 2024"),
        pytest.param("0706", 2016, "3907", id="old Sandefjord 0706"),
        pytest.param("0710", 2017, "3907", id="Sandefjord 0710"),
        pytest.param("3804", 2020, "3907", id="Sandefjord 3804"),
        pytest.param("0719", 2016, "3907", id="Andebu 0719"),
        pytest.param("0720", 2016, "3907", id="Stokke 0720"),
        pytest.param("1504", 2019, "1508", id="old Ålesund 1504"),
        pytest.param("1523", 2019, "1508", id="Ørskog 1523"),
        pytest.param("1529", 2019, "1508", id="Skodje 1529"),
        pytest.param("1546", 2019, "1508", id="Sandøy 1546"),
        pytest.param("1534", 2019, "1580", id="old Haram 1534"),
        pytest.param("3001", 2021, "3101", id="Halden 3001"),
        pytest.param("0101", 2019, "3101", id="Halden 0101"),
        pytest.param("3025", 2020, "3203", id="Asker 3025"),
        pytest.param("0627", 2019, "3203", id="Røyken 0627"),
        pytest.param("3005", 2020, "3301", id="Drammen 3005"),
        pytest.param("0602", 2010, "3301", id="Drammen 0602"),
        pytest.param("0711", 2010, "3301", id="Svelvik 0711"),
        pytest.param("5401", 2022, "5501", id="Tromsø 5401"),
        pytest.param("1902", 2019, "5501", id="Tromsø 1902"),
        pytest.param("0716", 2000, "3905", id="Våle 0716 (SSB: 0716u)"),
        pytest.param("0716", 2010, "3905", id="Re 0716"),
        pytest.param("0717", 1999, "3901", id="Borre 0717 (supplement)"),
        pytest.param("1503", 2005, "1505", id="Kristiansund 1503"),
        pytest.param("1505", 2010, "1505", id="Kristiansund 1505"),
        pytest.param("1571", 2019, "5055", id="Halsa 1571 (K.Rest)"),
        pytest.param("1612", 2017, "5055", id="Hemne 1612 (K.Rest)"),
        pytest.param("1638", 2017, "5059", id="Orkdal 1638 (K.Rest)"),
        pytest.param("1805", 2019, "1806", id="Narvik 1805 (K.Rest)"),
        pytest.param("1849", 2019, "1875", id="Hamarøy 1849 (K.Rest)"),
        pytest.param("1567", 2018, "5061", id="Rindal 1567"),
        pytest.param("1214", 2001, "1160", id="Ølen 1214 (Hordaland)"),
    ],
)
def test_a_historical_code_maps_wholly_to_one_2024_code(
    history: CodeHistory, code: str, year: int, expected: str
) -> None:
    assert history.current_codes(code, year) == [Successor(expected, 1.0)]


def test_the_old_sandefjord_reaches_3907_through_0710_and_3804(history: CodeHistory) -> None:
    steps = [history.lookup(code, year) for code, year in [("0706", 2016), ("0710", 2017)]]
    steps.append(history.lookup("3804", 2020))
    assert [(s.valid_from, s.valid_to) for s in steps] == [(None, 2016), (2017, 2019), (2020, 2023)]
    assert all(s.name == "Sandefjord" for s in steps)
    assert history.lookup("3907", 2024).valid_from == 2024


def test_the_same_code_0716_means_vale_before_2002_and_re_after(history: CodeHistory) -> None:
    assert history.lookup("0716", 2001).name == "Våle"
    assert history.lookup("0716", 2002).name == "Re"


def test_a_2024_code_maps_to_itself_in_later_years(history: CodeHistory) -> None:
    assert history.current_codes("0301", 2030) == [Successor("0301", 1.0)]
    assert history.current_codes("56", 2025) == [Successor("56", 1.0)]


# --- splits ---------------------------------------------------------------------------------


def test_alesund_2020_2023_is_split_between_alesund_and_haram_by_population(
    history: CodeHistory, kommuner: dict[str, dict[str, str]]
) -> None:
    successors = history.current_codes("1507", 2021)
    assert [s.code for s in successors] == ["1508", "1580"]  # Ålesund, the larger, first
    assert successors[0].weight > successors[1].weight
    assert as_dict(successors) == pytest.approx(population_share(kommuner, ["1508", "1580"]))
    assert math.fsum(s.weight for s in successors) == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(
    ("code", "year", "expected"),
    [
        pytest.param("1850", 2010, {"1806": 0.5, "1875": 0.5}, id="Tysfjord"),
        pytest.param("5012", 2019, {"5055": 0.35, "5056": 0.35, "5059": 0.3}, id="Snillfjord"),
        pytest.param("1613", 2010, {"5055": 0.35, "5056": 0.35, "5059": 0.3}, id="Snillfjord 1613"),
    ],
)
def test_a_split_into_merged_municipalities_keeps_the_fhi_weights(
    history: CodeHistory, code: str, year: int, expected: dict[str, float]
) -> None:
    assert as_dict(history.current_codes(code, year)) == pytest.approx(expected)


# --- counties -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("county", "year", "targets"),
    [
        pytest.param("30", 2021, {"31", "32", "33"}, id="Viken"),
        pytest.param("30", 2020, {"31", "32", "33"}, id="Viken 2020"),
        pytest.param("38", 2022, {"39", "40"}, id="Vestfold og Telemark"),
        pytest.param("54", 2022, {"55", "56"}, id="Troms og Finnmark"),
    ],
)
def test_a_county_split_in_2024_is_weighted_by_the_population_of_its_parts(
    history: CodeHistory,
    kommuner: dict[str, dict[str, str]],
    county: str,
    year: int,
    targets: set[str],
) -> None:
    successors = history.current_codes(county, year)
    assert set(as_dict(successors)) == targets
    assert as_dict(successors) == pytest.approx(county_population_share(kommuner, targets))


@pytest.mark.parametrize(
    ("county", "year", "expected"),
    [
        pytest.param("34", 2024, {"34"}, id="Innlandet 2024"),
        pytest.param("34", 2021, {"34"}, id="Innlandet 2021"),
        pytest.param("03", 2000, {"03"}, id="Oslo"),
        pytest.param("04", 2010, {"34"}, id="Hedmark"),
        pytest.param("05", 2010, {"34", "32"}, id="Oppland: Jevnaker and Lunner to Akershus"),
        pytest.param("06", 2010, {"33", "32"}, id="Buskerud: Hurum and Røyken to Asker"),
        pytest.param("07", 2010, {"39", "33"}, id="Vestfold: Svelvik to Drammen"),
        pytest.param("16", 2017, {"50"}, id="Sør-Trøndelag"),
        pytest.param("50", 2018, {"50"}, id="Trøndelag"),
        pytest.param("15", 2019, {"15", "50"}, id="Møre og Romsdal with Halsa"),
        pytest.param("15", 2020, {"15"}, id="Møre og Romsdal without Halsa"),
        pytest.param("19", 2019, {"55"}, id="Troms"),
        pytest.param("20", 2019, {"56"}, id="Finnmark"),
    ],
)
def test_a_county_maps_to_the_2024_counties_of_its_municipalities(
    history: CodeHistory, county: str, year: int, expected: set[str]
) -> None:
    successors = history.current_codes(county, year)
    assert set(as_dict(successors)) == expected
    assert math.fsum(s.weight for s in successors) == pytest.approx(1.0, abs=1e-9)


def test_a_county_is_mostly_its_main_successor(history: CodeHistory) -> None:
    assert history.current_codes("05", 2010)[0].code == "34"
    assert history.current_codes("07", 2010)[0].code == "39"
    assert history.current_codes("15", 2019)[0].weight > 0.95


def test_every_2024_county_maps_to_itself_in_2024(history: CodeHistory) -> None:
    counties = history.valid_codes("county", 2024)
    assert counties == [
        "03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"
    ]  # fmt: skip
    for county in counties:
        assert history.current_codes(county, 2024) == [Successor(county, 1.0)]


# --- unknown codes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "year"),
    [
        pytest.param("1507", 2019, id="Ålesund 1507 before 2020"),
        pytest.param("1507", 2024, id="Ålesund 1507 after 2023"),
        pytest.param("4601", 2019, id="Bergen 4601 before 2020"),
        pytest.param("1201", 2020, id="Bergen 1201 after 2019"),
        pytest.param("3101", 2023, id="Halden 3101 before 2024"),
        pytest.param("0706", 2017, id="old Sandefjord after 2016"),
        pytest.param("1505", 2007, id="Kristiansund 1505 before 2008"),
        pytest.param("30", 2024, id="Viken in 2024"),
        pytest.param("34", 2019, id="Innlandet before 2020"),
        pytest.param("16", 2018, id="Sør-Trøndelag after 2017"),
        pytest.param("2111", 2020, id="Longyearbyen"),
        pytest.param("9999", 2020, id="unknown municipality"),
        pytest.param("0000", 2020, id="never used"),
        pytest.param("Oslo", 2020, id="not a code"),
    ],
)
def test_a_code_not_valid_in_the_year_raises_unknown_code(
    history: CodeHistory, code: str, year: int
) -> None:
    with pytest.raises(UnknownCode) as raised:
        history.current_codes(code, year)
    assert raised.value.code == code
    assert raised.value.year == year
    assert repr(code) in str(raised.value)


def test_the_unknown_code_message_says_when_the_code_was_valid(history: CodeHistory) -> None:
    with pytest.raises(UnknownCode, match=r"not valid in 2019.*Ålesund \(2020 to 2023\)"):
        history.current_codes("1507", 2019)


# --- completeness ---------------------------------------------------------------------------


def test_every_2024_municipality_maps_to_itself_in_2024(
    history: CodeHistory, kommuner: dict[str, dict[str, str]]
) -> None:
    assert len(kommuner) == 357
    wrong = [
        code for code in kommuner if history.current_codes(code, 2024) != [Successor(code, 1.0)]
    ]
    assert wrong == []
    assert history.valid_codes("municipality", 2024) == sorted(kommuner)


def test_every_code_in_the_ssb_file_resolves_inside_its_validity_to_2024_codes(
    history: CodeHistory, ssb_rows: list[dict[str, str]], kommuner: dict[str, dict[str, str]]
) -> None:
    skipped = set()
    problems = []
    for row in ssb_rows:
        code = row["kode"].rstrip("u")
        if row["harmonisert_kode"] in ("K.21-22", "K.23") or code == "9999":
            skipped.add(code)
            continue
        year = int(row["gyldig_til_aar"] or 2024)
        successors = history.current_codes(code, year)
        if not successors or any(s.code not in kommuner for s in successors):
            problems.append((code, year, successors))
        if abs(math.fsum(s.weight for s in successors) - 1.0) > 1e-9:
            problems.append((code, year, successors))
        target = row["harmonisert_kode"].removeprefix("K.")
        if target != "Rest" and len(successors) == 1 and successors[0].code != target:
            problems.append((code, year, successors))
    assert problems == []
    assert skipped == NON_MUNICIPAL
    assert len(ssb_rows) == 862


def test_all_weights_are_positive_and_sum_to_one(history: CodeHistory) -> None:
    entries = list(history)
    assert len(entries) > 850
    for entry in entries:
        assert entry.kind in ("municipality", "county")
        assert all(s.weight > 0.0 for s in entry.successors)
        assert math.fsum(s.weight for s in entry.successors) == pytest.approx(1.0, abs=1e-9)


def test_successors_are_2024_codes_of_the_same_kind(
    history: CodeHistory, kommuner: dict[str, dict[str, str]]
) -> None:
    counties = {row["fylkesnummer"] for row in kommuner.values()}
    for entry in history:
        allowed = kommuner.keys() if entry.kind == "municipality" else counties
        assert {s.code for s in entry.successors} <= allowed, entry


@pytest.mark.parametrize(
    ("year", "count"),
    [(1994, 435), (2001, 435), (2002, 434), (2017, 426), (2018, 422), (2020, 356), (2024, 357)],
)
def test_the_number_of_municipalities_per_year_is_right(
    history: CodeHistory, year: int, count: int
) -> None:
    assert len(history.valid_codes("municipality", year)) == count


def test_every_2024_municipality_has_a_predecessor_in_every_year(
    history: CodeHistory, kommuner: dict[str, dict[str, str]]
) -> None:
    gaps = []
    for year in range(1994, 2025):
        covered = {
            s.code
            for code in history.valid_codes("municipality", year)
            for s in history.current_codes(code, year)
        }
        gaps += [(year, code) for code in sorted(set(kommuner) - covered)]
    assert gaps == []


def test_the_codes_with_population_in_ssb_table_07459_are_the_valid_ones(
    history: CodeHistory, bundle: Path
) -> None:
    path = bundle / "ssb-statistics/ssb_07459_folkemengde_kommune_2005_2023_total.csv"
    if not path.is_file():
        pytest.skip(f"{path} not in the bundle")
    populated: dict[int, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["region_code"].isdigit() and int(row["population"] or 0) > 0:
                populated[int(row["year"])].add(row["region_code"])
    for year, codes in sorted(populated.items()):
        valid = set(history.valid_codes("municipality", year))
        assert codes <= valid, (year, sorted(codes - valid))
        if year >= 2017:  # the 2005-2016 extract lacks some municipalities (SOURCES.md)
            assert codes == valid, (year, sorted(valid - codes))


# --- malformed input ------------------------------------------------------------------------


@pytest.fixture
def bundle_copy(bundle: Path, tmp_path: Path) -> Path:
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bundle / name, tmp_path / name)
    return tmp_path


def replace_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "line", "old", "new", "reason"),
    [
        pytest.param(FILES[0], 3, ",2020,2023,", ",20x0,2023,", "not a year", id="SSB year"),
        pytest.param(FILES[0], 3, "K.3101", "K.31O1", "harmonisert_kode", id="SSB group"),
        pytest.param(FILES[0], 3, ",False", ",Nope", "True/False", id="SSB flag"),
        pytest.param(FILES[0], 3, ",2020,2023,", ",2023,2020,", "after", id="SSB years reversed"),
        pytest.param(FILES[1], 2, "1838,2019", "1838,1800", "before year_start", id="FHI years"),
        pytest.param(FILES[2], 2, ",717710,", ",-1,", "folketall", id="population"),
        pytest.param(FILES[2], 1, "folketall", "innbyggere", "missing column", id="header"),
    ],
)
def test_malformed_input_raises_history_error_with_file_and_line(
    bundle_copy: Path, file: str, line: int, old: str, new: str, reason: str
) -> None:
    replace_line(bundle_copy / file, line, old, new)
    with pytest.raises(HistoryError, match=reason) as raised:
        read_history(bundle_copy)
    assert raised.value.file == str(bundle_copy / file)
    assert raised.value.line == line


def test_a_split_with_weights_not_summing_to_one_is_rejected(bundle_copy: Path) -> None:
    path = bundle_copy / FILES[1]
    number = next(
        n
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ",municip_nor5059,0.3,municip_nor5012," in text
    )
    replace_line(path, number, ",0.3,", ",0.5,")
    with pytest.raises(HistoryError, match="sum to"):
        read_history(bundle_copy)


def test_a_missing_file_raises_history_error(bundle_copy: Path) -> None:
    (bundle_copy / FILES[1]).unlink()
    with pytest.raises(HistoryError, match="cannot open") as raised:
        read_history(bundle_copy)
    assert raised.value.line == 0


# --- CodeHistory on its own -----------------------------------------------------------------


def make(
    code: str, valid_from: int | None, valid_to: int | None, *weights: float
) -> HistoricalCode:
    successors = tuple(Successor(f"46{index:02}", w) for index, w in enumerate(weights))
    return HistoricalCode(code, "Test", "municipality", valid_from, valid_to, successors)


def test_code_history_rejects_two_entries_for_overlapping_years() -> None:
    with pytest.raises(ValueError, match="overlapping"):
        CodeHistory([make("1201", None, 2019, 1.0), make("1201", 2019, None, 1.0)])


def test_code_history_rejects_weights_that_do_not_sum_to_one() -> None:
    with pytest.raises(ValueError, match="sum to"):
        CodeHistory([make("1201", None, 2019, 0.5, 0.4)])


def test_code_history_picks_the_entry_of_the_year_asked_for() -> None:
    history = CodeHistory([make("0716", None, 2001, 1.0), make("0716", 2002, 2019, 0.5, 0.5)])
    assert len(history.current_codes("0716", 1990)) == 1
    assert len(history.current_codes("0716", 2002)) == 2
    with pytest.raises(UnknownCode):
        history.current_codes("0716", 2020)


def test_current_codes_returns_a_new_list_each_time(history: CodeHistory) -> None:
    first = history.current_codes("1507", 2021)
    first.clear()
    assert len(history.current_codes("1507", 2021)) == 2
