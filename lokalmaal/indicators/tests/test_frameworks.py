"""Tests of lokalmaal.indicators.frameworks against KS's indicator vocabularies.

The vocabularies are read from $LOKALMAAL_DATA_DIR/indicator-frameworks (default
/work/shared/data); the tests that need them are skipped when they are not there.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from lokalmaal.indicators.frameworks import (
    Concept,
    FrameworkError,
    Scheme,
    concepts_for_target,
    detect_language,
    match_candidates,
    normalise_target,
    read_frameworks,
    sdg_goal,
    title_tokens,
)

FOLDER = "indicator-frameworks/ks-esg-indicator-ttl"
FLAT_CSV = "indicator-frameworks/ks_indicator_vocabularies_flat.csv"
HELPER_FILES = (
    "Evaluation.ttl",
    "Levelofgeography.ttl",
    "developmentsector.ttl",
    "quality.ttl",
    "triplebottomline.ttl",
)
DNM = "https://data.norge.no/vocabulary/indicator/De-norske-målepunktene"
U4SSC = "https://data.norge.no/vocabulary/indicator/U4SSC"

# Concepts per scheme as listed in SOURCES.md.
SOURCES_COUNTS = {
    "UN SDG indicators": 248,
    "De norske målepunktene": 459,
    "U4SSC": 111,
    "OECD: A Territorial Approach to the SDGs": 115,
    "The EU-JRC-VLR-handbook indicators 2020": 51,
    "The EU-JRC-VLR-handbook indicators 2022": 72,
    "Kommunehelsa statistikkbank": 153,
    "Avfall - Avfall fra husholdninger": 157,
    "Forurensning og klima - kommunalt avløp": 92,
    "Vann og avløp - kommunal vannforsyning": 70,
    "Vann og avløp - kommunalt avløp": 17,
    "Elevundersøkelsen (5.-10. trinn og vg1-vg3)": 72,
    "Barnevern SSB": 67,
    "Ungdata": 67,
    "DSB Kommuneundersøkelsen": 51,
    "Arkivverkets kommuneundersøkelse": 38,
    "Barnevern kommunemonitor": 29,
    "Foreldreundersøkelsen i barnehagen": 29,
    "Kjønnslikestilling i kommunene": 24,
    "Barnefattigdom kommunemonitor": 20,
    "Statistikk om kommuneansatte": 19,
    "Åpenhetsbarometeret": 14,
    "Nettoforbruk av elektrisk kraft": 14,
    "Utslipp av klimagasser i kommuner og fylker": 12,
    "Boligsosial monitor": 9,
}
AREAL_TOTAL = 82  # eight "Areal - …" schemes
HELPER_TOTAL = 29


@pytest.fixture(scope="module")
def data_dir() -> Path:
    path = Path(os.environ.get("LOKALMAAL_DATA_DIR", "/work/shared/data"))
    if not (path / FOLDER).is_dir() or not (path / FLAT_CSV).is_file():
        pytest.skip(f"KS indicator vocabularies not found under {path / 'indicator-frameworks'}")
    return path


@pytest.fixture(scope="module")
def frameworks(data_dir: Path) -> tuple[list[Scheme], list[Concept]]:
    return read_frameworks(data_dir / FOLDER)


@pytest.fixture(scope="module")
def schemes(frameworks: tuple[list[Scheme], list[Concept]]) -> list[Scheme]:
    return frameworks[0]


@pytest.fixture(scope="module")
def concepts(frameworks: tuple[list[Scheme], list[Concept]]) -> list[Concept]:
    return frameworks[1]


@pytest.fixture(scope="module")
def by_uri(concepts: list[Concept]) -> dict[str, Concept]:
    return {concept.uri: concept for concept in concepts}


@pytest.fixture(scope="module")
def flat_rows(data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / FLAT_CSV).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def split_multi(value: str) -> list[str]:
    return [part.strip() for part in value.replace(" | ", ";").split(";") if part.strip()]


# --- Counts -------------------------------------------------------------------------------------


def test_every_indicator_file_gives_one_scheme_and_the_helper_lists_give_none(
    schemes: list[Scheme],
) -> None:
    assert len(schemes) == 38 - len(HELPER_FILES)
    assert {s.file for s in schemes}.isdisjoint(HELPER_FILES)
    assert all(s.publisher == "KS" for s in schemes)


def test_concept_counts_per_scheme_match_sources_md(schemes: list[Scheme]) -> None:
    counts = {s.title: s.concept_count for s in schemes}
    for title, expected in SOURCES_COUNTS.items():
        assert counts[title] == expected, title
    areal = sum(n for title, n in counts.items() if title.startswith("Areal"))
    assert areal == AREAL_TOTAL
    assert sum(1 for title in counts if title.startswith("Areal")) == 8


def test_concept_counts_per_scheme_match_the_flat_csv(
    schemes: list[Scheme], concepts: list[Concept], flat_rows: list[dict[str, str]]
) -> None:
    expected = Counter(row["scheme_uri"] for row in flat_rows)
    read = Counter(concept.scheme_uri for concept in concepts)
    for scheme in schemes:
        assert scheme.concept_count == expected[scheme.uri] == read[scheme.uri], scheme.title
    assert len(flat_rows) == 2121
    assert len(concepts) == 2121 - HELPER_TOTAL


def test_the_helper_vocabularies_concepts_are_not_in_the_concept_list(
    concepts: list[Concept],
) -> None:
    helper_parts = ("/Evaluation/", "/Levelofgeography/", "/developmetsector/", "/quality/")
    assert not [c.uri for c in concepts if any(part in c.uri for part in helper_parts)]
    assert not [c.uri for c in concepts if "/triplebottomline/" in c.uri]
    assert len({c.uri for c in concepts}) == len(concepts)


def test_sdg_targets_agree_with_the_flat_csv_for_every_concept(
    by_uri: dict[str, Concept], flat_rows: list[dict[str, str]]
) -> None:
    for row in flat_rows:
        if row["uri"] not in by_uri:
            continue
        expected = {normalise_target(v) for v in split_multi(row["sdg_targets_or_parents"])}
        assert set(by_uri[row["uri"]].sdg_targets) == expected - {None}, row["uri"]


def test_u4ssc_and_ungdata_have_the_documented_number_of_concepts_with_a_target(
    concepts: list[Concept],
) -> None:
    def linked(fragment: str) -> int:
        return sum(1 for c in concepts if fragment in c.scheme_uri and c.sdg_targets)

    assert linked("/U4SSC") == 50
    assert linked("/Ungdata") == 52


def test_coverage_is_normalised_and_counted_as_in_sources_md(concepts: list[Concept]) -> None:
    counts = Counter(concept.coverage for concept in concepts)
    assert counts == {"": 1100, "national": 709, "city": 218, "county": 50, "district": 15}


# --- Known concepts -------------------------------------------------------------------------


def test_antall_bostedslose_in_de_norske_malepunktene_is_read_field_by_field(
    by_uri: dict[str, Concept],
) -> None:
    concept = by_uri[f"{DNM}/2261"]
    assert concept.scheme_uri == DNM
    assert concept.title == "Antall bostedsløse"
    assert concept.language == "nb"  # tagged @en in the file
    assert concept.sdg_goals == (11,)
    assert concept.sdg_targets == ("11.1",)
    assert concept.evaluation == ("output",)
    assert concept.coverage == "national"
    assert concept.periodicity == "Yearly"
    assert concept.source_url == "https://homelessworldcup.org/homelessness-statistics/"
    assert concept.subjects == ("Economy", "Health and social services and welfare")
    assert concept.quality == "Class 1"
    assert concept.impact == ("People", "Prosperity")
    assert concept.related == (f"{DNM}/2532",)
    assert concept.close_matches == ()
    assert concept.notation == ""


def test_a_concept_with_two_evaluation_stages_keeps_both_in_logic_model_order(
    by_uri: dict[str, Concept],
) -> None:
    concept = by_uri[f"{DNM}/2262"]
    assert concept.title == "Antall personer uten inntekt"
    assert concept.sdg_targets == ("1.1",)
    assert concept.evaluation == ("output", "impact")
    assert concept.close_matches == (f"{DNM}/2263",)
    assert concept.source_url == ""


def test_dynamic_public_transport_information_in_u4ssc_is_read_field_by_field(
    by_uri: dict[str, Concept],
) -> None:
    concept = by_uri[f"{U4SSC}/2162"]
    assert concept.scheme_uri == U4SSC
    assert concept.title == "Dynamic Public Transport Information"
    assert concept.language == "en"
    assert concept.notation == "EC: ICT: T: 1C"
    assert concept.sdg_goals == (11,)
    assert concept.sdg_targets == ("11.2",)
    assert concept.evaluation == ("output",)
    assert concept.coverage == "city"
    assert concept.subjects == ("Digitalisation", "Transport")
    assert concept.impact == ("Prosperity",)
    assert concept.source_url.startswith("https://www.itu.int/en/ITU-T/ssc/united/Documents/")
    assert concept.source_text.startswith("Page 8: https://")


def test_a_u4ssc_concept_without_a_target_still_has_its_goal(
    by_uri: dict[str, Concept],
) -> None:
    concept = by_uri[f"{U4SSC}/2150"]
    assert concept.title == "Household Internet Access"
    assert concept.sdg_goals == (17,)
    assert concept.sdg_targets == ()


def test_a_goal_level_target_link_adds_the_goal_but_no_target(
    by_uri: dict[str, Concept],
) -> None:
    concept = by_uri[
        "https://esg.arkitektum.no/vocabulary/esg-indicator/Barnevern-kommunemonitor#1023"
    ]
    assert concept.sdg_targets == ("1.5", "16.2", "16.3")
    assert concept.sdg_goals == (1, 3, 4, 8, 16)


def test_subjects_get_labels_despite_the_misspelt_development_sector_scheme(
    concepts: list[Concept],
) -> None:
    subjects = {s for concept in concepts for s in concept.subjects}
    assert "Water and waste" in subjects
    assert not [s for s in subjects if "_" in s]


# --- SDG references -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://metadata.un.org/sdg/11.1", "11.1"),
        ("http://metadata.un.org/sdg/11.a", "11.a"),
        ("http://metadata.un.org/sdg/11.1.1", "11.1"),
        ("http://metadata.un.org/sdg/3.b.1", "3.b"),
        ("11.A", "11.a"),
        ("11.01", "11.1"),
        (" 16.10 ", "16.10"),
        ("Target 3.d", "3.d"),
        ("http://metadata.un.org/sdg/11", None),
        ("http://metadata.un.org/sdg/C010201", None),
        ("18.1", None),
        ("", None),
    ],
)
def test_sdg_target_references_are_normalised(value: str, expected: str | None) -> None:
    assert normalise_target(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://metadata.un.org/sdg/11", 11),
        ("http://metadata.un.org/sdg/7.2", 7),
        ("17.19.2", 17),
        ("http://metadata.un.org/sdg/C010201", None),
    ],
)
def test_the_goal_of_a_goal_target_or_indicator_reference_is_found(
    value: str, expected: int | None
) -> None:
    assert sdg_goal(value) == expected


def test_targets_are_sorted_numerically_with_letters_last(by_uri: dict[str, Concept]) -> None:
    concept = by_uri["https://esg.arkitektum.no/vocabulary/esg-indicator/Åpenhetsbarometeret#4292"]
    assert concept.sdg_targets == ("16.6", "16.10")


def test_concepts_for_target_accepts_codes_and_uris(concepts: list[Concept]) -> None:
    by_code = concepts_for_target(concepts, "11.1")
    by_uri = concepts_for_target(concepts, "http://metadata.un.org/sdg/11.1")
    assert by_code == by_uri
    assert f"{DNM}/2261" in {c.uri for c in by_code}
    assert all("11.1" in c.sdg_targets for c in by_code)
    assert concepts_for_target(concepts, "11") == []


# --- Language -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "tag", "expected"),
    [
        ("Antall bostedsløse", "en", "nb"),
        ("Antall personer uten inntekt", "en", "nb"),
        ("Opplevd korrupsjon", "en", "nb"),
        ("Naturindeks", "no", "nb"),
        ("Household Internet Access", "en", "en"),
        ("Proportion of population with access to electricity", "en", "en"),
        ("Traffic Monitoring", "en", "en"),
        ("Årsverk i barnevernstenesta - Ledige stillingar", "no", "nb"),
    ],
)
def test_language_is_detected_from_the_text_not_the_tag(
    title: str, tag: str, expected: str
) -> None:
    assert detect_language(title, tag) == expected


def test_every_title_of_de_norske_malepunktene_is_norwegian_though_tagged_english(
    concepts: list[Concept], flat_rows: list[dict[str, str]]
) -> None:
    tags = {row["title_lang_tag"] for row in flat_rows if row["scheme_uri"] == DNM}
    assert tags == {"en"}
    assert {c.language for c in concepts if c.scheme_uri == DNM} == {"nb"}


def test_the_international_frameworks_are_english(concepts: list[Concept]) -> None:
    international = ("/U4SSC", "/UN-SDG-indicators", "/OECD-", "/The-EU-JRC-")
    languages = {c.language for c in concepts if any(p in c.scheme_uri for p in international)}
    assert languages == {"en"}


# --- Malformed input ------------------------------------------------------------------------


def test_a_malformed_file_raises_framework_error_naming_the_file_and_line(
    tmp_path: Path,
) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<http://example.org/s> a skos:ConceptScheme .\n",
        encoding="utf-8",
    )
    broken = tmp_path / "Broken-scheme.ttl"
    broken.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<http://example.org/s> a skos:ConceptScheme .\n"
        '<http://example.org/s/1> a skos:Concept ;\n    skos:prefLabel "unterminated ;\n',
        encoding="utf-8",
    )
    with pytest.raises(FrameworkError) as caught:
        read_frameworks(tmp_path)
    assert caught.value.file == broken
    assert "Broken-scheme.ttl" in str(caught.value)
    assert "line 4" in str(caught.value)


def test_a_file_that_is_not_utf8_raises_framework_error(tmp_path: Path) -> None:
    (tmp_path / "latin1.ttl").write_bytes("<http://x/æ> a <http://x/T> .\n".encode("latin-1"))
    with pytest.raises(FrameworkError, match=r"latin1\.ttl"):
        read_frameworks(tmp_path)


def test_a_folder_without_turtle_files_raises_framework_error(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match=r"no \.ttl files"):
        read_frameworks(tmp_path)
    with pytest.raises(FrameworkError, match="folder not found"):
        read_frameworks(tmp_path / "missing")


def test_one_broken_file_among_the_real_ones_stops_the_whole_reading(
    data_dir: Path, tmp_path: Path
) -> None:
    for name in ("U4SSC.ttl", *HELPER_FILES):
        shutil.copy(data_dir / FOLDER / name, tmp_path / name)
    assert read_frameworks(tmp_path)[0][0].concept_count == 111
    text = (tmp_path / "U4SSC.ttl").read_text(encoding="utf-8")
    (tmp_path / "U4SSC.ttl").write_text(text.replace(" .\n", " \n", 3), encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"U4SSC\.ttl: line \d+"):
        read_frameworks(tmp_path)


# --- Matching -------------------------------------------------------------------------------


def test_title_tokens_fold_norwegian_letters_and_drop_stop_words() -> None:
    assert title_tokens("Antall bostedsløse i kommunen") == {"bostedslose", "kommunen"}
    assert title_tokens("11.1.1 Proportion of urban population") == {"urban", "population"}


def test_match_candidates_ranks_the_obviously_matching_title_first(
    concepts: list[Concept],
) -> None:
    ranked = match_candidates(concepts, "Bostedsløse personer", ["11.1"])
    assert ranked[0][0].uri == f"{DNM}/2261"
    assert ranked[0][1] > ranked[1][1]
    assert len(ranked) <= 5


def test_match_candidates_finds_the_pension_indicator_among_many_on_target_1_3(
    concepts: list[Concept],
) -> None:
    ranked = match_candidates(
        concepts, "Andel av befolkningen 67–74 år som får alderspensjon", ["1.3"], limit=3
    )
    assert ranked[0][0].uri == f"{DNM}/2271"
    assert [score for _, score in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_match_candidates_only_offers_concepts_sharing_a_target(
    concepts: list[Concept],
) -> None:
    ranked = match_candidates(concepts, "Antall bostedsløse", ["4.2"], limit=50)
    assert ranked
    assert all("4.2" in concept.sdg_targets for concept, _ in ranked)
    assert match_candidates(concepts, "Antall bostedsløse", []) == []


def test_match_candidates_is_deterministic(concepts: list[Concept]) -> None:
    first = match_candidates(concepts, "Utslipp av klimagasser", ["13.2", "11.6"], limit=10)
    again = match_candidates(
        list(reversed(concepts)), "Utslipp av klimagasser", ["11.6", "13.2"], limit=10
    )
    assert [(c.uri, s) for c, s in first] == [(c.uri, s) for c, s in again]
