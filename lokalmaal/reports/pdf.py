"""The report as PDF, typeset by typst (a typesetting system from PyPI with no system packages).

Tagged for accessibility and checked against PDF/UA-1 by typst itself: document title and
language, headings, table headers and every chart's text alternative are in the structure tree.
Page numbers, a table of contents and the site's typeface (Inter, see fonts.py) come with it.
"""

import threading
from pathlib import Path

import typst

from lokalmaal.reports import fonts
from lokalmaal.reports.content import Report

TEMPLATE = Path(__file__).with_name("typst") / "report.typ"
_LOCAL = threading.local()


def _compiler() -> typst.Compiler:
    """One compiler per thread: it keeps the fonts and the parsed template between reports."""
    compiler = getattr(_LOCAL, "compiler", None)
    if compiler is None:
        font_set = typst.Fonts(
            include_system_fonts=False,
            include_embedded_fonts=True,  # DejaVu Sans Mono has the status symbols (▲ ▼ ✔)
            font_paths=[str(fonts.font_dir())],
        )
        compiler = typst.Compiler(TEMPLATE, root=TEMPLATE.parent, font_paths=font_set)
        _LOCAL.compiler = compiler
    return compiler


def to_pdf(report: Report) -> bytes:
    result = _compiler().compile(
        format="pdf",
        sys_inputs={"report": report.model_dump_json()},
        pdf_standards=["ua-1"],
    )
    assert isinstance(result, bytes)
    return result
