"""Export a goal set as Markdown, Word (.docx) and CSV, in bokmål or nynorsk. Pure Python, no
Django: the caller builds the plain data in domain.py and sends the result to the user."""

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Mm

from lokalmaal.lib.spreadsheet import csv_writer
from lokalmaal.localgoals.analysis import TargetSummary, target_sort_key
from lokalmaal.localgoals.domain import GoalData, GoalSetData, IndicatorData, RatingData

NBSP = "\u00a0"
DASH = "–"  # shown for a missing value
AUTHOR = "Lokalmål"
CSV_DELIMITER = ";"  # Norwegian Excel expects semicolons, as the comma is the decimal sign

LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "organisation": "Organisasjon",
        "plan_type": "Plantype",
        "status": "Status",
        "adopted": "Vedtatt",
        "case_number": "saksnummer",
        "priorities": "Prioriterte bærekraftsmål",
        "no_priorities": "Ingen bærekraftsmål er prioritert.",
        "no_goals": "Ingen mål er lagt inn.",
        "samfunnsmaal": "Samfunnsmål",
        "delmaal": "Delmål",
        "targets": "Knyttet til bærekraftsmålene",
        "strategies": "Strategier",
        "responsible_unit": "Ansvarlig enhet",
        "indicators": "Indikatorer",
        "no_indicators": "Ingen indikatorer.",
        "indicator": "Indikator",
        "unit": "Måleenhet",
        "direction": "Retning",
        "baseline": "Utgangspunkt",
        "target_value": "Mål",
        "higher": "høyere er bedre",
        "lower": "lavere er bedre",
        "neutral": "nøytral",
        # CSV columns
        "goal_kind": "Måltype",
        "goal_title": "Tittel",
        "parent_goal": "Overordnet mål",
        "baseline_year": "År for utgangspunkt",
        "target_value_csv": "Målverdi",
        "target_year": "Målår",
        "code": "Kode",
        "title": "Tittel",
        "raters": "Antall vurderinger",
        "importance_mean": "Snitt viktighet",
        "influence_mean": "Snitt påvirkning",
        "importance_spread": "Spredning viktighet",
        "influence_spread": "Spredning påvirkning",
        "score": "Poengsum",
        "disagreement": "Uenighet",
        "rater": "Vurdert av",
        "importance": "Viktighet",
        "influence": "Påvirkning",
        "comment": "Kommentar",
        "yes": "ja",
        "no": "nei",
    },
    "nn": {
        "organisation": "Organisasjon",
        "plan_type": "Plantype",
        "status": "Status",
        "adopted": "Vedteke",
        "case_number": "saksnummer",
        "priorities": "Prioriterte berekraftsmål",
        "no_priorities": "Ingen berekraftsmål er prioriterte.",
        "no_goals": "Ingen mål er lagde inn.",
        "samfunnsmaal": "Samfunnsmål",
        "delmaal": "Delmål",
        "targets": "Knytt til berekraftsmåla",
        "strategies": "Strategiar",
        "responsible_unit": "Ansvarleg eining",
        "indicators": "Indikatorar",
        "no_indicators": "Ingen indikatorar.",
        "indicator": "Indikator",
        "unit": "Måleeining",
        "direction": "Retning",
        "baseline": "Utgangspunkt",
        "target_value": "Mål",
        "higher": "høgare er betre",
        "lower": "lågare er betre",
        "neutral": "nøytral",
        "goal_kind": "Måltype",
        "goal_title": "Tittel",
        "parent_goal": "Overordna mål",
        "baseline_year": "År for utgangspunkt",
        "target_value_csv": "Målverdi",
        "target_year": "Målår",
        "code": "Kode",
        "title": "Tittel",
        "raters": "Tal på vurderingar",
        "importance_mean": "Snitt viktigheit",
        "influence_mean": "Snitt påverknad",
        "importance_spread": "Spreiing viktigheit",
        "influence_spread": "Spreiing påverknad",
        "score": "Poengsum",
        "disagreement": "Usemje",
        "rater": "Vurdert av",
        "importance": "Viktigheit",
        "influence": "Påverknad",
        "comment": "Kommentar",
        "yes": "ja",
        "no": "nei",
    },
}


def labels(language: str) -> dict[str, str]:
    try:
        return LABELS[language]
    except KeyError:
        raise ValueError(f"No export labels for language {language!r}; use 'nb' or 'nn'") from None


# Numbers -------------------------------------------------------------------------------------


def format_number(value: float, *, grouping: bool = True) -> str:
    """Norwegian style: 1234.5 → "1 234,5" (non-breaking space), 12.0 → "12"."""
    if value == 0:
        return "0"  # also for -0.0
    # repr() is the shortest text that reads back as the same float: 0.1 stays "0,1", where
    # Decimal(0.1) would spell out all 55 digits of its binary value.
    text = format(Decimal(repr(value)).normalize(), ",f" if grouping else "f")
    return text.replace(",", NBSP).replace(".", ",")


def _csv_number(value: float | None) -> str:
    # No thousands separator in CSV: spreadsheets would read "1 234" as text.
    return "" if value is None else format_number(value, grouping=False)


def _measure(value: float | None, year: int | None) -> str:
    """A baseline or target cell: "12,5 (2023)"."""
    parts = [
        format_number(value) if value is not None else "",
        f"({year})" if year is not None else "",
    ]
    return " ".join(part for part in parts if part) or DASH


def _direction(indicator: IndicatorData, text: dict[str, str]) -> str:
    return text.get(indicator.direction, indicator.direction) if indicator.direction else ""


# Structure shared by every format ------------------------------------------------------------


@dataclass(frozen=True)
class GoalNode:
    goal: GoalData
    children: tuple[GoalData, ...]


def goal_tree(goals: Iterable[GoalData]) -> list[GoalNode]:
    """Top-level goals, each with the goals below it, in the given order.

    A goal whose parent is missing is listed at top level, and deeper descendants are flattened
    under their top-level ancestor, so no goal is ever left out of an export.
    """
    goals = tuple(goals)
    by_id = {goal.id: goal for goal in goals}
    children: dict[int, list[GoalData]] = {}
    tops: list[GoalData] = []
    for goal in goals:
        root = _root(goal, by_id)
        if root is goal:
            tops.append(goal)
        else:
            children.setdefault(root.id, []).append(goal)
    return [GoalNode(goal, tuple(children.get(goal.id, ()))) for goal in tops]


def _root(goal: GoalData, by_id: dict[int, GoalData]) -> GoalData:
    seen: set[int] = set()
    while goal.parent_id in by_id and goal.id not in seen:  # "seen" ends parent cycles
        seen.add(goal.id)
        goal = by_id[goal.parent_id]
    return goal


def _single_line(text: str) -> str:
    return " ".join(text.split())


def _goal_heading(goal: GoalData, text: dict[str, str]) -> str:
    kind = text.get(goal.kind, "")
    title = _single_line(goal.title)
    return f"{kind}: {title}" if kind else title


def _meta(data: GoalSetData, text: dict[str, str]) -> list[tuple[str, str]]:
    rows = [
        (text["organisation"], data.organisation),
        (text["plan_type"], data.plan_type_label),
        (text["status"], data.status_label),
    ]
    if data.adopted_on is not None:
        adopted = data.adopted_on.strftime("%d.%m.%Y")
        if data.case_number:
            adopted += f", {text['case_number']} {data.case_number}"
        rows.append((text["adopted"], adopted))
    return rows


def _indicator_header(text: dict[str, str]) -> list[str]:
    return [text[key] for key in ("indicator", "unit", "direction", "baseline", "target_value")]


def _indicator_cells(indicator: IndicatorData, text: dict[str, str]) -> list[str]:
    return [
        _single_line(indicator.name),
        _single_line(indicator.unit),
        _direction(indicator, text),
        _measure(indicator.baseline_value, indicator.baseline_year),
        _measure(indicator.target_value, indicator.target_year),
    ]


def _target_lines(goal: GoalData) -> list[str]:
    return [f"{target.code} {_single_line(target.title)}" for target in goal.targets]


# Markdown ------------------------------------------------------------------------------------


def to_markdown(data: GoalSetData) -> str:
    text = labels(data.language)
    lines = [f"# {_single_line(data.title)}", ""]
    lines += [f"- **{label}:** {_single_line(value)}" for label, value in _meta(data, text)]
    lines += ["", f"## {text['priorities']}", ""]
    priorities = [f"- **{target.code}** {_single_line(target.title)}" for target in data.priorities]
    lines += priorities or [text["no_priorities"]]
    tree = goal_tree(data.goals)
    for node in tree:
        lines += _markdown_goal(node.goal, 2, text)
        for child in node.children:
            lines += _markdown_goal(child, 3, text)
    if not tree:
        lines += ["", text["no_goals"]]
    return "\n".join(lines) + "\n"


def _markdown_goal(goal: GoalData, level: int, text: dict[str, str]) -> list[str]:
    lines = ["", f"{'#' * level} {_goal_heading(goal, text)}"]
    if goal.description.strip():
        lines += ["", goal.description.strip()]
    if goal.targets:
        lines += ["", f"**{text['targets']}:**", ""]
        lines += [f"- {line}" for line in _target_lines(goal)]
    if goal.responsible_unit.strip():
        lines += ["", f"**{text['responsible_unit']}:** {_single_line(goal.responsible_unit)}"]
    sub = "#" * (level + 1)
    if goal.strategies.strip():
        lines += ["", f"{sub} {text['strategies']}", "", goal.strategies.strip()]
    lines += ["", f"{sub} {text['indicators']}", ""]
    lines += _markdown_table(goal.indicators, text) if goal.indicators else [text["no_indicators"]]
    return lines


def _markdown_table(indicators: Iterable[IndicatorData], text: dict[str, str]) -> list[str]:
    header = _indicator_header(text)
    rows = [header, ["---"] * len(header)]
    rows += [_indicator_cells(indicator, text) for indicator in indicators]
    return ["| " + " | ".join(_escape_cell(cell) for cell in row) + " |" for row in rows]


def _escape_cell(cell: str) -> str:
    # A bare pipe would end the cell; backslashes first, so "\|" in the data stays literal.
    return cell.replace("\\", "\\\\").replace("|", "\\|")


# Word ----------------------------------------------------------------------------------------

_LIST_ITEM = re.compile(r"^\s*[-*•]\s+")


def to_docx(data: GoalSetData) -> bytes:
    text = labels(data.language)
    document = Document()
    _set_properties(document, data)
    for section in document.sections:  # the template is US Letter; Norway prints on A4
        section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_heading(_single_line(data.title), level=0)
    for label, value in _meta(data, text):
        _labelled(document, label, value)
    _docx_priorities(document, data, text)
    tree = goal_tree(data.goals)
    for node in tree:
        _docx_goal(document, node.goal, 1, text)
        for child in node.children:
            _docx_goal(document, child, 2, text)
    if not tree:
        document.add_paragraph(text["no_goals"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_properties(document: DocxDocument, data: GoalSetData) -> None:
    properties = document.core_properties
    properties.title = data.title
    properties.author = properties.last_modified_by = AUTHOR
    properties.comments = ""  # the template says "generated by python-docx"
    properties.language = f"{data.language}-NO"
    properties.created = properties.modified = datetime.now(UTC)
    # The template's default text language is en-US: Word would spell-check Norwegian as English.
    styles = document.styles.element
    for lang in styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
        lang.set(qn("w:val"), f"{data.language}-NO")


def _labelled(document: DocxDocument, label: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(_single_line(value))


def _docx_priorities(document: DocxDocument, data: GoalSetData, text: dict[str, str]) -> None:
    document.add_heading(text["priorities"], level=1)
    for target in data.priorities:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(target.code).bold = True
        paragraph.add_run(f" {_single_line(target.title)}")
    if not data.priorities:
        document.add_paragraph(text["no_priorities"])


def _docx_goal(document: DocxDocument, goal: GoalData, level: int, text: dict[str, str]) -> None:
    document.add_heading(_goal_heading(goal, text), level=level)
    _docx_text(document, goal.description)
    if goal.targets:
        document.add_paragraph().add_run(f"{text['targets']}:").bold = True
        for line in _target_lines(goal):
            document.add_paragraph(line, style="List Bullet")
    if goal.responsible_unit.strip():
        _labelled(document, text["responsible_unit"], goal.responsible_unit)
    if goal.strategies.strip():
        document.add_heading(text["strategies"], level=level + 1)
        _docx_text(document, goal.strategies)
    document.add_heading(text["indicators"], level=level + 1)
    if goal.indicators:
        _docx_table(document, goal.indicators, text)
    else:
        document.add_paragraph(text["no_indicators"])


def _docx_text(document: DocxDocument, body: str) -> None:
    """One paragraph per line; lines starting with "-", "*" or "•" become bullets."""
    for line in body.splitlines():
        if _LIST_ITEM.match(line):
            document.add_paragraph(_LIST_ITEM.sub("", line).strip(), style="List Bullet")
        elif line.strip():
            document.add_paragraph(line.strip())


def _docx_table(
    document: DocxDocument, indicators: tuple[IndicatorData, ...], text: dict[str, str]
) -> None:
    header = _indicator_header(text)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    # Marks the header row as such: Word repeats it on each page and screen readers announce it.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for indicator in indicators:
        row = table.add_row()
        for cell, value in zip(row.cells, _indicator_cells(indicator, text), strict=True):
            cell.text = value


# CSV -----------------------------------------------------------------------------------------


SUMMARY_CSV_COLUMNS = (
    "code", "title", "raters", "importance_mean", "influence_mean", "importance_spread",
    "influence_spread", "score", "disagreement",
)  # fmt: skip
RATING_CSV_COLUMNS = ("code", "rater", "importance", "influence", "comment")


def ratings_csv(
    summaries: list[TargetSummary],
    ratings: list[RatingData],
    titles: dict[str, str],
    language: str,
) -> str:
    """The summary per target, a blank line, then every single rating (in target order)."""
    text = labels(language)
    rows = [[text[key] for key in SUMMARY_CSV_COLUMNS]]
    rows += [_summary_row(summary, titles, text) for summary in summaries]
    rows += [[], [text[key] for key in RATING_CSV_COLUMNS]]
    rows += [_rating_row(rating) for rating in sorted(ratings, key=_rating_order)]
    return _write_csv(rows)


def _rating_order(rating: RatingData) -> tuple[tuple[tuple[int, int, str], ...], str]:
    return target_sort_key(rating.target), rating.rater


def _rating_row(rating: RatingData) -> list[str]:
    return [
        rating.target,
        rating.rater,
        str(rating.importance),
        str(rating.influence),
        rating.comment,
    ]


def _summary_row(summary: TargetSummary, titles: dict[str, str], text: dict[str, str]) -> list[str]:
    return [
        summary.target,
        titles.get(summary.target, ""),
        str(summary.raters),
        _csv_number(summary.importance_mean),
        _csv_number(summary.influence_mean),
        str(summary.importance_spread),
        str(summary.influence_spread),
        _csv_number(summary.score),
        text["yes"] if summary.disagreement else text["no"],
    ]


GOALS_CSV_COLUMNS = (
    "goal_kind", "goal_title", "parent_goal", "targets", "strategies", "responsible_unit",
    "indicator", "unit", "direction", "baseline", "baseline_year", "target_value_csv",
    "target_year",
)  # fmt: skip


def goals_csv(data: GoalSetData) -> str:
    """One row per goal and indicator; a goal without indicators still gets one row."""
    text = labels(data.language)
    rows = [[text[key] for key in GOALS_CSV_COLUMNS]]
    titles = {goal.id: goal.title for goal in data.goals}
    for node in goal_tree(data.goals):
        for goal in (node.goal, *node.children):
            parent = titles.get(goal.parent_id, "") if goal.parent_id is not None else ""
            rows += _goal_rows(goal, parent, text)
    return _write_csv(rows)


def _goal_rows(goal: GoalData, parent_title: str, text: dict[str, str]) -> list[list[str]]:
    about = [
        text.get(goal.kind, goal.kind),
        goal.title,
        parent_title,
        ", ".join(target.code for target in goal.targets),
        goal.strategies.strip(),
        goal.responsible_unit,
    ]
    if not goal.indicators:
        return [about + [""] * (len(GOALS_CSV_COLUMNS) - len(about))]
    return [about + _indicator_csv(indicator, text) for indicator in goal.indicators]


def _indicator_csv(indicator: IndicatorData, text: dict[str, str]) -> list[str]:
    return [
        indicator.name,
        indicator.unit,
        _direction(indicator, text),
        _csv_number(indicator.baseline_value),
        str(indicator.baseline_year or ""),
        _csv_number(indicator.target_value),
        str(indicator.target_year or ""),
    ]


def _write_csv(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    csv_writer(buffer, delimiter=CSV_DELIMITER).writerows(rows)  # defuses formulas
    return buffer.getvalue()
