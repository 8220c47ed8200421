"""The report as a Word file (python-docx): real heading styles, a table of contents field, page
numbers, tables with header rows, and every chart as SVG (vector, Word 2016 and later) with a PNG
fallback for older readers, each with its text alternative.
"""

import io
import json
import threading
from pathlib import Path

import typst
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement, parse_xml
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from lokalmaal.reports import fonts
from lokalmaal.reports.content import ChartOut, GoalSetOut, LocalGoalOut, Report, TableOut

SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHART_WIDTH = Cm(16)
ACCENT = RGBColor(0x00, 0x2C, 0x54)
_LOCAL = threading.local()

# One page per chart, as large as the chart: typst draws the PNG fallbacks in one go.
FALLBACK = Path(__file__).with_name("typst") / "charts.typ"


def _fallbacks(charts: list[ChartOut]) -> list[bytes]:
    if not charts:
        return []
    compiler = getattr(_LOCAL, "compiler", None)
    if compiler is None:
        font_set = typst.Fonts(
            include_system_fonts=False,
            include_embedded_fonts=True,
            font_paths=[str(fonts.font_dir())],
        )
        compiler = typst.Compiler(FALLBACK, root=FALLBACK.parent, font_paths=font_set)
        _LOCAL.compiler = compiler
    pages = compiler.compile(
        format="png", ppi=110, sys_inputs={"charts": json.dumps([c.svg for c in charts])}
    )
    if isinstance(pages, bytes):
        return [pages]
    assert isinstance(pages, list)
    return pages


class _Writer:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.document: DocxDocument = Document()
        self.charts: list[ChartOut] = []
        self.placeholders: list[object] = []  # paragraphs that get a chart, in order
        self.toc_anchor: Paragraph

    # --- Setup ----------------------------------------------------------------------------

    def setup(self) -> None:
        report, document = self.report, self.document
        properties = document.core_properties
        properties.title = report.title
        properties.author = "Lokalmål"
        properties.subject = report.subtitle
        properties.language = report.locale
        properties.keywords = f"SDG; {report.name}"
        normal = document.styles["Normal"]
        normal.font.name = "Inter"
        normal.font.size = Pt(10)
        self._language(normal.element)
        for level in (1, 2, 3, 4):
            heading = document.styles[f"Heading {level}"]
            heading.font.name = "Inter"
            heading.font.color.rgb = ACCENT
            self._language(heading.element)
        section = document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(f"{report.text['page']} ")
        self._field(footer, "PAGE")
        header = section.header.paragraphs[0]
        header.text = f"{report.title} · {report.generated}"
        settings = document.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")  # Word and LibreOffice fill in the contents on opening
        settings.append(update)

    def _language(self, style_element: object) -> None:
        rpr = style_element.get_or_add_rPr()  # type: ignore[attr-defined]
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), self.report.locale)
        rpr.append(lang)

    @staticmethod
    def _field(paragraph: object, instruction: str, placeholder: str = "") -> None:
        run = paragraph.add_run()  # type: ignore[attr-defined]
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = f" {instruction} "
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        shown = OxmlElement("w:t")
        shown.text = placeholder or "1"
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        for element in (begin, text, separate, shown, end):
            run._r.append(element)

    # --- Blocks ---------------------------------------------------------------------------

    def para(self, text: str, bold_label: str = "", size: float | None = None) -> None:
        paragraph = self.document.add_paragraph()
        runs = []
        if bold_label:
            label = paragraph.add_run(f"{bold_label}: ")
            label.bold = True
            runs.append(label)
        runs.append(paragraph.add_run(text))
        for run in runs:
            if size:
                run.font.size = Pt(size)

    def chart(self, chart: ChartOut | None) -> None:
        if chart is None:
            return
        paragraph = self.document.add_paragraph()
        self.charts.append(chart)
        self.placeholders.append(paragraph)
        caption = self.document.add_paragraph(chart.alt, style="Caption")
        caption.alignment = WD_ALIGN_PARAGRAPH.LEFT

    def table(self, data: TableOut | None) -> None:
        if data is None:
            return
        self.document.add_paragraph(data.caption, style="Caption")
        table: Table = self.document.add_table(rows=1, cols=len(data.header))
        table.style = "Table Grid"
        header = table.rows[0]
        repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
        repeat.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(repeat)
        for cell, text in zip(header.cells, data.header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        for row in data.rows:
            cells = table.add_row().cells  # type: ignore[no-untyped-call]
            for cell, value in zip(cells, row, strict=True):
                cell.text = value.text
                if value.numeric:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(8.5)

    # --- Sections -------------------------------------------------------------------------

    def write(self) -> bytes:
        report, document = self.report, self.document
        text = report.text
        self.setup()
        document.add_paragraph(text["report"])
        document.add_heading(report.title, level=0)
        self.para(f"{report.subtitle} · {report.generated}")
        document.add_heading(text["contents"], level=1)
        self.toc_anchor = document.add_paragraph()  # the contents go in before it, at the end
        document.add_page_break()  # type: ignore[no-untyped-call]

        document.add_heading(text["about"], level=1)
        for text_ in report.intro:
            self.para(text_)

        document.add_heading(text["profile"], level=1)
        for fact in report.profile.facts:
            self.para(fact.value, bold_label=fact.label)
        if report.profile.population_chart:
            document.add_heading(text["population"], level=2)
            self.chart(report.profile.population_chart)
            self.table(report.profile.population_table)
        if report.profile.similar:
            document.add_heading(text["similar"], level=2)
            self.para(report.profile.similar_intro)
            for name, why in report.profile.similar:
                paragraph = document.add_paragraph(style="List Number")
                paragraph.add_run(f"{name}: ").bold = True
                paragraph.add_run(why)

        document.add_heading(text["goals"], level=1)
        self.chart(report.overall_chart)
        self.table(report.goals_overview)
        for goal in report.goals:
            document.add_heading(f"{text['goal']} {goal.number}: {goal.title}", level=2)
            self.para(goal.summary)
            if goal.prioritised:
                self.para("; ".join(goal.prioritised), bold_label=text["prioritised"])
            self.chart(goal.status_chart)
            self.table(goal.overview)
            for item in goal.indicators:
                document.add_heading(item.name, level=3)
                line = f"{item.value} ({item.period})"
                if item.status_label:
                    line += f" · {item.status_symbol} {item.status_label} · {item.trend}"
                self.para(line)
                if item.explanation:
                    self.para(item.explanation, size=9)
                if item.estimate_note:
                    self.para(item.estimate_note, size=9)
                self.para(item.source, bold_label=text["source"], size=8.5)
                self.chart(item.chart)
                self.table(item.table)
            if goal.outdated:
                self.para(", ".join(goal.outdated), bold_label=text["outdated"])
            if goal.missing:
                self.para(", ".join(goal.missing), bold_label=text["missing"])

        document.add_heading(text["local_goals"], level=1)
        if not report.goal_sets:
            self.para(text["no_goal_sets"])
        for goal_set in report.goal_sets:
            self.goal_set(goal_set)

        document.add_heading(text["plans"], level=1)
        if not report.plans:
            self.para(text["no_plans"])
        for plan in report.plans:
            document.add_heading(plan.title, level=2)
            self.para(plan.facts)
            self.chart(plan.chart)
            self.table(plan.coverage)

        document.add_heading(text["examples"], level=1)
        if not report.examples:
            self.para(text["no_examples"])
        for example in report.examples:
            document.add_heading(example.title, level=2)
            self.para(example.summary)
            if example.organisations:
                self.para(f"{example.organisations} · {example.targets}", size=9)

        if report.alignment:
            document.add_heading(text["alignment"], level=1)
            self.para(report.alignment.intro)
            self.table(report.alignment.both)
            self.table(report.alignment.county_only)
            self.table(report.alignment.municipalities_only)
            if report.alignment.unpublished_note:
                self.para(report.alignment.unpublished_note)
            a = report.alignment
            if a.both is None and a.county_only is None and a.municipalities_only is None:
                self.para(a.empty)

        document.add_heading(text["method"], level=1)
        for text_ in report.method:
            self.para(text_)
        document.add_heading(text["sources"], level=2)
        for source in report.sources:
            document.add_paragraph(
                f"{source.label}: {source.url}" if source.url else source.label,
                style="List Bullet",
            )
        self.place_charts()
        self.contents()
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    def goal_set(self, goal_set: GoalSetOut) -> None:
        text = self.report.text
        self.document.add_heading(goal_set.title, level=2)
        for label, value in goal_set.facts:
            self.para(value, bold_label=label)
        if goal_set.priorities:
            self.para("", bold_label=text["priorities"])
            for priority in goal_set.priorities:
                self.document.add_paragraph(priority, style="List Bullet")
        for goal in goal_set.goals:
            self.local_goal(goal, 3)

    def local_goal(self, goal: LocalGoalOut, level: int) -> None:
        text = self.report.text
        self.document.add_heading(f"{goal.title} ({goal.kind})", level=min(level, 4))
        if goal.description:
            self.para(goal.description)
        if goal.targets:
            self.para("; ".join(goal.targets), bold_label=text["targets"])
        if goal.measures:
            self.para(goal.measures, bold_label=text["measures"])
        if goal.responsible_unit:
            self.para(goal.responsible_unit, bold_label=text["responsible"])
        self.table(goal.indicators)
        self.table(goal.measure_table)
        for child in goal.children:
            self.local_goal(child, level + 1)

    def contents(self) -> None:
        """A TOC field whose shown result already lists the level 1 and 2 headings (indented by
        level), so the contents are there in readers that do not update fields (LibreOffice's
        converter); Word fills in the page numbers when it updates the field on opening."""
        entries = [
            (int(p.style.name.removeprefix("Heading ")), p.text)
            for p in self.document.paragraphs
            if p.style is not None and p.style.name in ("Heading 1", "Heading 2")
        ][1:]  # the first is the contents heading itself
        paragraphs = []
        for level, heading in entries:
            paragraph = self.toc_anchor.insert_paragraph_before()
            paragraph.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            paragraph.paragraph_format.space_after = Pt(0)
            paragraphs.append((paragraph, heading))
        if not paragraphs:
            return
        first, last = paragraphs[0][0], paragraphs[-1][0]
        for kind, instruction in (
            ("begin", None),
            ("instr", 'TOC \\o "1-2" \\h \\z \\u'),
            ("separate", None),
        ):
            first._p.append(_field_part(kind, instruction))
        for paragraph, heading in paragraphs:
            paragraph.add_run(heading)
        last._p.append(_field_part("end", None))

    # --- Charts ---------------------------------------------------------------------------

    def place_charts(self) -> None:
        pngs = _fallbacks(self.charts)
        for index, (chart, paragraph, png) in enumerate(
            zip(self.charts, self.placeholders, pngs, strict=True)
        ):
            run = paragraph.add_run()  # type: ignore[attr-defined]
            shape = run.add_picture(io.BytesIO(png), width=CHART_WIDTH)
            doc_pr = shape._inline.docPr
            doc_pr.set("descr", chart.alt)
            doc_pr.set("title", chart.alt[:120])
            self._add_svg(shape, chart.svg, index)

    def _add_svg(self, shape: object, svg: str, index: int) -> None:
        part = Part(
            PackURI(f"/word/media/chart{index + 1}.svg"),
            "image/svg+xml",
            svg.encode("utf-8"),
            self.document.part.package,
        )
        rel_id = self.document.part.relate_to(part, RT.IMAGE)
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip  # type: ignore[attr-defined]
        extensions = OxmlElement("a:extLst")
        extension = OxmlElement("a:ext")
        extension.set("uri", SVG_EXTENSION)
        extension.append(
            parse_xml(
                f'<asvg:svgBlip xmlns:asvg="{SVG_NAMESPACE}" xmlns:r="{RELATIONSHIPS}" '
                f'r:embed="{rel_id}"/>'
            )
        )
        extensions.append(extension)
        blip.append(extensions)


def _field_part(kind: str, instruction: str | None) -> object:
    """One run of a complex field: its begin, instruction, separator or end."""
    run = OxmlElement("w:r")
    if kind == "instr":
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = f" {instruction} "
        run.append(text)
        return run
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        char.set(qn("w:dirty"), "true")  # Word recomputes it (page numbers) when it opens
    run.append(char)
    return run


def to_docx(report: Report) -> bytes:
    return _Writer(report).write()
