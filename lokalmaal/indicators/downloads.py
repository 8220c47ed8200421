"""CSV and XLSX downloads of an indicator: every year of every municipality, with its period,
estimated mark and source on each row, headed in the reader's language."""

import io

from lokalmaal.indicators.reads import IndicatorOut, RegionValueOut
from lokalmaal.lib.spreadsheet import append_xlsx_row, csv_writer

HEADERS = {
    "nb": ["kommunenummer", "kommune", "fylke", "år", "periode", "verdi", "enhet", "estimert",
           "merknad", "kilde"],
    "nn": ["kommunenummer", "kommune", "fylke", "år", "periode", "verdi", "eining", "estimert",
           "merknad", "kjelde"],
    "en": ["municipality number", "municipality", "county", "year", "period", "value", "unit",
           "estimated", "note", "source"],
}  # fmt: skip
YES_NO = {"nb": ("ja", "nei"), "nn": ("ja", "nei"), "en": ("yes", "no")}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows(
    indicator: IndicatorOut, values: list[RegionValueOut], language: str
) -> list[list[object]]:
    yes, no = YES_NO.get(language, YES_NO["nb"])
    table: list[list[object]] = [list(HEADERS.get(language, HEADERS["nb"]))]
    for v in values:
        table.append(
            [v.code, v.name, v.county, v.year, v.period, v.value, indicator.unit,
             yes if v.estimated else no, v.estimate_note, indicator.source.label]
        )  # fmt: skip
    return table


def to_csv(table: list[list[object]], language: str) -> str:
    """Semicolon-separated with a byte-order mark, as Excel in Norway opens it; decimal commas
    except in English."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";")  # defuses formulas
    for row in table:
        writer.writerow(
            [str(v).replace(".", ",") if isinstance(v, float) and language != "en" else v
             for v in row]
        )  # fmt: skip
    return "\ufeff" + buffer.getvalue()


def to_xlsx(table: list[list[object]], sheet_title: str) -> bytes:
    from openpyxl import Workbook  # only downloads need it

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title[:31]
    for row in table:
        append_xlsx_row(sheet, row)  # text stays text, never a formula
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
