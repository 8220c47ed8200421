"""Historical municipality (kommune) and county (fylke) codes mapped to the 2024 structure.

Every kommune code valid in Norway since 1994, and every fylke code since 1994, is mapped to
the 2024 code(s) it became, with a weight per successor (the share of the historical unit that
went to that successor; the weights of one historical code sum to 1.0).

Pure Python, standard library only; no Django. Inputs (all under ``<bundle>/municipalities/``,
see ``SOURCES.md`` there):

* ``ssb_kommuner_1994_2024_harmonisert_til_2024.csv`` -- SSB's grouping of every code valid
  1994-2024 into one 2024 code (``K.xxxx``), or ``K.Rest`` for municipalities touched by a
  split, with the years each code was valid. This is the list of historical municipalities.
* ``fhi_norway_locations_history.csv`` -- FHI's successor chains (code -> next code, with a
  weight where a municipality was split). Used to resolve ``K.Rest`` rows and splits.
* ``kommuner_2025.csv`` -- the 357 municipalities of 2024 with population on 1 Jan 2024.
* ``counties_2025.json`` -- the names of the 15 counties of 2024.

Rules (the reasons are in the comments at the functions that apply them):

1. A code valid in 2024 maps to itself with weight 1.0.
2. A historical code that FHI shows as split directly (one code, several successor rows) is
   divided between the parts -- see :func:`_split_weights` for the weights.
3. Otherwise, when SSB names a real 2024 code (``K.xxxx``), that code gets weight 1.0. SSB is
   preferred over following FHI's chain because FHI's chains run through later splits:
   old Haram 1534 -> 1507 Ålesund (2020-2023) -> 0.5 Ålesund + 0.5 Haram in FHI, whereas the
   whole of old Haram became Haram 1580 again in 2024, as SSB says.
4. ``K.Rest`` rows are resolved by following FHI's chain to the 2024 codes, multiplying the
   split weights on the way.
5. Svalbard, Jan Mayen, the continental shelf (21xx, 22xx, 23xx) and 9999 "uoppgitt" are not
   municipalities of mainland Norway and have no 2024 municipality; they are left out.
6. Counties are derived from the municipalities, see :func:`county_history`.
7. One code missing from both files, 0717 Borre (-2001, now Horten 3901), is added from
   :data:`SUPPLEMENTARY_MUNICIPALITIES` (sources there).

The same code can denote different units in different years (0716 was Våle until 2001 and Re
2002-2019; SSB's file writes Våle's code as ``0716u``; county 34 is Innlandet both 2020-2023
and in 2024). :class:`CodeHistory` therefore keeps one entry per code *and period* and
:meth:`CodeHistory.current_codes` takes the year.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lokalmaal.lib.datafiles import DataFileError

__all__ = [
    "CURRENT_YEAR",
    "FIRST_YEAR",
    "CodeHistory",
    "HistoricalCode",
    "HistoryError",
    "Successor",
    "UnknownCode",
    "county_history",
    "load_code_history",
    "read_history",
]

FIRST_YEAR = 1994
"""First year covered by the SSB grouping; earlier structures are not in the bundle."""

CURRENT_YEAR = 2024
"""The structure everything is mapped to (valid from 1 Jan 2024, unchanged in 2025)."""

MUNICIPALITY = "municipality"
COUNTY = "county"

SSB_FILE = Path("municipalities") / "ssb_kommuner_1994_2024_harmonisert_til_2024.csv"
FHI_FILE = Path("municipalities") / "fhi_norway_locations_history.csv"
CURRENT_FILE = Path("municipalities") / "kommuner_2025.csv"
COUNTIES_FILE = Path("municipalities") / "counties_2025.json"

# SSB groups that are not mainland municipalities (rule 5).
_NON_MUNICIPAL_GROUPS = frozenset({"K.21-22", "K.23"})
_NON_MUNICIPAL_CODES = frozenset({"9999"})
_NON_MUNICIPAL_PREFIXES = ("21", "22", "23")
_REST_GROUP = "K.Rest"

# County names for the periods before a county's 2024 form (the names of the 15 counties of
# 2024 are read from counties_2025.json). Norwegian names, without Sami/Kven parallel names.
HISTORICAL_COUNTY_NAMES: Mapping[str, str] = {
    "01": "Østfold",
    "02": "Akershus",
    "03": "Oslo",
    "04": "Hedmark",
    "05": "Oppland",
    "06": "Buskerud",
    "07": "Vestfold",
    "08": "Telemark",
    "09": "Aust-Agder",
    "10": "Vest-Agder",
    "11": "Rogaland",
    "12": "Hordaland",
    "14": "Sogn og Fjordane",
    "15": "Møre og Romsdal",
    "16": "Sør-Trøndelag",
    "17": "Nord-Trøndelag",
    "18": "Nordland",
    "19": "Troms",
    "20": "Finnmark",
    "30": "Viken",
    "34": "Innlandet",
    "38": "Vestfold og Telemark",
    "42": "Agder",
    "46": "Vestland",
    "50": "Trøndelag",
    "54": "Troms og Finnmark",
}

# Codes valid after 1994 that are missing from *both* bundle files. Only one is known: 1994-2001
# has no predecessor of 3901 Horten (434 municipalities instead of the 435 Norway had), because
# SSB's file starts 0701 Horten in 2002 and FHI's file gives 0701 from 1988. The municipality
# formed in 1988 from Borre and Horten was called Borre until it was renamed Horten on 1 June
# 2002 (regjeringen.no press release 02/2002, "Borre kommune endrer navn til Horten"); its
# number is taken to be the old Borre's, 0717 (en.wikipedia.org "Borre Municipality", ISO
# code NO-0717) -- not confirmed by an SSB file in the bundle. Used only when the SSB file
# does not list 0717 itself.
SUPPLEMENTARY_MUNICIPALITIES: tuple[tuple[str, str, int | None, int, str], ...] = (
    # code, name, valid_from, valid_to, 2024 successor
    ("0717", "Borre", None, 2001, "3901"),
)

_WEIGHT_TOLERANCE = 1e-6  # for weights read from the FHI file (e.g. 0.35 + 0.35 + 0.3)
_SAME_WEIGHTS = 1e-12  # for deciding that two derived county periods have the same weights

_MUNICIPALITY_CODE = re.compile(r"\d{4}")
_SSB_CODE = re.compile(r"(\d{4})([a-z]?)")  # "0716u" = Våle, the earlier holder of 0716
_SSB_GROUP = re.compile(r"K\.(\d{4}|Rest|21-22|23)")
_FHI_MUNICIPALITY = re.compile(r"municip_nor(\d{4})")
_FHI_OTHER = re.compile(r"(notmainland|missing)municip_nor\d{4}")


@dataclass(frozen=True)
class Successor:
    code: str  # 2024 code, e.g. "4601"
    weight: float  # share of the historical unit that went to this successor


@dataclass(frozen=True)
class HistoricalCode:
    code: str  # e.g. "1201"
    name: str  # e.g. "Bergen"
    kind: str  # "municipality" or "county"
    valid_from: int | None  # first year valid (None = before 1994 / unknown)
    valid_to: int | None  # last year valid (None = still valid in 2024)
    successors: tuple[Successor, ...]

    def is_valid_in(self, year: int) -> bool:
        """Whether the code meant this unit in ``year``."""
        if self.valid_from is not None and year < self.valid_from:
            return False
        return self.valid_to is None or year <= self.valid_to

    def period(self) -> str:
        """The validity as text, e.g. ``"2020-2023"``, ``"-2019"``, ``"2024-"``."""
        start = "" if self.valid_from is None else str(self.valid_from)
        end = "" if self.valid_to is None else str(self.valid_to)
        return f"{start}-{end}"


class HistoryError(DataFileError):
    """Malformed or inconsistent input: which file, which line (1 = header), and why."""

    def __init__(self, file: str | Path, line: int, reason: str) -> None:
        self.file = str(file)
        super().__init__(file, line, reason)


class UnknownCode(LookupError):  # noqa: N818 - name fixed by the interface
    """The code was not a municipality or county code in the year asked for."""

    def __init__(self, code: str, year: int, message: str) -> None:
        self.code = code
        self.year = year
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class CodeHistory:
    """Look-up of historical codes by code and year."""

    def __init__(self, codes: Iterable[HistoricalCode]) -> None:
        by_code: dict[str, list[HistoricalCode]] = defaultdict(list)
        for entry in codes:
            total = math.fsum(s.weight for s in entry.successors)
            if not entry.successors or abs(total - 1.0) > 1e-9:
                raise ValueError(
                    f"{entry.kind} {entry.code} ({entry.period()}): successor weights sum to "
                    f"{total}, not 1.0"
                )
            for other in by_code[entry.code]:
                if _overlap(entry, other):
                    raise ValueError(
                        f"code {entry.code} is given twice for overlapping years: "
                        f"{other.name} ({other.period()}) and {entry.name} ({entry.period()})"
                    )
            by_code[entry.code].append(entry)
        self._by_code: dict[str, tuple[HistoricalCode, ...]] = {
            code: tuple(sorted(entries, key=lambda e: e.valid_from or 0))
            for code, entries in by_code.items()
        }

    def __iter__(self) -> Iterator[HistoricalCode]:
        for entries in self._by_code.values():
            yield from entries

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._by_code.values())

    def entries(self, code: str) -> tuple[HistoricalCode, ...]:
        """All periods in which ``code`` was used (empty if never)."""
        return self._by_code.get(code.strip(), ())

    def lookup(self, code: str, year: int) -> HistoricalCode:
        """The unit ``code`` denoted in ``year``; raises :class:`UnknownCode`."""
        code = code.strip()
        entries = self._by_code.get(code, ())
        for entry in entries:
            if entry.is_valid_in(year):
                return entry
        raise UnknownCode(code, year, _unknown_message(code, year, entries))

    def valid_codes(self, kind: str, year: int) -> list[str]:
        """The codes of ``kind`` ("municipality" or "county") that were valid in ``year``."""
        return sorted(e.code for e in self if e.kind == kind and e.is_valid_in(year))

    def current_codes(self, code: str, year: int) -> list[Successor]:
        """The 2024 code(s) that historical ``code``, as valid in ``year``, became.

        Raises :class:`UnknownCode` when the code was not valid in that year. Years before
        1994 are accepted for codes whose start is unknown (the 1994 structure is assumed);
        years after 2024 are accepted for codes still valid in 2024.
        """
        return list(self.lookup(code, year).successors)


def _overlap(a: HistoricalCode, b: HistoricalCode) -> bool:
    a_from = -math.inf if a.valid_from is None else a.valid_from
    b_from = -math.inf if b.valid_from is None else b.valid_from
    a_to = math.inf if a.valid_to is None else a.valid_to
    b_to = math.inf if b.valid_to is None else b.valid_to
    return a_from <= b_to and b_from <= a_to


def _unknown_message(code: str, year: int, entries: Sequence[HistoricalCode]) -> str:
    if entries:
        kind = entries[0].kind
        uses = "; ".join(f"{e.name} {_years_text(e)}" for e in entries)
        return (
            f"{kind.capitalize()} code {code!r} was not valid in {year}. It was used for: {uses}."
        )
    if len(code) == 4 and (code.startswith(_NON_MUNICIPAL_PREFIXES) or code == "9999"):
        return (
            f"Code {code!r} is Svalbard, Jan Mayen, the continental shelf or 'unknown', "
            "not a mainland municipality; it has no 2024 municipality."
        )
    if _MUNICIPALITY_CODE.fullmatch(code):
        return f"Municipality code {code!r} was not in use at any time {FIRST_YEAR}-{CURRENT_YEAR}."
    if re.fullmatch(r"\d{2}", code):
        return f"County code {code!r} was not in use at any time {FIRST_YEAR}-{CURRENT_YEAR}."
    return (
        f"{code!r} is not a municipality code (4 digits, e.g. '0301') "
        "or a county code (2 digits, e.g. '03')."
    )


def _years_text(entry: HistoricalCode) -> str:
    start = f"before {FIRST_YEAR}" if entry.valid_from is None else str(entry.valid_from)
    end = "today" if entry.valid_to is None else str(entry.valid_to)
    return f"({start} to {end})"


# --------------------------------------------------------------------------------------------
# Reading the bundle


@dataclass(frozen=True)
class _SsbRow:
    line: int
    code: str
    name: str
    group: str  # "K.1508", "K.Rest", "K.21-22", "K.23"
    valid_from: int | None
    valid_to: int | None
    current: bool


@dataclass(frozen=True)
class _FhiRow:
    line: int
    code: str
    name: str
    year_start: int
    year_end: int | None
    end_code: str | None
    weight: float | None


@dataclass
class _Fhi:
    path: Path
    rows: dict[str, list[_FhiRow]] = field(default_factory=dict)
    predecessors: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def read_history(bundle: Path) -> list[HistoricalCode]:
    """Parse the bundle files (``bundle`` = the data folder, e.g. /work/shared/data).

    Returns one :class:`HistoricalCode` per municipality code and period (every code in the
    SSB file except Svalbard/Jan Mayen/shelf/unknown, plus :data:`SUPPLEMENTARY_MUNICIPALITIES`)
    followed by the counties derived from them (see :func:`county_history`). Raises
    :class:`HistoryError` on malformed input.
    """
    bundle = Path(bundle)
    population = _read_population(bundle / CURRENT_FILE)
    county_names = _read_county_names(bundle / COUNTIES_FILE, population)
    ssb = _read_ssb(bundle / SSB_FILE, population)
    fhi = _read_fhi(bundle / FHI_FILE, population)

    municipalities = [_municipality(row, ssb.path, fhi, population) for row in ssb.rows]
    _check_unique_periods(municipalities, ssb)
    listed = {m.code for m in municipalities}
    for code, name, valid_from, valid_to, successor in SUPPLEMENTARY_MUNICIPALITIES:
        if code not in listed and successor in population:
            municipalities.append(
                HistoricalCode(
                    code, name, MUNICIPALITY, valid_from, valid_to, (Successor(successor, 1.0),)
                )
            )
    counties = county_history(municipalities, population, county_names)
    return municipalities + counties


def load_code_history(bundle: Path) -> CodeHistory:
    """Convenience: ``CodeHistory(read_history(bundle))``."""
    return CodeHistory(read_history(bundle))


def _open_csv(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise HistoryError(path, 0, f"cannot open file: {exc.strerror or exc}") from exc
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [column for column in required if column not in header]
            if missing:
                raise HistoryError(path, 1, f"missing column(s): {', '.join(missing)}")
            for record in reader:
                if None in record or any(value is None for value in record.values()):
                    raise HistoryError(path, reader.line_num, "wrong number of fields")
                yield reader.line_num, {k: v.strip() for k, v in record.items()}
        except UnicodeDecodeError as exc:
            raise HistoryError(path, 0, f"not UTF-8: {exc}") from exc
        except csv.Error as exc:
            raise HistoryError(path, 0, f"not valid CSV: {exc}") from exc


def _year(path: Path, line: int, column: str, text: str) -> int | None:
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text):
        raise HistoryError(path, line, f"{column} is not a year: {text!r}")
    return int(text)


def _read_population(path: Path) -> dict[str, int]:
    population: dict[str, int] = {}
    for line, row in _open_csv(path, ("kommunenummer", "folketall")):
        code = row["kommunenummer"]
        if not _MUNICIPALITY_CODE.fullmatch(code):
            raise HistoryError(path, line, f"kommunenummer is not 4 digits: {code!r}")
        if code in population:
            raise HistoryError(path, line, f"kommunenummer {code} occurs twice")
        if not row["folketall"].isdigit() or int(row["folketall"]) <= 0:
            raise HistoryError(
                path, line, f"folketall is not a positive number: {row['folketall']!r}"
            )
        population[code] = int(row["folketall"])
    if not population:
        raise HistoryError(path, 1, "no municipalities")
    return population


def _read_county_names(path: Path, population: Mapping[str, int]) -> dict[str, str]:
    try:
        data: object = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise HistoryError(path, 0, f"cannot open file: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HistoryError(path, 0, f"not valid JSON: {exc}") from exc
    if not isinstance(data, list):
        raise HistoryError(path, 1, "expected a list of counties")
    names: dict[str, str] = {}
    for item in data:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("id"), str)
            and isinstance(item.get("name"), str)
            and re.fullmatch(r"\d{2}", item["id"])
        ):
            raise HistoryError(path, 0, f"county without a 2-digit 'id' and a 'name': {item!r}")
        names[item["id"]] = item["name"]
    prefixes = {code[:2] for code in population}
    if prefixes != set(names):
        raise HistoryError(
            path, 0, f"counties {sorted(names)} do not match the municipalities' {sorted(prefixes)}"
        )
    return names


@dataclass
class _Ssb:
    path: Path
    rows: list[_SsbRow]


def _read_ssb(path: Path, population: Mapping[str, int]) -> _Ssb:
    columns = ("harmonisert_kode", "kode", "navn", "gyldig_fra_aar", "gyldig_til_aar")
    rows: list[_SsbRow] = []
    current: set[str] = set()
    for line, row in _open_csv(path, (*columns, "gjeldende_2024")):
        group = row["harmonisert_kode"]
        if not _SSB_GROUP.fullmatch(group):
            raise HistoryError(path, line, f"unexpected harmonisert_kode {group!r}")
        match = _SSB_CODE.fullmatch(row["kode"])
        if match is None:
            raise HistoryError(path, line, f"kode is not a municipality code: {row['kode']!r}")
        if row["gjeldende_2024"] not in ("True", "False"):
            raise HistoryError(
                path, line, f"gjeldende_2024 is not True/False: {row['gjeldende_2024']!r}"
            )
        if not row["navn"]:
            raise HistoryError(path, line, "navn is empty")
        entry = _SsbRow(
            line=line,
            code=match.group(1),
            name=row["navn"],
            group=group,
            valid_from=_year(path, line, "gyldig_fra_aar", row["gyldig_fra_aar"]),
            valid_to=_year(path, line, "gyldig_til_aar", row["gyldig_til_aar"]),
            current=row["gjeldende_2024"] == "True",
        )
        if (
            entry.valid_from is not None
            and entry.valid_to is not None
            and entry.valid_from > entry.valid_to
        ):
            raise HistoryError(path, line, "gyldig_fra_aar is after gyldig_til_aar")
        if entry.group in _NON_MUNICIPAL_GROUPS or entry.code in _NON_MUNICIPAL_CODES:
            continue  # rule 5
        if entry.current:
            if entry.group != f"K.{entry.code}" or entry.valid_to is not None:
                raise HistoryError(path, line, "a 2024 code must be its own group and open-ended")
            if entry.code not in population:
                raise HistoryError(path, line, f"2024 code {entry.code} is not in {CURRENT_FILE}")
            current.add(entry.code)
        elif entry.valid_to is None:
            raise HistoryError(path, line, "gyldig_til_aar is empty for a code not valid in 2024")
        rows.append(entry)
    missing = sorted(set(population) - current)
    if missing:
        raise HistoryError(path, 0, f"2024 codes missing: {', '.join(missing)}")
    return _Ssb(path, rows)


def _read_fhi(path: Path, population: Mapping[str, int]) -> _Fhi:
    columns = ("year_start", "year_end", "municip_code_end", "weighting", "municip_code")
    fhi = _Fhi(path)
    for line, row in _open_csv(path, (*columns, "municip_name")):
        match = _FHI_MUNICIPALITY.fullmatch(row["municip_code"])
        if match is None:
            if _FHI_OTHER.fullmatch(row["municip_code"]):
                continue  # Svalbard, Jan Mayen, unknown: rule 5
            raise HistoryError(path, line, f"unexpected municip_code {row['municip_code']!r}")
        end_code: str | None = None
        if row["municip_code_end"]:
            end = _FHI_MUNICIPALITY.fullmatch(row["municip_code_end"])
            if end is None:
                raise HistoryError(
                    path, line, f"unexpected municip_code_end {row['municip_code_end']!r}"
                )
            end_code = end.group(1)
        weight: float | None = None
        if row["weighting"]:
            try:
                weight = float(row["weighting"])
            except ValueError:
                raise HistoryError(
                    path, line, f"weighting is not a number: {row['weighting']!r}"
                ) from None
            if not 0.0 < weight <= 1.0:
                raise HistoryError(path, line, f"weighting {weight} is not in (0, 1]")
        year_start = _year(path, line, "year_start", row["year_start"])
        if year_start is None:
            raise HistoryError(path, line, "year_start is empty")
        year_end = _year(path, line, "year_end", row["year_end"])
        if (year_end is None) != (end_code is None):
            raise HistoryError(
                path, line, "year_end and municip_code_end must be both set or both empty"
            )
        if year_end is not None and year_end < year_start:
            raise HistoryError(path, line, "year_end is before year_start")
        code = match.group(1)
        if end_code is None and code not in population:
            raise HistoryError(path, line, f"open-ended code {code} is not a 2024 code")
        entry = _FhiRow(line, code, row["municip_name"], year_start, year_end, end_code, weight)
        others = fhi.rows.setdefault(code, [])
        if others and (others[0].year_start, others[0].year_end) != (year_start, year_end):
            raise HistoryError(path, line, f"code {code} occurs with two different periods")
        if any(other.end_code == end_code for other in others):
            raise HistoryError(path, line, f"row for {code} -> {end_code} occurs twice")
        others.append(entry)
        if end_code is not None:
            fhi.predecessors[end_code].add(code)
    for code in population:
        rows = fhi.rows.get(code)
        if not rows or rows[0].end_code is not None:
            raise HistoryError(path, 0, f"2024 code {code} has no open-ended row")
    return fhi


# --------------------------------------------------------------------------------------------
# Municipalities


def _municipality(
    row: _SsbRow, ssb_path: Path, fhi: _Fhi, population: Mapping[str, int]
) -> HistoricalCode:
    if row.current:
        return HistoricalCode(
            code=row.code,
            name=row.name,
            kind=MUNICIPALITY,
            valid_from=_current_valid_from(row, fhi),
            valid_to=None,
            successors=(Successor(row.code, 1.0),),
        )
    # The FHI rows for the same code *and period* (0716 was Våle until 2001, Re 2002-2019).
    fhi_rows = [r for r in fhi.rows.get(row.code, []) if r.year_end == row.valid_to]
    try:
        if len(fhi_rows) > 1:  # rule 2: split directly
            weights = _resolve(row.code, fhi, population, ())
        elif row.group != _REST_GROUP:  # rule 3
            target = row.group.removeprefix("K.")
            if target not in population:
                raise HistoryError(ssb_path, row.line, f"{row.group} is not a 2024 code")
            weights = {target: 1.0}
            chain = _resolve(row.code, fhi, population, ()) if fhi_rows else None
            if chain is not None and len(chain) == 1 and target not in chain:
                (other,) = chain
                raise HistoryError(
                    ssb_path,
                    row.line,
                    f"SSB maps {row.code} to {target} but the FHI chain leads to {other}",
                )
        elif fhi_rows:  # rule 4
            weights = _resolve(row.code, fhi, population, ())
        else:
            raise HistoryError(
                ssb_path,
                row.line,
                f"{row.code} is in K.Rest and has no FHI chain ending {row.valid_to}",
            )
    except _ChainError as exc:
        raise HistoryError(fhi.path, exc.line, exc.reason) from None
    return HistoricalCode(
        code=row.code,
        name=row.name,
        kind=MUNICIPALITY,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        successors=_successors(weights),
    )


def _current_valid_from(row: _SsbRow, fhi: _Fhi) -> int | None:
    """First year a 2024 code was valid (SSB's file leaves it empty for 2024 codes).

    Taken from the start of FHI's open-ended row for the code (e.g. Bergen 4601: 2020,
    Trondheim 5001: 2018, Kristiansund 1505: 2008 -- it replaced 1503). FHI starts the rows of
    the codes created on 1 Jan 2024 in 2023 (while their predecessors' rows end in 2023, as in
    SSB's file); there was no municipal change on 1 Jan 2023, so 2023 is read as 2024.
    Starts before 1994 become None.
    """
    if row.valid_from is not None:
        return row.valid_from
    start = fhi.rows[row.code][0].year_start
    if start == CURRENT_YEAR - 1:
        return CURRENT_YEAR
    return start if start > FIRST_YEAR else None


class _ChainError(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def _resolve(
    code: str, fhi: _Fhi, population: Mapping[str, int], seen: tuple[str, ...]
) -> dict[str, float]:
    """Follow FHI's chain from ``code`` to 2024 codes; weights multiply along the chain."""
    rows = fhi.rows.get(code)
    if not rows:
        raise _ChainError(0, f"the chain {' -> '.join((*seen, code))} breaks: no row for {code}")
    if code in seen:
        raise _ChainError(rows[0].line, f"the chain {' -> '.join((*seen, code))} is a cycle")
    if rows[0].end_code is None:
        return {code: 1.0}
    result: dict[str, float] = defaultdict(float)
    for part, share in _split_weights(code, rows, fhi, population, (*seen, code)).items():
        for target, weight in _resolve(part, fhi, population, (*seen, code)).items():
            result[target] += share * weight
    return dict(result)


def _split_weights(
    code: str,
    rows: Sequence[_FhiRow],
    fhi: _Fhi,
    population: Mapping[str, int],
    seen: tuple[str, ...],
) -> dict[str, float]:
    """The shares of ``code`` going to each next code in FHI's chain.

    One next code: 1.0. For a split, FHI's weights are crude (0.5/0.5 for Ålesund 1507 and
    for Tysfjord 1850), so:

    * When every part of the split became a municipality of its own -- each next code has
      no predecessor other than ``code`` (Ålesund 1507 -> 1508 Ålesund + 1580 Haram, whose
      borders are those of the 2020-2023 Ålesund) -- the shares are the population shares of
      the 2024 successors on 1 Jan 2024 (kommuner_2025.csv ``folketall``). This is the
      population of exactly the parts.
    * When the parts were merged with other municipalities (Tysfjord 1850 -> Narvik 1806 and
      Hamarøy 1875; Snillfjord 5012 -> Heim 5055, Hitra 5056, Orkland 5059), the successors'
      population is mostly someone else's, and would give absurd shares (Narvik 21,580 vs
      Hamarøy 2,729 people for a fjord split about evenly). There FHI's weights are kept
      (Tysfjord 0.5/0.5; Snillfjord 0.35/0.35/0.3, which are not placeholder values).
    """
    if len(rows) == 1:
        end = rows[0].end_code
        assert end is not None
        return {end: 1.0}
    ends = [r.end_code for r in rows if r.end_code is not None]
    if all(fhi.predecessors[end] == {code} for end in ends):
        parts = {end: _resolve(end, fhi, population, seen) for end in ends}
        if all(len(targets) == 1 for targets in parts.values()):
            people = {end: population[next(iter(parts[end]))] for end in ends}
            return {end: people[end] / sum(people.values()) for end in ends}
    weights: dict[str, float] = {}
    for r in rows:
        if r.weight is None or r.end_code is None:
            raise _ChainError(r.line, f"split of {code} without a weighting")
        weights[r.end_code] = r.weight
    total = math.fsum(weights.values())
    if abs(total - 1.0) > _WEIGHT_TOLERANCE:
        raise _ChainError(rows[0].line, f"the split weights of {code} sum to {total}, not 1")
    return {end: weight / total for end, weight in weights.items()}


def _successors(weights: Mapping[str, float]) -> tuple[Successor, ...]:
    """Normalised to sum 1.0, largest share first (ties by code)."""
    total = math.fsum(weights.values())
    return tuple(
        Successor(code, weight / total)
        for code, weight in sorted(weights.items(), key=lambda item: (-item[1], item[0]))
        if weight > 0.0
    )


def _check_unique_periods(municipalities: Sequence[HistoricalCode], ssb: _Ssb) -> None:
    by_code: dict[str, list[tuple[HistoricalCode, _SsbRow]]] = defaultdict(list)
    for entry, row in zip(municipalities, ssb.rows, strict=True):
        for other, _ in by_code[entry.code]:
            if _overlap(entry, other):
                raise HistoryError(
                    ssb.path, row.line, f"code {entry.code} occurs twice for overlapping years"
                )
        by_code[entry.code].append((entry, row))


# --------------------------------------------------------------------------------------------
# Counties


def county_history(
    municipalities: Sequence[HistoricalCode],
    population: Mapping[str, int],
    county_names: Mapping[str, str],
) -> list[HistoricalCode]:
    """Derive the counties (fylker) and their 2024 successors from the municipalities.

    A municipality code's first two digits are the number of its county at the time, so
    county ``C`` in year ``Y`` consists of the municipalities ``Cxx`` valid in ``Y``. Its
    successors are the 2024 counties of those municipalities' 2024 successors, weighted by
    population on 1 Jan 2024 (kommuner_2025.csv): county ``C`` is given, of each 2024
    municipality ``S``, the share of ``S`` that came from ``C``'s municipalities -- ``S``'s
    population divided between *all* of its predecessors valid in ``Y`` in proportion to
    their successor weights (so a merged municipality's population is split equally between
    the municipalities it was merged from, as their own populations are not in the bundle).
    The weight of a 2024 county is its share of the sum. Examples: Viken 30 (2020-2023) ->
    Østfold 31, Akershus 32, Buskerud 33 by their 2024 populations; Oppland 05 (-2019) ->
    Innlandet 34 and, for Jevnaker and Lunner, Akershus 32; Vestfold 07 (-2019) gets a share
    of Buskerud 33 through Svelvik (merged into Drammen), an equal third of Drammen's
    population, which overstates Svelvik -- that is the price of using 2024 figures only.

    The composition of a county changes when municipalities merge or move, so one county code
    can have several periods (Møre og Romsdal 15 lost Rindal to Trøndelag in 2019 and Halsa
    in 2020); consecutive years with the same weights form one :class:`HistoricalCode`. Years
    are counted from 1994 (earlier: ``valid_from`` None) to 2024 (``valid_to`` None).
    """
    county_of = {code: code[:2] for code in population}
    per_year: dict[str, dict[int, dict[str, float]]] = defaultdict(dict)
    for year in range(FIRST_YEAR, CURRENT_YEAR + 1):
        valid = [m for m in municipalities if m.kind == MUNICIPALITY and m.is_valid_in(year)]
        claims: dict[str, float] = defaultdict(float)  # 2024 code -> sum of weights claiming it
        for m in valid:
            for s in m.successors:
                claims[s.code] += s.weight
        mass: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for m in valid:
            for s in m.successors:
                people = population[s.code] * s.weight / claims[s.code]
                mass[m.code[:2]][county_of[s.code]] += people
        for county, targets in mass.items():
            total = math.fsum(targets.values())
            per_year[county][year] = {c: v / total for c, v in targets.items()}

    counties: list[HistoricalCode] = []
    for county in sorted(per_year):
        name = _county_name(county, county_names)
        years = sorted(per_year[county])
        start = years[0]
        for index, year in enumerate(years):
            last = index == len(years) - 1
            if (
                not last
                and years[index + 1] == year + 1
                and _same(per_year[county][year], per_year[county][year + 1])
            ):
                continue
            counties.append(
                HistoricalCode(
                    code=county,
                    name=name
                    if year == CURRENT_YEAR
                    else HISTORICAL_COUNTY_NAMES.get(county, name),
                    kind=COUNTY,
                    valid_from=None if start == FIRST_YEAR else start,
                    valid_to=None if year == CURRENT_YEAR else year,
                    successors=_successors(per_year[county][year]),
                )
            )
            if not last:
                start = years[index + 1]
    return counties


def _county_name(code: str, county_names: Mapping[str, str]) -> str:
    if code in county_names:
        return county_names[code]
    if code in HISTORICAL_COUNTY_NAMES:
        return HISTORICAL_COUNTY_NAMES[code]
    raise HistoryError(SSB_FILE, 0, f"no name known for county {code}")


def _same(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    return a.keys() == b.keys() and all(abs(a[k] - b[k]) <= _SAME_WEIGHTS for k in a)
