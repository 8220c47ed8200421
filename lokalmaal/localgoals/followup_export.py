"""The yearly follow-up report (CSV and DOCX) in the goal set's written standard: every goal's
indicators with baseline, newest figure, target and status, and its measures."""

import io
from datetime import UTC, date, datetime

from docx import Document
from docx.shared import Mm

from lokalmaal.lib.spreadsheet import csv_writer
from lokalmaal.localgoals.export import CSV_DELIMITER, DASH, format_number
from lokalmaal.localgoals.followup import GoalSetFollowUp, IndicatorFollowUp

TEXT = {
    "nb": {
        "title": "Oppfølging av lokale mål",
        "goal": "Mål",
        "indicator": "Indikator",
        "unit": "Enhet",
        "baseline": "Utgangspunkt",
        "latest": "Siste tall",
        "target": "Mål",
        "status": "Status",
        "measure": "Tiltak",
        "owner": "Ansvarlig",
        "deadline": "Frist",
        "measure_status": "Status tiltak",
        "kostra": "KOSTRA-funksjoner",
        "link": "Lenke",
        "adopted": "Vedtatt",
        "none": "Ingen indikatorer eller tiltak.",
        "made": "Laget",
        "targets": "Bærekraftsdelmål",
    },
    "nn": {
        "title": "Oppfølging av lokale mål",
        "goal": "Mål",
        "indicator": "Indikator",
        "unit": "Eining",
        "baseline": "Utgangspunkt",
        "latest": "Siste tal",
        "target": "Mål",
        "status": "Status",
        "measure": "Tiltak",
        "owner": "Ansvarleg",
        "deadline": "Frist",
        "measure_status": "Status tiltak",
        "kostra": "KOSTRA-funksjonar",
        "link": "Lenkje",
        "adopted": "Vedteke",
        "none": "Ingen indikatorar eller tiltak.",
        "made": "Laga",
        "targets": "Berekraftsdelmål",
    },
    "en": {
        "title": "Follow-up of local goals",
        "goal": "Goal",
        "indicator": "Indicator",
        "unit": "Unit",
        "baseline": "Baseline",
        "latest": "Latest figure",
        "target": "Target",
        "status": "Status",
        "measure": "Measure",
        "owner": "Owner",
        "deadline": "Deadline",
        "measure_status": "Measure status",
        "kostra": "KOSTRA functions",
        "link": "Link",
        "adopted": "Adopted",
        "none": "No indicators or measures.",
        "made": "Made",
        "targets": "SDG targets",
    },
}
MEASURE_STATUS = {
    "planned": ("Planlagt", "Planlagt", "Planned"),
    "started": ("Startet", "Starta", "Started"),
    "done": ("Gjennomført", "Gjennomført", "Done"),
    "delayed": ("Forsinket", "Forseinka", "Delayed"),
    "stopped": ("Stanset", "Stansa", "Stopped"),
}
_INDEX = {"nb": 0, "nn": 1, "en": 2}


def _text(language: str) -> dict[str, str]:
    return TEXT.get(language, TEXT["nb"])


def measure_status(code: str, language: str) -> str:
    return MEASURE_STATUS.get(code, (code, code, code))[_INDEX.get(language, 0)]


def _figure(value: float | None, year: int | None, decimals: int) -> str:
    if value is None:
        return DASH
    number = format_number(round(value, decimals))
    return f"{number} ({year})" if year else number


def _indicator_cells(row: IndicatorFollowUp) -> list[str]:
    return [
        row.name,
        row.unit,
        _figure(row.baseline_value, row.baseline_year, row.decimals),
        _figure(row.latest_value, row.latest_year, row.decimals),
        _figure(row.target_value, row.target_year, row.decimals),
        f"{row.status_symbol} {row.status_label}",
    ]


def _date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def to_csv(data: GoalSetFollowUp) -> str:
    """One row per indicator and one per measure, each with its goal."""
    text = _text(data.language)
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=CSV_DELIMITER)
    writer.writerow(
        [
            text["goal"], text["targets"], text["indicator"], text["unit"], text["baseline"],
            text["latest"], text["target"], text["status"], text["measure"], text["owner"],
            text["deadline"], text["measure_status"], text["kostra"], text["link"],
        ]
    )  # fmt: skip
    for goal in data.goals:
        targets = ", ".join(goal.targets)
        for row in goal.indicators:
            writer.writerow([goal.title, targets, *_indicator_cells(row), "", "", "", "", "", ""])
        for m in goal.measures:
            writer.writerow(
                [
                    goal.title, targets, "", "", "", "", "", "", m.title, m.owner,
                    _date(m.deadline), measure_status(m.status, data.language),
                    m.kostra_functions, m.plan_link,
                ]
            )  # fmt: skip
    return buffer.getvalue()


def to_docx(data: GoalSetFollowUp) -> bytes:
    text = _text(data.language)
    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
    properties = document.core_properties
    properties.title = f"{text['title']}: {data.title}"
    properties.author = properties.last_modified_by = "Lokalmål"
    properties.comments = ""
    properties.language = f"{data.language}-NO"
    properties.created = properties.modified = datetime.now(UTC)
    document.add_heading(f"{text['title']}: {data.title}", level=0)
    facts = [data.organisation, f"{text['made']} {_date(date.today())}"]
    if data.adopted_on:
        facts.append(f"{text['adopted']} {_date(data.adopted_on)} ({data.case_number})")
    document.add_paragraph(" · ".join(facts))
    for goal in data.goals:
        document.add_heading(goal.title, level=1 if goal.parent_id is None else 2)
        if goal.targets:
            document.add_paragraph(f"{text['targets']}: {', '.join(goal.targets)}")
        if goal.indicators:
            header = [text[k] for k in ("indicator", "unit", "baseline", "latest", "target")]
            _table(
                document, [*header, text["status"]], [_indicator_cells(r) for r in goal.indicators]
            )
        if goal.measures:
            header = [text[k] for k in ("measure", "owner", "deadline", "measure_status", "kostra")]
            rows = [
                [m.title, m.owner, _date(m.deadline), measure_status(m.status, data.language),
                 m.kostra_functions]
                for m in goal.measures
            ]  # fmt: skip
            _table(document, header, rows)
        if not goal.indicators and not goal.measures:
            document.add_paragraph(text["none"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: object, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.text = label
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
