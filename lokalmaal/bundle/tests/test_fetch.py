"""`lokalmaal data fetch` builds the bundle from the originals; tested on recorded responses only.

The offline bundle's byte copies are the recorded responses for their URLs. The originals the
bundle converted (xlsx workbooks, SSB's latin-1 exports) are not in it, so the tests build them
in the upstream layout from the bundle's own CSV files and check that converting them gives the
bundle's files back, byte for byte. No test touches the network.
"""

import csv
import datetime
import hashlib
import io
import re
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from conftest import bundle_dir
from lokalmaal.bundle import fetch
from lokalmaal.catalogue.bundle import read_catalogue
from lokalmaal.regions.bundle import read_regions

FETCHED_ON = datetime.date(2026, 5, 4)
SSB_GROUPING = "municipalities/ssb_kommuner_1994_2024_harmonisert_til_2024.csv"
FHI_LOCATIONS = "municipalities/fhi_norway_locations_history.csv"
BA_REGIONS = "municipalities/ba_regioner_2024_etter_kommune.csv"
POPULATION = "ssb-statistics/ssb_07459_folkemengde_kommune_2005_2023_total.csv"
ROBEK = "kmd-kommuneokonomi/kmd_robek_kommune_2026.csv"
DKI = "kmd-kommuneokonomi/kmd_dki_kostnadsindeks_kommune_2025_2026.csv"


def bundle_bytes(target: str) -> bytes:
    return (bundle_dir() / target).read_bytes()


def bundle_rows(target: str) -> list[list[str]]:
    text = bundle_bytes(target).decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def plan(target: str) -> fetch.BundleFile:
    (found,) = [file for file in fetch.BUNDLE_FILES if file.target == target]
    return found


# --- Recorded upstream files -----------------------------------------------------------------


def typed(cell: str) -> object:
    """A cell as Excel stores it: numbers as numbers, empty as nothing, the rest as text."""
    if cell == "":
        return None
    if re.fullmatch(r"-?\d+", cell):
        return int(cell)
    if re.fullmatch(r"-?\d+\.\d+", cell):
        return float(cell)
    return cell


def workbook(sheets: Mapping[str, Sequence[Sequence[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ssb_grouping_workbook(rows: list[list[str]]) -> bytes:
    """SSB's grouping export as regtools has it: GRUPPEKODE, GRUPPETEKST, KODE, TEKST."""
    header = ["GRUPPEKODE", "GRUPPETEKST", "KODE", "TEKST"]
    return workbook({"Sheet1": [header, *([r[0], r[1], r[2], r[3]] for r in rows)]})


def sheet_workbook(rows: list[list[str]], name: str = "Ark1", *, extra: bool = False) -> bytes:
    header: list[object] = list(rows[0])
    sheets = {name: [header, *([typed(c) for c in r] for r in rows[1:])]}
    if extra:
        sheets["Etter BA-region"] = [["BA-region", "Antall kommuner"], ["05 Oslo/Bærum", 11]]
    return workbook(sheets)


def ssb_export(years: list[int], regions: dict[str, dict[int, int]], *, newer: bool) -> bytes:
    """An SSB 07459 export of ``regions`` (raw region -> year -> total) in the upstream layout:
    the older exports tab-separated without a title, the newer with a title line, semicolons
    and CRLF; latin-1. Each total is spread over three ages so that the sum matters."""
    buffer = io.StringIO()
    if newer:
        buffer.write('"07459: Population, by region, age, contents and year"\r\n\r\n')
    writer = csv.writer(
        buffer,
        delimiter=";" if newer else "\t",
        quoting=csv.QUOTE_NONNUMERIC,
        lineterminator="\r\n" if newer else "\n",
    )
    writer.writerow(["region", "age", *(f"Persons {year}" for year in years)])
    for region, totals in regions.items():
        thirds = {year: totals[year] // 3 for year in years}
        writer.writerow([region, "0 years", *(thirds[y] for y in years)])
        writer.writerow([region, "1 year", *(thirds[y] for y in years)])
        rest = [totals[y] - 2 * thirds[y] for y in years]
        writer.writerow([region, "105 years or older", *rest])
    return buffer.getvalue().encode("latin-1")


def population_exports() -> dict[str, bytes]:
    """The eight Personer*.csv files, rebuilt from the bundle's summed CSV."""
    by_file: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    years: dict[str, list[int]] = defaultdict(list)
    for row in bundle_rows(POPULATION)[1:]:
        year, raw, population, source = int(row[0]), row[1], int(row[5]), row[6]
        by_file[source][raw][year] = population
        if year not in years[source]:
            years[source].append(year)
    return {
        name: ssb_export(years[name], by_file[name], newer=min(years[name]) >= 2023)
        for name in fetch.POPULATION_FILES
    }


@pytest.fixture(scope="module")
def recorded() -> dict[str, bytes]:
    """URL -> recorded response for every file the fetch downloads."""
    responses = {
        file.inputs[0].url: bundle_bytes(file.target)
        for file in fetch.BUNDLE_FILES
        if file.derive is None
    }
    responses[plan(SSB_GROUPING).inputs[0].url] = ssb_grouping_workbook(
        bundle_rows(SSB_GROUPING)[1:]
    )
    responses[plan(FHI_LOCATIONS).inputs[0].url] = sheet_workbook(bundle_rows(FHI_LOCATIONS))
    responses[plan(BA_REGIONS).inputs[0].url] = sheet_workbook(
        bundle_rows(BA_REGIONS), "Etter kommune", extra=True
    )
    exports = population_exports()
    for upstream in plan(POPULATION).inputs:
        responses[upstream.url] = exports[Path(upstream.path).name]
    return responses


class RecordedGetter:
    """Serves recorded responses; any other URL fails, as a 404 would."""

    def __init__(self, responses: dict[str, bytes]) -> None:
        self.responses = dict(responses)
        self.requested: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.requested.append(url)
        if url not in self.responses:
            raise LookupError(f"no recorded response for {url}")
        return self.responses[url]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# --- SDG catalogue ---------------------------------------------------------------------------


def sdg_yaml(language: str) -> dict[str, bytes]:
    folder = bundle_dir() / "sdg" / "open-sdg-translations" / language
    return {kind: (folder / f"global_{kind}.yml").read_bytes() for kind in fetch.SDG_KINDS}


def test_the_sdg_catalogue_is_derived_byte_for_byte_from_the_bundles_yaml():
    derived = fetch.sdg_catalogue_csv(sdg_yaml("en"), sdg_yaml("nb_NO"))
    assert derived == bundle_bytes("sdg/sdg_catalogue_en_nb.csv")
    assert derived.count(b"\r\n") == 439  # 438 rows and a header; the csv module's CRLF


def test_the_sdg_catalogue_sorts_numbers_before_letters_and_needs_every_bokmal_text():
    en = {
        "goals": b"1-short: No poverty\n1-title: End poverty\n",
        "targets": b"1-b-title: B\n1-10-title: Ten\n1-2-title: Two\n",
        "indicators": b"1-10-1-title: 'Ten, one'\n",
    }
    nb = {
        "goals": b"1-short: Ingen fattigdom\n1-title: Utrydde fattigdom\n",
        "targets": b"1-b-title: Be\n1-10-title: Ti\n1-2-title: To\n",
        "indicators": b"1-10-1-title: Ti en\n",
    }
    rows = list(csv.reader(io.StringIO(fetch.sdg_catalogue_csv(en, nb).decode())))
    assert [row[1] for row in rows[1:]] == ["1", "1.2", "1.10", "1.b", "1.10.1"]
    assert rows[-1] == ["indicator", "1.10.1", "1", "1.10", "", "", "Ten, one", "Ti en"]
    with pytest.raises(
        fetch.ConversionError, match=r"nb_NO/global_targets\.yml has no text for '1-b-title'"
    ):
        fetch.sdg_catalogue_csv(en, {**nb, "targets": b"1-10-title: Ti\n1-2-title: To\n"})
    with pytest.raises(fetch.ConversionError, match="not valid UTF-8 YAML"):
        fetch.sdg_catalogue_csv({**en, "goals": b"1-short: [unclosed\n"}, nb)


# --- Municipalities --------------------------------------------------------------------------


def test_kommuner_csv_is_derived_byte_for_byte_from_the_two_json_files():
    derived = fetch.kommuner_csv(
        bundle_bytes("municipalities/municipalities_2025.json"),
        bundle_bytes("municipalities/counties_2025.json"),
    )
    assert derived == bundle_bytes("municipalities/kommuner_2025.csv")


def test_kommuner_csv_names_a_municipality_whose_county_is_unknown():
    municipalities = (
        b'[{"id": "9901", "name": "X", "name_no": "X", "adm_center": "X", "population": 1,'
        b' "area": 1.5, "language": "Bokm\\u00e5l", "url": "", "postal_codes": []}]'
    )
    with pytest.raises(fetch.ConversionError, match="municipality 9901: county '99'"):
        fetch.kommuner_csv(municipalities, b'[{"id": "03", "name": "Oslo"}]')


def test_three_rows_of_the_ssb_grouping_workbook_become_the_first_rows_of_the_bundle_csv():
    expected = bundle_bytes(SSB_GROUPING).decode().splitlines(keepends=True)[:4]
    xlsx = workbook(
        {
            "Sheet1": [
                ["GRUPPEKODE", "GRUPPETEKST", "KODE", "TEKST"],
                ["K.3101", "Halden", "3101", "Halden"],
                ["K.3101", "Halden", "3001", "Halden (2020-2023)"],
                ["K.3101", "Halden", "0101", "Halden (-2019)"],
            ]
        }
    )
    assert fetch.ssb_grouping_csv(xlsx).decode() == "".join(expected)


def test_the_whole_ssb_grouping_is_reproduced_from_its_workbook(recorded):
    xlsx = recorded[plan(SSB_GROUPING).inputs[0].url]
    assert fetch.ssb_grouping_csv(xlsx) == bundle_bytes(SSB_GROUPING)


def test_the_ssb_grouping_restores_leading_zeros_and_reads_every_kind_of_validity():
    xlsx = workbook(
        {
            "Sheet1": [
                ["KODE", "TEKST", "GRUPPEKODE", "GRUPPETEKST", "ANTALL"],
                [101, "Halden (-2019)", "K.3101", "Halden", 1],
                ["1867", "Bø (Nordland)", "K.1867", "Bø", 1],
                ["1503", "Kristiansund  (-2007)", "K.1505", "Kristiansund", 1],
                ["5030", "Klæbu (2018-2019)", "K.5001", "Trondheim", 1],
                ["9999", "Uoppgitt kommune", "K.Rest", "Delte kommuner og uoppgitt", 1],
                ["5099", "Eksempel (2019)", "K.5001", "Trondheim", 1],
            ]
        }
    )
    rows = list(csv.reader(io.StringIO(fetch.ssb_grouping_csv(xlsx).decode())))
    assert rows[1:] == [
        ["K.3101", "Halden", "0101", "Halden (-2019)", "Halden", "", "2019", "False"],
        ["K.1867", "Bø", "1867", "Bø (Nordland)", "Bø (Nordland)", "", "", "True"],
        ["K.1505", "Kristiansund", "1503", "Kristiansund  (-2007)", "Kristiansund", "", "2007",
         "False"],
        ["K.5001", "Trondheim", "5030", "Klæbu (2018-2019)", "Klæbu", "2018", "2019", "False"],
        ["K.Rest", "Delte kommuner og uoppgitt", "9999", "Uoppgitt kommune", "Uoppgitt kommune",
         "", "", "False"],
        ["K.5001", "Trondheim", "5099", "Eksempel (2019)", "Eksempel", "2019", "2019", "False"],
    ]  # fmt: skip
    with pytest.raises(fetch.ConversionError, match="missing column"):
        fetch.ssb_grouping_csv(workbook({"Sheet1": [["KODE", "TEKST"], ["0101", "Halden"]]}))


def test_three_rows_of_fhis_locations_workbook_become_the_first_rows_of_the_bundle_csv():
    expected = bundle_bytes(FHI_LOCATIONS).decode().splitlines(keepends=True)[:4]
    header = next(csv.reader(expected[:1]))
    first = ["municip_nor3001", None, "municip_nor0101", "Halden", "county_nor01", "Østfold"]
    region = ["georegion_nor5", "Østlandet-Austlandet", "mtregion_nor2", "Stor-Oslo"]
    xlsx = workbook(
        {
            "Sheet1": [
                header,
                [1838.0, 2019.0, *first, *region],  # whole numbers stored as floats
                [
                    1838,
                    2019,
                    "municip_nor3002",
                    None,
                    "municip_nor0104",
                    "Moss",
                    *first[4:],
                    *region,
                ],
                [
                    1992,
                    2019,
                    "municip_nor3003",
                    None,
                    "municip_nor0105",
                    "Sarpsborg",
                    *first[4:],
                    *region,
                ],
                [None] * 12,  # an empty row at the end of the sheet
            ]
        }
    )
    assert fetch.xlsx_to_csv(xlsx).decode() == "".join(expected)


def test_fhis_locations_and_the_labour_market_regions_are_reproduced_from_their_workbooks(recorded):
    fhi = recorded[plan(FHI_LOCATIONS).inputs[0].url]
    assert fetch.xlsx_to_csv(fhi) == bundle_bytes(FHI_LOCATIONS)
    ba = recorded[plan(BA_REGIONS).inputs[0].url]
    assert fetch.xlsx_to_csv(ba, "Etter kommune") == bundle_bytes(BA_REGIONS)


def test_the_labour_market_regions_keep_decimals_and_quote_text_with_commas():
    rows: list[list[object]] = [
        ["Kommune (per 1. januar 2020)", "BA-region", "Reisetid", "Ut-pendling", "Inn-pendling",
         "Inkluderingsgrunnlag"],
        ["1112 Lund", "48 Eigersund", 41.28, 6.07, 1.38, "Reisevei < 45, sum pendling > 6"],
        ["3421 Trysil", "21 Trysil", 17.96, 66.1795407098121, 66.1795407098121,
         "Restkommune, egen BA-region"],
        ["1101 Eigersund", "48 Eigersund", 8, 59.67, 59.67, "Senterkommune"],
    ]  # fmt: skip
    csv_text = fetch.xlsx_to_csv(workbook({"Etter kommune": rows}), "Etter kommune").decode()
    bundle_lines = set(bundle_bytes(BA_REGIONS).decode().splitlines())
    assert all(line in bundle_lines for line in csv_text.splitlines())


def test_a_workbook_without_the_sheet_or_not_a_workbook_at_all_is_an_error():
    with pytest.raises(fetch.ConversionError, match="no sheet 'Etter kommune'"):
        fetch.xlsx_to_csv(workbook({"Ark1": [["a"], [1]]}), "Etter kommune")
    with pytest.raises(fetch.ConversionError, match=r"not an Excel workbook \(.xlsx\)"):
        fetch.xlsx_to_csv(b"<html>Not found</html>")


# --- Population ------------------------------------------------------------------------------

# SSB 07459 exports as FHI stored them: the older tab-separated without a title, the newer with
# a title line and semicolons, latin-1 (b"\xf8" is ø). Personer2019.csv upstream has the UTF-8
# bytes of U+FFFD where ø was, which latin-1 reads as "ï¿½", as the bundle has it.
SAMPLE_2005 = (
    b'"region"\t"age"\t"Persons 2005"\t"Persons 2006"\n'
    b'"0101 Halden"\t"0 years"\t314\t273\n'
    b'"0101 Halden"\t"1 year"\t27000\t27449\n'
    b'"0101 Halden"\t"105 years or older"\t268\t0\n'
    b'"0121 R\xf8mskog"\t"0 years"\t10\t7\n'
    b'"0121 R\xf8mskog"\t"1 year"\t657\t663\n'
    b'"5050 Vikna"\t"0 years"\t0\t0\n'
    b'"5050 Vikna"\t"1 year"\t.\t..\n'
)
SAMPLE_2019 = (
    b'"region"\t"age"\t"Persons 2019"\n'
    b'"5053 Inder\xef\xbf\xbdy"\t"0 years"\t6800\n'
    b'"5053 Inder\xef\xbf\xbdy"\t"1 year"\t4\n'
)
SAMPLE_2023 = (
    b'"07459: Population, by region, age, contents and year"\r\n\r\n'
    b'"region";"age";"Persons 2023"\r\n'
    b'"K-3001 Halden";"0 years";236\r\n'
    b'"K-3001 Halden";"1 year";31494\r\n'
    b'"K-5436 Porsanger - Pors\xe1ngu - Porsanki\xa0";"0 years";3863\r\n'
    b'"K-Rest Divided municalities and unknown";"0 years";0\r\n'
)


def test_a_small_latin1_sample_sums_over_age_into_the_bundles_rows():
    derived = fetch.population_csv(
        [
            ("Personer2023.csv", SAMPLE_2023),
            ("Personer2005-2009.csv", SAMPLE_2005),
            ("Personer2019.csv", SAMPLE_2019),
        ]
    ).decode("utf-8")
    bundle_lines = bundle_bytes(POPULATION).decode("utf-8").splitlines()
    pattern = re.compile(r"(200[56],(0101|0121|5050)|2019,5053|2023,K-(3001|5436|Rest)) ")
    expected = [bundle_lines[0], *(line for line in bundle_lines if pattern.match(line))]
    assert len(expected) == 1 + 10
    assert derived.splitlines() == expected
    assert "2019,5053 Inderï¿½y,5053,Inderï¿½y," in derived  # as the bundle has it
    assert "Porsanki\xa0,5436,Porsanger - Porsángu - Porsanki\xa0," in derived


def test_the_whole_population_file_is_reproduced_from_the_eight_exports(recorded):
    files = [
        (Path(upstream.path).name, recorded[upstream.url]) for upstream in plan(POPULATION).inputs
    ]
    assert fetch.population_csv(files) == bundle_bytes(POPULATION)


def test_a_population_export_with_a_bad_number_or_a_region_twice_is_an_error():
    bad = SAMPLE_2019.replace(b"\t4\n", b"\tfire\n")
    with pytest.raises(fetch.ConversionError, match=r"Personer2019\.csv: line 3: 'fire'"):
        fetch.population_csv([("Personer2019.csv", bad)])
    with pytest.raises(fetch.ConversionError, match=r"also in Personer2019\.csv"):
        fetch.population_csv([("Personer2019.csv", SAMPLE_2019), ("Kopi.csv", SAMPLE_2019)])
    with pytest.raises(fetch.ConversionError, match='no header line starting with "region"'):
        fetch.population_csv([("Personer2019.csv", b"<html>rate limited</html>")])


# --- KMD registers ------------------------------------------------------------------------

MUNICIPALITIES_JSON = "municipalities/municipalities_2025.json"


def test_the_kmd_files_are_byte_copies_of_kommunebarometers_json_and_derived_from_them():
    folder = bundle_dir() / "kmd-kommuneokonomi"
    files = [file for file in fetch.BUNDLE_FILES if file.folder == "kmd-kommuneokonomi"]
    assert sorted(file.target for file in files) == sorted(
        f"kmd-kommuneokonomi/{p.name}" for p in folder.iterdir() if p.name != "SOURCES.md"
    )
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    for file in files:
        if file.derive is None:
            (upstream,) = file.inputs
            assert upstream.sha256 == hashlib.sha256(bundle_bytes(file.target)).hexdigest()
            # SOURCES.md names repository, path and the commit of each raw file
            assert f"`{upstream.path}`" in sources
            assert upstream.repository.commit in sources
    municipalities = bundle_bytes(MUNICIPALITIES_JSON)
    robek = bundle_bytes("kmd-kommuneokonomi/kmd_robek_2026-04-20_raw.json")
    assert fetch.robek_csv(robek, municipalities) == bundle_bytes(ROBEK)
    dki = [bundle_bytes(f"kmd-kommuneokonomi/kmd_dki_{year}_raw.json") for year in (2025, 2026)]
    assert fetch.dki_csv(dki, municipalities) == bundle_bytes(DKI)


def test_the_kmd_conversions_name_an_unknown_municipality_or_a_missing_number():
    municipalities = b'[{"id": "0301", "name": "Oslo"}, {"id": "1101", "name": "Eigersund"}]'
    robek = (
        b'{"publisert": "2026-04-20", "kommuner": [{"kommunenummer": "1101", "hjemmel": "c og d"}]}'
    )
    assert fetch.robek_csv(robek, municipalities).decode().splitlines()[1:] == [
        '0301,Oslo,2026,2026-04-20,i_robek,0,"1 = oppført i ROBEK, 0 = ikke oppført",',
        '1101,Eigersund,2026,2026-04-20,i_robek,1,"1 = oppført i ROBEK, 0 = ikke oppført",c og d',
    ]
    with pytest.raises(fetch.ConversionError, match=r"do not exist: \['9999'\]"):
        fetch.robek_csv(robek.replace(b"1101", b"9999"), municipalities)
    dki = '{"år": 2025, "kommuner": {"1101": 1.0304, "0301": {"samlet": 0.9287}}}'.encode()
    rows = fetch.dki_csv([dki], municipalities).decode().splitlines()
    assert [row.split(",")[0] for row in rows[1:]] == ["1101", "0301"]
    assert rows[2].endswith(",0.9287,indeks (landet=1)")
    with pytest.raises(fetch.ConversionError, match="municipality 0301 has no number"):
        fetch.dki_csv([dki.replace(b'"samlet"', b'"grunnskole"')], municipalities)
    with pytest.raises(fetch.ConversionError, match="municipality 1101 does not exist"):
        fetch.dki_csv([dki], b'[{"id": "0301", "name": "Oslo"}]')


# --- Fetching into a folder ------------------------------------------------------------------


def test_fetch_builds_the_files_the_loader_reads_byte_for_byte_and_they_load(recorded, tmp_path):
    dest = tmp_path / "var" / "data"
    get = RecordedGetter(recorded)
    messages: list[str] = []
    count = fetch.fetch_bundle(dest, get=get, log=messages.append, fetched_on=FETCHED_ON)

    assert count == len(fetch.BUNDLE_FILES) == 64
    for file in fetch.BUNDLE_FILES:
        assert (dest / file.target).read_bytes() == bundle_bytes(file.target), file.target
    assert sorted(get.requested) == sorted(recorded)  # every URL once
    assert sorted(p.name for p in tmp_path.joinpath("var").iterdir()) == ["data"]
    for file in fetch.BUNDLE_FILES:
        assert any(file.target in message for message in messages)

    sources = (dest / "SOURCES.md").read_text(encoding="utf-8")
    assert sources.startswith(fetch.SOURCES_TITLE)
    assert "Fetched on 2026-05-04" in sources
    for upstream in {u for file in fetch.BUNDLE_FILES for u in file.inputs}:
        assert upstream.url in sources
        assert upstream.repository.commit in sources
    assert "CC BY 4.0" in sources

    catalogue = read_catalogue(dest)
    assert (len(catalogue.goals), len(catalogue.targets)) == (17, 169)
    regions = read_regions(dest)
    assert sum(1 for r in regions.regions if r.kind == "municipality") == 357
    assert regions.population


def test_a_failed_download_names_the_url_and_leaves_the_existing_folder_untouched(
    recorded, tmp_path
):
    dest = tmp_path / "data"
    fetch.fetch_bundle(dest, get=RecordedGetter(recorded), log=lambda _: None)
    before = snapshot(dest)
    missing = plan("geo/Fylker-S.geojson").inputs[0].url
    get = RecordedGetter({url: data for url, data in recorded.items() if url != missing})
    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch_bundle(dest, get=get, log=lambda _: None)
    assert str(error.value) == (
        f"Could not download {missing}: LookupError: no recorded response for {missing}"
    )
    assert snapshot(dest) == before
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # no temporary folder left


def test_a_failed_conversion_names_the_file_and_url_and_creates_nothing(recorded, tmp_path):
    dest = tmp_path / "data"
    url = plan("municipalities/fhi_norway_locations_history.csv").inputs[0].url
    get = RecordedGetter({**recorded, url: b"<!DOCTYPE html><title>404</title>"})
    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch_bundle(dest, get=get, log=lambda _: None)
    message = str(error.value)
    assert message.startswith(f"Could not derive {FHI_LOCATIONS} from {url}: ")
    assert "not an Excel workbook" in message
    assert list(tmp_path.iterdir()) == []


def test_a_git_lfs_pointer_or_an_empty_answer_is_not_taken_for_the_file(recorded, tmp_path):
    url = plan("geo/Kommuner-M.geojson").inputs[0].url
    pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 3311390\n"
    for answer, reason in (
        (pointer, "the answer is a Git LFS pointer"),
        (b"", "the answer was empty"),
    ):
        with pytest.raises(fetch.FetchError, match=re.escape(f"{url}: {reason}")):
            fetch.fetch_bundle(
                tmp_path / "data", get=RecordedGetter({**recorded, url: answer}), log=lambda _: None
            )


def test_a_second_fetch_replaces_the_first_and_leaves_no_temporary_folders(recorded, tmp_path):
    dest = tmp_path / "data"
    fetch.fetch_bundle(dest, get=RecordedGetter(recorded), log=lambda _: None)
    (dest / "left-over.txt").write_text("from the first fetch", encoding="utf-8")
    fetch.fetch_bundle(dest, get=RecordedGetter(recorded), log=lambda _: None)
    assert not (dest / "left-over.txt").exists()
    assert (dest / POPULATION).read_bytes() == bundle_bytes(POPULATION)
    assert [p.name for p in tmp_path.iterdir()] == ["data"]


def test_a_folder_that_an_earlier_fetch_did_not_make_is_never_replaced(recorded, tmp_path):
    dest = tmp_path / "documents"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine", encoding="utf-8")
    get = RecordedGetter(recorded)
    with pytest.raises(fetch.FetchError, match="was not made by `lokalmaal data fetch`"):
        fetch.fetch_bundle(dest, get=get, log=lambda _: None)
    assert get.requested == []
    assert snapshot(dest) == {"notes.txt": b"mine"}


# --- Statistics folders copied byte for byte, checksums checked ----------------------------

CHECKED_FOLDERS = ("crime", "imdi-bosetting")


def recorded_checksums(folder: str) -> dict[str, str]:
    """File name -> sha256 from the table in the offline bundle's SOURCES.md of ``folder``."""
    text = (bundle_dir() / folder / "SOURCES.md").read_text(encoding="utf-8")
    row = re.compile(r"^\| (\S+)[^|]*\| \d+ \| ([0-9a-f]{64}) \|$", re.MULTILINE)
    return dict(row.findall(text))


def test_every_file_of_crime_and_imdi_bosetting_is_fetched_as_a_checked_byte_copy(
    recorded, tmp_path
):
    dest = tmp_path / "data"
    fetch.fetch_bundle(dest, get=RecordedGetter(recorded), log=lambda _: None)
    sources = (dest / "SOURCES.md").read_text(encoding="utf-8")
    for folder in CHECKED_FOLDERS:
        checksums = recorded_checksums(folder)
        names = sorted(p.name for p in (bundle_dir() / folder).iterdir() if p.name != "SOURCES.md")
        assert sorted(checksums) == names
        for name in names:
            target = f"{folder}/{name}"
            data = bundle_bytes(target)
            file = plan(target)
            (upstream,) = file.inputs
            assert file.derive is None
            assert upstream.sha256 == checksums[name] == hashlib.sha256(data).hexdigest()
            assert upstream.url.endswith(f"/{upstream.repository.commit}/{upstream.path}")
            assert (dest / target).read_bytes() == data
            assert f"- `{target}`: byte copy of {upstream.url} (sha256 {checksums[name]}" in sources
        assert f"## {folder}/" in sources
    assert plan("crime/om_tallene.md").inputs[0].url == (
        "https://raw.githubusercontent.com/chrilur/lovbrudd/"
        "e1e0d56d0284209a95b20d97bfd66a30d17b2d2b/markdown_filer/om_tallene.md"
    )
    assert plan("imdi-bosetting/app_flyktninger_oppsummert.xlsx").inputs[0].url == (
        "https://raw.githubusercontent.com/Samarbeidsdesken/p02-ukraina/"
        "fc298da7cb62c4d6b1d3a2920bc04870033c47b9/data/app_flyktninger_oppsummert.xlsx"
    )
    assert "Statistisk sentralbyrå (tabell 08487)" in sources


def ascii_name(name: str) -> str:
    """The rule the bundle's indicator-frameworks/SOURCES.md gives for its ASCII file names."""
    for old, new in (("å", "aa"), ("Å", "Aa"), ("ø", "o"), ("æ", "ae"), (".-", "-")):
        name = name.replace(old, new)
    return re.sub("-{2,}", "-", name.replace("(", "").replace(")", ""))


def test_every_ks_vocabulary_of_the_bundle_is_fetched_as_a_checked_byte_copy(recorded, tmp_path):
    folder = bundle_dir() / fetch.FRAMEWORKS_DIR
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 38
    files = {
        file.target: file for file in fetch.BUNDLE_FILES if file.folder == "indicator-frameworks"
    }
    assert sorted(files) == [f"{fetch.FRAMEWORKS_DIR}/{name}" for name in names]
    for target, file in files.items():
        (upstream,) = file.inputs
        data = bundle_bytes(target)
        assert file.derive is None
        assert upstream.sha256 == hashlib.sha256(data).hexdigest(), target
        assert upstream.repository.commit == "c6e9c9902a8ce16203d57fbd7573745e179047e8"
        assert upstream.path.startswith("vocabulary/esg-indicator/")
        upstream_name = Path(upstream.path).name.replace("developmetsector", "developmentsector")
        assert ascii_name(upstream_name) == Path(target).name
    pupils = plan(f"{fetch.FRAMEWORKS_DIR}/Elevundersokelsen-5-10-trinn-og-vg1-vg3.ttl")
    assert pupils.inputs[0].url == (
        "https://raw.githubusercontent.com/Arkitektum/b-rekraftsindikatorer/"
        "c6e9c9902a8ce16203d57fbd7573745e179047e8/vocabulary/esg-indicator/"
        "Elevunders%C3%B8kelsen-%285.-10.-trinn-og-vg1-vg3%29.ttl"
    )

    dest = tmp_path / "data"
    fetch.fetch_bundle(dest, get=RecordedGetter(recorded), log=lambda _: None)
    assert snapshot(dest / fetch.FRAMEWORKS_DIR) == snapshot(folder)


def test_a_download_with_the_wrong_checksum_fails_and_leaves_the_existing_folder_untouched(
    recorded, tmp_path
):
    dest = tmp_path / "data"
    fetch.fetch_bundle(dest, get=RecordedGetter(recorded), log=lambda _: None)
    before = snapshot(dest)
    upstream = plan("crime/anmeldt_20-24.csv").inputs[0]
    changed = recorded[upstream.url].replace(b"Halden", b"Haldem", 1)
    assert changed != recorded[upstream.url]
    get = RecordedGetter({**recorded, upstream.url: changed})
    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch_bundle(dest, get=get, log=lambda _: None)
    assert str(error.value) == (
        f"Could not download {upstream.url}: its sha256 is "
        f"{hashlib.sha256(changed).hexdigest()}, but the offline bundle's copy has "
        f"{upstream.sha256}"
    )
    assert snapshot(dest) == before
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # no temporary folder left


# --- The HTTP getter -------------------------------------------------------------------------


class FakeResponse:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def __enter__(self) -> "FakeResponse":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def read(self) -> bytes:
        return self.body


class FakeOpener:
    """Answers each request with the next of ``answers``: bytes, or an exception to raise."""

    def __init__(self, *answers: bytes | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[tuple[urllib.request.Request, float]] = []

    def __call__(self, request: urllib.request.Request, *, timeout: float) -> FakeResponse:
        self.requests.append((request, timeout))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return FakeResponse(answer)


URL = "https://raw.githubusercontent.com/owner/repo/0123abc/data.json"


def http_error(code: int, reason: str) -> urllib.error.HTTPError:
    return urllib.error.HTTPError(URL, code, reason, {}, None)  # type: ignore[arg-type]


def test_the_getter_sends_its_user_agent_and_timeout_and_retries_server_errors_with_backoff():
    opener = FakeOpener(
        http_error(503, "Service Unavailable"),
        TimeoutError("timed out"),
        http_error(502, "Bad Gateway"),
        b"{}",
    )
    waits: list[float] = []
    assert fetch.http_get(URL, opener=opener, sleep=waits.append, timeout=30) == b"{}"
    assert waits == [2.0, 4.0, 8.0]
    request, timeout = opener.requests[0]
    assert request.get_header("User-agent") == "Lokalmål data fetch"
    assert request.full_url == URL
    assert timeout == 30


def test_the_getter_gives_up_after_three_retries_and_names_the_url():
    opener = FakeOpener(*(urllib.error.URLError(TimeoutError("timed out")) for _ in range(4)))
    with pytest.raises(fetch.FetchError) as error:
        fetch.http_get(URL, opener=opener, sleep=lambda _: None, timeout=5)
    assert str(error.value) == f"Could not download {URL}: no answer within 5 s (after 4 attempts)"
    assert len(opener.requests) == 4


def test_the_getter_fails_at_once_on_a_client_error_or_no_network():
    opener = FakeOpener(http_error(404, "Not Found"))
    with pytest.raises(fetch.FetchError, match=re.escape(f"{URL}: HTTP 404 Not Found")):
        fetch.http_get(URL, opener=opener, sleep=lambda _: pytest.fail("no retry on 404"))
    opener = FakeOpener(urllib.error.URLError(OSError("Name or service not known")))
    with pytest.raises(fetch.FetchError, match=re.escape(f"{URL}: Name or service not known")):
        fetch.http_get(URL, opener=opener, sleep=lambda _: pytest.fail("no retry offline"))


# --- The command -----------------------------------------------------------------------------


def test_data_fetch_prints_progress_per_file_and_says_how_to_load(
    recorded, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(fetch, "http_get", RecordedGetter(recorded))
    dest = tmp_path / "data"
    call_command("data", "fetch", "--to", str(dest))
    output = capsys.readouterr().out
    assert f"[17/64] {POPULATION}: derived from 8 files" in output
    assert "[21/64] imdi-bosetting/app_flyktninger_oppsummert.xlsx: byte copy" in output
    assert "[59/64] indicator-frameworks/ks-esg-indicator-ttl/triplebottomline.ttl" in output
    assert f"[64/64] {DKI}: derived from 3 files" in output
    assert "downloading https://raw.githubusercontent.com/open-sdg/sdg-translations/" in output
    assert f"lokalmaal data load --from {dest}" in output
    assert (dest / "sdg" / "sdg_catalogue_en_nb.csv").is_file()


def test_data_fetch_reports_a_failure_and_changes_nothing(recorded, tmp_path, monkeypatch):
    monkeypatch.setattr(fetch, "http_get", RecordedGetter({}))
    dest = tmp_path / "data"
    with pytest.raises(CommandError) as error:
        call_command("data", "fetch", "--to", str(dest))
    assert str(error.value).startswith(
        f"Nothing was changed in {dest}. Could not download https://"
    )
    assert not dest.exists()
