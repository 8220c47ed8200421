"""A plan analysis as Word (.docx), CSV and JSON, in the language that is active. The Word and CSV
layouts follow lokalmaal/localgoals/export.py; the JSON is the API's answer for the analysis."""

import io
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Mm

from lokalmaal.lib.spreadsheet import csv_writer
from lokalmaal.localgoals.export import format_number
from lokalmaal.plans.reads import AnalysisOut, ClosestOut, PassageOut, PlanDetail

AUTHOR = "Lokalmål"
CSV_DELIMITER = ";"  # Norwegian Excel expects semicolons, as the comma is the decimal sign


def _single_line(text: str) -> str:
    return " ".join(text.split())


def _number(value: float, language: str) -> str:
    return f"{value:g}" if language == "en" else format_number(value)


def _require(detail: PlanDetail) -> AnalysisOut:
    if detail.analysis is None:
        raise ValueError("The plan has not been analysed")
    return detail.analysis


# Word ----------------------------------------------------------------------------------------


def to_docx(detail: PlanDetail, language: str) -> bytes:
    analysis = _require(detail)
    document = Document()
    _set_properties(document, detail, language)
    for section in document.sections:  # the template is US Letter; Norway prints on A4
        section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_heading(_single_line(detail.title), level=0)
    for label, value in _meta(detail):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_paragraph(
        _(
            "Found automatically by Lokalmål's classifier from the words of the plan; read it as a "
            "starting point, not a verdict."
        )
    )
    if analysis.not_embedded:
        document.add_paragraph(degraded_note(analysis))
    document.add_heading(_("Coverage of the 17 goals"), level=1)
    _table(
        document,
        [_("Goal"), _("Passages"), _("Share of passages (%)"), _("Score"), _("Pages")],
        [
            [
                f"{row.goal} {row.title}".strip(),
                str(row.passages),
                _number(row.percent, language),
                _number(row.score, language),
                row.pages_text,
            ]
            for row in analysis.coverage
        ],
    )
    document.add_heading(_("Strongest targets"), level=1)
    if analysis.targets:
        _table(
            document,
            [_("Target"), _("Score"), _("Passages"), _("Pages")],
            [
                [
                    f"{t.code} {_single_line(t.title)}".strip(),
                    _number(t.score, language),
                    str(t.passages),
                    ", ".join(str(p) for p in t.pages),
                ]
                for t in analysis.targets
            ],
        )
    else:
        document.add_paragraph(_("No target was found in the text."))
    document.add_heading(_("Evidence"), level=1)
    for passage in analysis.evidence:
        _docx_passage(document, passage)
    if not analysis.evidence:
        document.add_paragraph(_("No passage addresses any of the goals."))
    document.add_heading(_("Passages that address no goal"), level=1)
    for passage in analysis.silent:
        _docx_passage(document, passage)
    if not analysis.silent:
        document.add_paragraph(_("Every passage addresses at least one goal."))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _meta(detail: PlanDetail) -> list[tuple[str, str]]:
    rows = [
        (_("Organisation"), detail.organisation_name),
        (_("Kind of plan"), detail.plan_type_label),
    ]
    if detail.year:
        rows.append((_("Year"), str(detail.year)))
    if detail.page_count:
        rows.append((_("Pages"), str(detail.page_count)))
    if detail.analysis:
        rows.append((_("Passages analysed"), str(detail.analysis.body_passages)))
    return rows


def _set_properties(document: DocxDocument, detail: PlanDetail, language: str) -> None:
    properties = document.core_properties
    properties.title = detail.title
    properties.author = properties.last_modified_by = AUTHOR
    properties.comments = ""
    tag = "en-GB" if language == "en" else f"{language}-NO"
    properties.language = tag
    properties.created = properties.modified = datetime.now(UTC)
    for lang in document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
        lang.set(qn("w:val"), tag)


def _table(document: DocxDocument, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    # Marks the header row as such: Word repeats it on each page and screen readers announce it.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value


def _where(passage: PassageOut) -> str:
    parts = []
    if passage.page is not None:
        parts.append(_("page %(page)s") % {"page": passage.page})
    if passage.section:
        parts.append(_single_line(passage.section))
    parts.append(_("passage %(number)s") % {"number": passage.number})
    return " · ".join(parts)


def _docx_passage(document: DocxDocument, passage: PassageOut) -> None:
    document.add_paragraph().add_run(_where(passage)).italic = True
    paragraph = document.add_paragraph()
    for segment in passage.segments:
        run = paragraph.add_run(segment.text)
        run.bold = segment.target is not None
    for match in passage.evidence:
        line = _("“%(words)s” → %(target)s %(title)s") % {
            "words": match.matched,
            "target": match.target,
            "title": _single_line(match.target_title),
        }
        document.add_paragraph(line.strip(), style="List Bullet")
    for closest in passage.closest:
        document.add_paragraph(_closest_line(closest), style="List Bullet")
    if not passage.embedded:
        document.add_paragraph(_("Word list only: the similarity step ran out of time."))


def _closest_line(closest: ClosestOut) -> str:
    return _("Closest to goal %(goal)s: %(target)s “%(description)s”") % {
        "goal": closest.goal,
        "target": closest.target,
        "description": _single_line(closest.description),
    }


def degraded_note(analysis: AnalysisOut) -> str:
    """Said wherever the analysis is shown when part of it is the word list's answer alone."""
    return _(
        "Part of the plan was analysed by the word list alone: the similarity step ran out of "
        "time for %(count)s of %(total)s passages, so goals may be missing there."
    ) % {"count": analysis.not_embedded, "total": analysis.body_passages}


# CSV -----------------------------------------------------------------------------------------


def to_csv(detail: PlanDetail) -> str:
    """One row per passage of the evidence and of the silent passages, in document order."""
    analysis = _require(detail)
    rows = [
        [
            _("Passage"), _("Page"), _("Section"), _("Goals"), _("Targets"), _("Goal scores"),
            _("Matched words"), _("Closest target descriptions"), _("Method"), _("Text"),
        ]
    ]  # fmt: skip
    passages = sorted([*analysis.evidence, *analysis.silent], key=lambda p: p.number)
    for p in passages:
        rows.append(
            [
                str(p.number),
                "" if p.page is None else str(p.page),
                p.section,
                ", ".join(str(g) for g in p.goals),
                ", ".join(p.targets),
                ", ".join(f"{g}={p.scores[str(g)]:g}" for g in p.goals if str(g) in p.scores),
                ", ".join(f"{m.matched} ({m.target})" for m in p.evidence),
                "; ".join(_closest_line(c) for c in p.closest),
                _("word list and similarity") if p.embedded else _("word list only (time ran out)"),
                _single_line(p.text),
            ]
        )
    buffer = io.StringIO()
    csv_writer(buffer, delimiter=CSV_DELIMITER).writerows(rows)  # defuses formulas
    return buffer.getvalue()


# JSON ----------------------------------------------------------------------------------------


def to_json(detail: PlanDetail) -> str:
    return detail.model_dump_json(indent=2)
