"""Reading data files with errors that name the file, the line and the reason.

Every loader validates a whole file through these helpers before anything is written, so a broken
file stops an import with a message a person can act on.
"""

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class DataFileError(Exception):
    """A data file is missing or malformed; `line` is 1-based, 0 when it concerns the whole file."""

    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}, line {line}" if line else str(self.path)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Row:
    path: Path
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column].strip()

    def error(self, reason: str) -> DataFileError:
        return DataFileError(self.path, self.line, reason)

    def required(self, column: str) -> str:
        value = self[column]
        if not value:
            raise self.error(f"column '{column}' is empty")
        return value

    def integer(self, column: str, *, optional: bool = False) -> int | None:
        value = self[column]
        if not value and optional:
            return None
        try:
            return int(value)
        except ValueError:
            raise self.error(f"column '{column}' should be a whole number, not {value!r}") from None

    def number(self, column: str, *, optional: bool = False) -> float | None:
        value = self[column].replace(",", ".")
        if not value and optional:
            return None
        try:
            return float(value)
        except ValueError:
            raise self.error(f"column '{column}' should be a number, not {value!r}") from None

    def one_of(self, column: str, allowed: dict[str, str]) -> str:
        value = self[column]
        if value not in allowed:
            raise self.error(f"column '{column}' is {value!r}; expected one of {sorted(allowed)}")
        return allowed[value]


def open_text(path: Path) -> str:
    if not path.is_file():
        raise DataFileError(path, 0, "file is missing")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise DataFileError(path, line, "not valid UTF-8 text") from None


def read_csv(
    path: Path,
    columns: set[str],
    delimiter: str = ",",
    *,
    header_starts: str = "",
    trailing_separator: bool = False,
) -> Iterator[Row]:
    """Rows of a CSV file with a header; line numbers are the file's own (header included).

    `header_starts` skips title lines above a header that starts with it (NVE's exports);
    `trailing_separator` accepts rows that end with one separator more than the header has,
    as long as that extra field is empty."""
    lines = open_text(path).splitlines()
    skipped = 0
    if header_starts:
        found = next((i for i, line in enumerate(lines) if line.startswith(header_starts)), None)
        if found is None:
            raise DataFileError(path, 0, f"no header line starting with {header_starts!r}")
        skipped, lines = found, lines[found:]
    reader = csv.DictReader(lines, delimiter=delimiter, strict=True)
    missing = columns - set(reader.fieldnames or [])
    if missing:
        raise DataFileError(path, skipped + 1, f"missing column(s): {', '.join(sorted(missing))}")
    try:
        for values in reader:
            line = skipped + reader.line_num
            if trailing_separator and values.get(None) == [""]:
                del values[None]
            if None in values or any(v is None for v in values.values()):
                raise DataFileError(path, line, "wrong number of fields")
            yield Row(path, line, values)
    except csv.Error as error:
        raise DataFileError(path, skipped + reader.line_num, f"not valid CSV: {error}") from None


def read_json(path: Path) -> Any:
    text = open_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DataFileError(path, error.lineno, f"not valid JSON: {error.msg}") from None


def check_unique[T](rows: list[T], key: Callable[[T], str], path: Path, what: str) -> None:
    seen: set[str] = set()
    for row in rows:
        value = key(row)
        if value in seen:
            line = row.line if isinstance(row, Row) else 0
            raise DataFileError(path, line, f"{what} {value!r} appears twice")
        seen.add(value)


def read_xlsx(path: Path) -> Iterator[Row]:
    """Rows of the first sheet of a workbook with a header row, as text like CSV rows."""
    from openpyxl import load_workbook  # only this source needs it

    if not path.is_file():
        raise DataFileError(path, 0, "file is missing")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise DataFileError(path, 0, f"not a readable XLSX workbook: {error}") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "") for cell in next(rows, ())]
    for number, cells in enumerate(rows, start=2):
        values = {
            name: "" if cell is None else str(cell)
            for name, cell in zip(header, cells, strict=False)
        }
        yield Row(path, number, values)
    book.close()
