"""Exports of a goal set: Markdown, Word and CSV, in bokmål and nynorsk. No database."""

import csv
import io
from dataclasses import replace
from datetime import date
from typing import Any

import docx
import pytest
from docx.text.paragraph import Paragraph

from lokalmaal.localgoals.analysis import summarise
from lokalmaal.localgoals.domain import GoalData, GoalSetData, IndicatorData, RatingData, TargetRef
from lokalmaal.localgoals.export import (
    LABELS,
    format_number,
    goal_tree,
    goals_csv,
    ratings_csv,
    to_docx,
    to_markdown,
)

NBSP = "\u00a0"
AIR = TargetRef("11.6", 11, "Redusere miljøbelastninga frå byane")
HEALTH = TargetRef("3.9", 3, "Redusere dødsfall frå forureining")
WASTE = IndicatorData("Restavfall | per innbyggjar", "kg", "lower", 1234.5, 2023, 12.0, 2030)
CYCLING = IndicatorData("Del reiser på sykkel", "%", "higher", None, None, 20.0, None)

COMMUNITY = GoalData(
    id=1,
    kind="samfunnsmaal",
    title="Volda har rein luft",
    description="Lufta skal vere rein heile året.",
    strategies="- Satse på sykkel\n- Betre kollektivtilbod",
    responsible_unit="Plan og utvikling",
    targets=(AIR, HEALTH),
    indicators=(WASTE, CYCLING),
)
SUB = GoalData(
    id=2,
    kind="delmaal",
    title="Mindre restavfall",
    description="",
    strategies="",
    responsible_unit="",
    targets=(AIR,),
    indicators=(),
    parent_id=1,
)
ORPHAN = replace(SUB, id=3, title="Foreldrelaust delmål", parent_id=99)


def goal_set(language: str = "nb", **changes: Any) -> GoalSetData:
    data = GoalSetData(
        organisation="Volda kommune",
        title="Kommuneplanens samfunnsdel 2025–2037",
        plan_type_label="Kommuneplanens samfunnsdel",
        language=language,
        status_label="Vedtatt",
        adopted_on=date(2025, 6, 19),
        case_number="25/1234",
        priorities=(AIR, HEALTH),
        goals=(COMMUNITY, SUB),
    )
    return replace(data, **changes)


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


# Labels and numbers


def test_every_label_exists_in_both_languages():
    assert LABELS["nb"].keys() == LABELS["nn"].keys()
    assert all(LABELS["nb"].values())
    assert all(LABELS["nn"].values())


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'en'"):
        to_markdown(goal_set("en"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234.5, f"1{NBSP}234,5"),
        (12.0, "12"),
        (0.0, "0"),
        (-0.0, "0"),
        (0.1, "0,1"),
        (1234567.0, f"1{NBSP}234{NBSP}567"),
        (-1500.25, f"-1{NBSP}500,25"),
        (999.0, "999"),
    ],
)
def test_numbers_are_formatted_norwegian_style(value, expected):
    assert format_number(value) == expected


# Markdown


@pytest.mark.parametrize(
    ("language", "headings"),
    [
        (
            "nb",
            ["## Prioriterte bærekraftsmål", "### Strategier", "### Indikatorer"],
        ),
        (
            "nn",
            ["## Prioriterte berekraftsmål", "### Strategiar", "### Indikatorar"],
        ),
    ],
)
def test_markdown_headings_are_in_the_export_language(language, headings):
    lines = to_markdown(goal_set(language)).splitlines()
    for heading in headings:
        assert heading in lines
    assert "## Samfunnsmål: Volda har rein luft" in lines
    assert "### Delmål: Mindre restavfall" in lines


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("nb", ["**Ansvarlig enhet:** Plan", "lavere er bedre", "høyere er bedre", "Vedtatt"]),
        ("nn", ["**Ansvarleg eining:** Plan", "lågare er betre", "høgare er betre", "Vedteke"]),
    ],
)
def test_markdown_fixed_phrases_are_in_the_export_language(language, phrases):
    markdown = to_markdown(goal_set(language))
    for phrase in phrases:
        assert phrase in markdown


def test_markdown_starts_with_title_organisation_plan_and_adoption():
    lines = to_markdown(goal_set()).splitlines()
    assert lines[0] == "# Kommuneplanens samfunnsdel 2025–2037"
    assert "- **Organisasjon:** Volda kommune" in lines
    assert "- **Plantype:** Kommuneplanens samfunnsdel" in lines
    assert "- **Status:** Vedtatt" in lines
    assert "- **Vedtatt:** 19.06.2025, saksnummer 25/1234" in lines


def test_markdown_leaves_out_adoption_until_the_set_is_adopted():
    markdown = to_markdown(goal_set(adopted_on=None, status_label="Utkast"))
    assert "saksnummer" not in markdown
    assert "- **Status:** Utkast" in markdown


def test_markdown_lists_the_priority_targets_with_code_and_title():
    lines = to_markdown(goal_set()).splitlines()
    assert "- **11.6** Redusere miljøbelastninga frå byane" in lines
    assert "- **3.9** Redusere dødsfall frå forureining" in lines


def test_markdown_nests_each_delmaal_after_its_samfunnsmaal():
    data = goal_set(goals=(SUB, replace(COMMUNITY, id=5, title="Andre mål"), COMMUNITY))
    headings = [line for line in to_markdown(data).splitlines() if line.startswith("## S")]
    assert headings == ["## Samfunnsmål: Andre mål", "## Samfunnsmål: Volda har rein luft"]
    markdown = to_markdown(data)
    assert markdown.index("## Samfunnsmål: Volda har rein luft") < markdown.index(
        "### Delmål: Mindre restavfall"
    )


def test_markdown_indicator_table_has_values_years_and_escaped_pipes():
    lines = to_markdown(goal_set()).splitlines()
    assert "| Indikator | Måleenhet | Retning | Utgangspunkt | Mål |" in lines
    waste = "| Restavfall \\| per innbyggjar | kg | lavere er bedre |"
    assert f"{waste} 1{NBSP}234,5 (2023) | 12 (2030) |" in lines
    assert "| Del reiser på sykkel | % | høyere er bedre | – | 20 |" in lines


def test_markdown_table_keeps_a_backslash_before_a_pipe_literal():
    goal = replace(COMMUNITY, indicators=(replace(WASTE, name="a\\|b"),))
    assert "| a\\\\\\|b |" in to_markdown(goal_set(goals=(goal,)))


def test_markdown_says_when_a_goal_has_no_indicators():
    markdown = to_markdown(goal_set("nn"))
    sub = markdown[markdown.index("### Delmål: Mindre restavfall") :]
    assert "#### Indikatorar\n\nIngen indikatorar." in sub


def test_markdown_lists_a_delmaal_whose_parent_is_missing_at_top_level():
    assert "\n## Delmål: Foreldrelaust delmål\n" in to_markdown(goal_set(goals=(ORPHAN,)))


def test_markdown_shows_linked_targets_and_strategies():
    markdown = to_markdown(goal_set())
    assert "**Knyttet til bærekraftsmålene:**\n\n- 11.6 Redusere" in markdown
    assert "### Strategier\n\n- Satse på sykkel\n- Betre kollektivtilbod" in markdown


# Word


def read_docx(data: GoalSetData) -> docx.document.Document:
    return docx.Document(io.BytesIO(to_docx(data)))


def style_name(paragraph: Paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


def test_docx_reads_back_with_title_headings_and_every_goal():
    document = read_docx(goal_set("nn", goals=(COMMUNITY, SUB, ORPHAN)))
    styled = [(style_name(paragraph), paragraph.text) for paragraph in document.paragraphs]
    assert styled[0] == ("Title", "Kommuneplanens samfunnsdel 2025–2037")
    assert ("Heading 1", "Prioriterte berekraftsmål") in styled
    assert ("Heading 1", "Samfunnsmål: Volda har rein luft") in styled
    assert ("Heading 2", "Strategiar") in styled
    assert ("Heading 2", "Delmål: Mindre restavfall") in styled
    assert ("Heading 3", "Indikatorar") in styled  # the delmål's own section
    assert ("Heading 1", "Delmål: Foreldrelaust delmål") in styled
    assert ("Normal", "Vedteke: 19.06.2025, saksnummer 25/1234") in styled
    assert ("List Bullet", "Betre kollektivtilbod") in styled
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    for goal in (COMMUNITY, SUB, ORPHAN):
        assert goal.title in text


def test_docx_indicators_are_a_word_table_with_a_header_row():
    [table] = read_docx(goal_set()).tables
    assert table.style is not None
    assert table.style.name == "Table Grid"
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Indikator", "Måleenhet", "Retning", "Utgangspunkt", "Mål"],
        [
            "Restavfall | per innbyggjar",
            "kg",
            "lavere er bedre",
            f"1{NBSP}234,5 (2023)",
            "12 (2030)",
        ],
        ["Del reiser på sykkel", "%", "høyere er bedre", "–", "20"],
    ]


def test_docx_properties_name_the_plan_and_lokalmaal():
    properties = read_docx(goal_set("nn")).core_properties
    assert properties.title == "Kommuneplanens samfunnsdel 2025–2037"
    assert properties.author == "Lokalmål"
    assert properties.language == "nn-NO"
    assert "python-docx" not in properties.comments


def test_docx_of_an_empty_goal_set_still_opens():
    document = read_docx(goal_set(goals=(), priorities=(), adopted_on=None))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Ingen mål er lagt inn." in texts
    assert "Ingen bærekraftsmål er prioritert." in texts
    assert document.tables == []


# CSV


def test_goals_csv_has_one_row_per_goal_and_indicator():
    rows = read_csv(goals_csv(goal_set("nn", goals=(COMMUNITY, SUB, ORPHAN))))
    assert rows[0] == [
        "Måltype", "Tittel", "Overordna mål", "Knytt til berekraftsmåla", "Strategiar",
        "Ansvarleg eining", "Indikator", "Måleeining", "Retning", "Utgangspunkt",
        "År for utgangspunkt", "Målverdi", "Målår",
    ]  # fmt: skip
    strategies = "'- Satse på sykkel\n- Betre kollektivtilbod"  # defused, see below
    about = ["Samfunnsmål", "Volda har rein luft", "", "11.6, 3.9", strategies, "Plan og utvikling"]
    assert rows[1:] == [
        [*about, WASTE.name, "kg", "lågare er betre", "1234,5", "2023", "12", "2030"],
        [*about, "Del reiser på sykkel", "%", "høgare er betre", "", "", "20", ""],
        ["Delmål", "Mindre restavfall", "Volda har rein luft", "11.6"] + [""] * 9,
        ["Delmål", "Foreldrelaust delmål", "", "11.6"] + [""] * 9,
    ]  # fmt: skip


def test_goals_csv_header_is_in_bokmaal_too():
    header = read_csv(goals_csv(goal_set("nb")))[0]
    assert header[2:6] == [
        "Overordnet mål",
        "Knyttet til bærekraftsmålene",
        "Strategier",
        "Ansvarlig enhet",
    ]


def test_goals_csv_defuses_text_that_excel_would_run_as_a_formula():
    goal = replace(SUB, title='=HYPERLINK("http://x")', responsible_unit="@SUM(A1)")
    [row] = read_csv(goals_csv(goal_set(goals=(goal,))))[1:]
    assert row[1] == '\'=HYPERLINK("http://x")'
    assert row[5] == "'@SUM(A1)"


RATINGS = [
    RatingData("11.6", "kari@volda.kommune.no", 5, 4, "Viktig; mykje trafikk"),
    RatingData("1.a", "ola@volda.kommune.no", 2, 1),
    RatingData("11.6", "ola@volda.kommune.no", 3, 4),
]
TITLES = {"11.6": "Redusere miljøbelastninga", "1.a": "Mobilisere ressursar"}


def test_ratings_csv_has_summaries_then_a_blank_line_then_every_rating():
    rows = read_csv(ratings_csv(summarise(RATINGS), RATINGS, TITLES, "nn"))
    assert rows == [
        ["Kode", "Tittel", "Tal på vurderingar", "Snitt viktigheit", "Snitt påverknad",
         "Spreiing viktigheit", "Spreiing påverknad", "Poengsum", "Usemje"],
        ["11.6", "Redusere miljøbelastninga", "2", "4", "4", "2", "0", "4", "ja"],
        ["1.a", "Mobilisere ressursar", "1", "2", "1", "0", "0", "1,5", "nei"],
        [],
        ["Kode", "Vurdert av", "Viktigheit", "Påverknad", "Kommentar"],
        ["1.a", "ola@volda.kommune.no", "2", "1", ""],
        ["11.6", "kari@volda.kommune.no", "5", "4", "Viktig; mykje trafikk"],
        ["11.6", "ola@volda.kommune.no", "3", "4", ""],
    ]  # fmt: skip


def test_ratings_csv_uses_a_decimal_comma_and_bokmaal_headers():
    ratings = [
        RatingData("3.4", "a", 4, 1),
        RatingData("3.4", "b", 4, 2),
        RatingData("3.4", "c", 3, 2),
    ]
    rows = read_csv(ratings_csv(summarise(ratings), ratings, {}, "nb"))
    assert rows[0][2:5] == ["Antall vurderinger", "Snitt viktighet", "Snitt påvirkning"]
    assert rows[1] == ["3.4", "", "3", "3,67", "1,67", "1", "1", "2,67", "nei"]


# The goal tree


def test_goal_tree_keeps_every_goal_even_when_parents_form_a_cycle():
    first = replace(SUB, id=10, parent_id=11)
    second = replace(SUB, id=11, parent_id=10)
    grandchild = replace(SUB, id=12, parent_id=2)
    tree = goal_tree([COMMUNITY, SUB, grandchild, first, second])
    assert [(node.goal.id, [child.id for child in node.children]) for node in tree] == [
        (1, [2, 12]),
        (10, []),
        (11, []),
    ]
