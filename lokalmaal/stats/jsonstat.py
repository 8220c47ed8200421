"""JSON-stat 2.0 datasets, as SSB's PxWebApi (v0/v1 and v2) returns them, in columnar form.

`parse()` validates strictly and raises `JsonStatError` with the reason, so a truncated or
malformed response never turns into silently wrong numbers. Values are kept as one flat list in
row-major order (the last dimension varies fastest); the category codes of a flat index follow
from the strides, so no per-cell dictionaries are built.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any

type Value = float | None
type Observation = tuple[tuple[str, ...], Value, str | None]

_NUMBER_TYPES = frozenset({int, float, type(None)})


class JsonStatError(ValueError):
    """Input that is not a valid JSON-stat 2.0 dataset (malformed, truncated or inconsistent)."""


# SSB's symbols in tables. The first three are the ones SSB's StatBank API guide documents today
# (ssb.no «API mot Statistikkbanken – brukerveiledning», «Spesialtegn i tabellene»); the others
# are SSB's older standard symbols, still found in long-lived tables.
STATUS_SYMBOLS: dict[str, str] = {
    ".": "Category not applicable: figures do not exist because the category was not in use",
    "..": "Data not available: not yet in SSB's databases, or too unreliable to publish",
    ":": "Confidential: not published, to avoid identifying persons or companies",
    "...": "Data not yet available (older tables)",
    "…": "Data not yet available (older tables)",
    "-": "Nil (older tables)",
    "*": "Provisional figure (older tables)",
}

STATUS_SYMBOLS_NB: dict[str, str] = {
    ".": "Ikke mulig å oppgi tall: kategorien var ikke i bruk da tallene ble samlet inn",
    "..": "Tallgrunnlag mangler: ikke kommet inn i databasene, eller for usikre til å publiseres",
    ":": "Vises ikke av konfidensialitetshensyn",
    "...": "Oppgave mangler foreløpig (eldre tabeller)",
    "…": "Oppgave mangler foreløpig (eldre tabeller)",
    "-": "Null (eldre tabeller)",
    "*": "Foreløpig tall (eldre tabeller)",
}


def status_meaning(symbol: str, lang: str = "en") -> str | None:
    """What an SSB status symbol means (English, or bokmål with lang="nb"); None if unknown."""
    table = STATUS_SYMBOLS_NB if lang == "nb" else STATUS_SYMBOLS
    return table.get(symbol.strip())


@dataclass(frozen=True, slots=True)
class Unit:
    base: str | None
    decimals: int | None


@dataclass(slots=True)
class Dimension:
    """One dimension: its category codes in index order and their labels."""

    id: str
    label: str
    codes: tuple[str, ...]
    labels: dict[str, str]
    units: dict[str, Unit] = field(default_factory=dict)
    positions: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.positions = {code: i for i, code in enumerate(self.codes)}

    def label_of(self, code: str) -> str:
        return self.labels.get(code, code)


@dataclass(slots=True)
class Dataset:
    """A JSON-stat dataset in columnar form; `values[i]` and `status[i]` share a flat index."""

    ids: tuple[str, ...]
    dimensions: dict[str, Dimension]
    values: list[Value]
    status: dict[int, str]
    size: tuple[int, ...]
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    updated: str | None = None
    label: str | None = None
    source: str | None = None

    def __len__(self) -> int:
        return len(self.values)

    @property
    def strides(self) -> tuple[int, ...]:
        strides = [1] * len(self.size)
        for k in range(len(self.size) - 2, -1, -1):
            strides[k] = strides[k + 1] * self.size[k + 1]
        return tuple(strides)

    def codes_at(self, index: int) -> tuple[str, ...]:
        """The category code of each dimension for a flat index."""
        if not 0 <= index < len(self.values):
            raise IndexError(f"flat index {index} is outside 0..{len(self.values) - 1}")
        codes = []
        for dim_id, stride in zip(self.ids, self.strides, strict=True):
            position, index = divmod(index, stride)
            codes.append(self.dimensions[dim_id].codes[position])
        return tuple(codes)

    def index_of(self, codes: Mapping[str, str] | Sequence[str]) -> int:
        """The flat index of one cell, given a code per dimension (in order, or by dimension id)."""
        ordered = [codes[d] for d in self.ids] if isinstance(codes, Mapping) else list(codes)
        if len(ordered) != len(self.ids):
            raise KeyError(
                f"need {len(self.ids)} codes ({', '.join(self.ids)}), got {len(ordered)}"
            )
        index = 0
        for dim_id, stride, code in zip(self.ids, self.strides, ordered, strict=True):
            position = self.dimensions[dim_id].positions.get(code)
            if position is None:
                raise KeyError(f"dimension {dim_id!r} has no category {code!r}")
            index += position * stride
        return index

    def value(self, **codes: str) -> Value:
        """The value of one cell, e.g. `dataset.value(Region="0301", Tid="2024", ...)`."""
        return self.values[self.index_of(codes)]


def iter_observations(dataset: Dataset) -> Iterator[Observation]:
    """(codes per dimension, value, status symbol) for every cell, in flat-index order."""
    # itertools.product enumerates the code tuples in exactly the row-major order that the
    # strides describe, and does it in C: this is the fast path for whole-table iteration.
    codes = product(*(dataset.dimensions[d].codes for d in dataset.ids))
    statuses: list[str | None] = [None] * len(dataset.values)
    for index, symbol in dataset.status.items():
        statuses[index] = symbol
    return zip(codes, dataset.values, statuses, strict=True)


def parse(data: bytes | bytearray | str | Mapping[str, Any]) -> Dataset:
    """Parse one JSON-stat 2.0 dataset (raw response body or already-decoded JSON)."""
    obj = load_object(data)
    _check_class(obj)
    ids = _ids(obj)
    size = _size(obj, ids)
    dimensions = _dimensions(obj, ids, size)
    cells = math.prod(size)
    return Dataset(
        ids=ids,
        dimensions=dimensions,
        values=_values(obj.get("value"), cells),
        status=_status(obj.get("status"), cells),
        size=size,
        roles=_roles(obj.get("role"), ids),
        updated=_optional_str(obj, "updated"),
        label=_optional_str(obj, "label"),
        source=_optional_str(obj, "source"),
    )


def load_object(data: bytes | bytearray | str | Mapping[str, Any]) -> Mapping[str, Any]:
    """Decode a response body to a JSON object, or say why it is not one."""
    if isinstance(data, Mapping):
        return data
    try:
        obj = json.loads(data)
    except UnicodeDecodeError as error:
        raise JsonStatError(f"the response is not UTF-8 text ({error.reason})") from error
    except json.JSONDecodeError as error:
        raise JsonStatError(
            f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno} "
            f"(character {error.pos} of {len(data)}); the response may be truncated"
        ) from error
    if not isinstance(obj, dict):
        raise JsonStatError(f"expected a JSON object at the top level, got {type(obj).__name__}")
    return obj


def _check_class(obj: Mapping[str, Any]) -> None:
    klass = obj.get("class")
    if klass is None and "dataset" in obj:
        raise JsonStatError("this is a JSON-stat 1.x response; ask for format json-stat2")
    if klass != "dataset":
        raise JsonStatError(f"class is {klass!r}; only JSON-stat 'dataset' responses are read")


def _ids(obj: Mapping[str, Any]) -> tuple[str, ...]:
    ids = obj.get("id")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise JsonStatError("'id' must be a non-empty list of dimension ids (strings)")
    if len(set(ids)) != len(ids):
        raise JsonStatError(f"'id' repeats a dimension: {ids}")
    return tuple(ids)


def _size(obj: Mapping[str, Any], ids: tuple[str, ...]) -> tuple[int, ...]:
    size = obj.get("size")
    if not isinstance(size, list) or not all(type(n) is int and n >= 0 for n in size):
        raise JsonStatError("'size' must be a list of non-negative integers")
    if len(size) != len(ids):
        raise JsonStatError(f"'size' has {len(size)} entries but 'id' names {len(ids)} dimensions")
    return tuple(size)


def _dimensions(
    obj: Mapping[str, Any], ids: tuple[str, ...], size: tuple[int, ...]
) -> dict[str, Dimension]:
    raw = obj.get("dimension")
    if not isinstance(raw, dict):
        raise JsonStatError("'dimension' is missing or not an object")
    missing = [d for d in ids if d not in raw]
    if missing:
        raise JsonStatError(f"'dimension' lacks {', '.join(missing)} named in 'id'")
    return {d: parse_dimension(d, raw[d], expected=n) for d, n in zip(ids, size, strict=True)}


def parse_dimension(dim_id: str, raw: Any, expected: int | None = None) -> Dimension:
    """One dimension object; with `expected`, its category count must match the size."""
    if not isinstance(raw, dict) or not isinstance(raw.get("category"), dict):
        raise JsonStatError(f"dimension {dim_id!r} has no 'category' object")
    category = raw["category"]
    labels = category.get("label") or {}
    if not isinstance(labels, dict):
        raise JsonStatError(f"dimension {dim_id!r}: category 'label' must be an object")
    codes = _category_codes(dim_id, category.get("index"), labels)
    if expected is not None and len(codes) != expected:
        raise JsonStatError(
            f"dimension {dim_id!r} has {len(codes)} categories but 'size' says {expected}"
        )
    label = raw.get("label")
    return Dimension(
        id=dim_id,
        label=label if isinstance(label, str) else dim_id,
        codes=codes,
        labels={str(k): str(v) for k, v in labels.items()},
        units=_units(category.get("unit")),
    )


def _category_codes(dim_id: str, index: Any, labels: Mapping[str, Any]) -> tuple[str, ...]:
    if index is None:
        # JSON-stat lets a single-category dimension leave out the index.
        if len(labels) == 1:
            return (str(next(iter(labels))),)
        raise JsonStatError(f"dimension {dim_id!r} has no category index")
    if isinstance(index, list):
        if not all(isinstance(c, str) for c in index) or len(set(index)) != len(index):
            raise JsonStatError(f"dimension {dim_id!r}: index must list distinct string codes")
        return tuple(index)
    if isinstance(index, dict):
        return _codes_from_positions(dim_id, index)
    raise JsonStatError(f"dimension {dim_id!r}: category index must be a list or an object")


def _codes_from_positions(dim_id: str, index: Mapping[str, Any]) -> tuple[str, ...]:
    slots: list[str | None] = [None] * len(index)
    for code, position in index.items():
        if type(position) is not int or not 0 <= position < len(slots):
            raise JsonStatError(
                f"dimension {dim_id!r}: category {code!r} has index {position!r}, "
                f"outside 0..{len(slots) - 1}"
            )
        if slots[position] is not None:
            raise JsonStatError(
                f"dimension {dim_id!r}: categories {slots[position]!r} and {code!r} "
                f"share index {position}"
            )
        slots[position] = code
    return tuple(code for code in slots if code is not None)


def _units(raw: Any) -> dict[str, Unit]:
    if not isinstance(raw, dict):
        return {}
    units = {}
    for code, unit in raw.items():
        if isinstance(unit, dict):
            decimals = unit.get("decimals")
            base = unit.get("base")
            units[str(code)] = Unit(
                base=base if isinstance(base, str) else None,
                decimals=decimals if type(decimals) is int else None,
            )
    return units


def _values(raw: Any, cells: int) -> list[Value]:
    if raw is None:
        raise JsonStatError("'value' is missing")
    if isinstance(raw, list):
        if len(raw) != cells:
            raise JsonStatError(f"value has {len(raw)} entries, size says {cells}")
        # set(map(type, …)) runs in C: about three times faster than a generator over the values.
        if not set(map(type, raw)) <= _NUMBER_TYPES:
            _raise_bad_value(
                next((i, v) for i, v in enumerate(raw) if type(v) not in _NUMBER_TYPES)
            )
        return list(raw)
    if isinstance(raw, dict):
        return _sparse_values(raw, cells)
    raise JsonStatError(f"'value' must be a list or an object, got {type(raw).__name__}")


def _sparse_values(raw: Mapping[str, Any], cells: int) -> list[Value]:
    values: list[Value] = [None] * cells
    for key, value in raw.items():
        index = _flat_index(key, cells, "value")
        if type(value) not in _NUMBER_TYPES:
            _raise_bad_value((index, value))
        values[index] = value
    return values


def _raise_bad_value(found: tuple[int, Any]) -> None:
    index, value = found
    raise JsonStatError(f"value[{index}] is {value!r}; expected a number or null")


def _flat_index(key: Any, cells: int, what: str) -> int:
    try:
        index = int(key)
    except (TypeError, ValueError):
        raise JsonStatError(f"{what} key {key!r} is not a flat index") from None
    if not 0 <= index < cells:
        raise JsonStatError(f"{what} key {key!r} is outside 0..{cells - 1}")
    return index


def _status(raw: Any, cells: int) -> dict[int, str]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return dict.fromkeys(range(cells), raw)
    if isinstance(raw, list):
        return _status_list(raw, cells)
    if isinstance(raw, dict):
        status = {}
        for key, symbol in raw.items():
            if not isinstance(symbol, str):
                raise JsonStatError(f"status[{key!r}] is {symbol!r}; expected a string")
            status[_flat_index(key, cells, "status")] = symbol
        return status
    raise JsonStatError(f"'status' must be a string, list or object, got {type(raw).__name__}")


def _status_list(raw: list[Any], cells: int) -> dict[int, str]:
    if len(raw) == 1 and cells != 1:
        # JSON-stat: a one-element status list applies to every value.
        raw = raw * cells
    if len(raw) != cells:
        raise JsonStatError(f"status has {len(raw)} entries, size says {cells}")
    status = {}
    for index, symbol in enumerate(raw):
        if symbol is None:
            continue
        if not isinstance(symbol, str):
            raise JsonStatError(f"status[{index}] is {symbol!r}; expected a string or null")
        status[index] = symbol
    return status


def _roles(raw: Any, ids: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise JsonStatError("'role' must be an object")
    roles = {}
    for role, members in raw.items():
        if not isinstance(members, list) or not all(m in ids for m in members):
            raise JsonStatError(f"role {role!r} must list dimension ids from 'id', got {members!r}")
        roles[str(role)] = tuple(members)
    return roles


def _optional_str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise JsonStatError(f"{key!r} must be a string, got {type(value).__name__}")
    return value


def merge(datasets: Iterable[Dataset]) -> Dataset:
    """Combine datasets with the same dimensions (e.g. the chunks of a split request) into one.

    Categories are united in order of first appearance; a cell that no part covers is None.
    Two parts that give the same cell different values or statuses are an error.
    """
    parts = list(datasets)
    if not parts:
        raise JsonStatError("merge needs at least one dataset")
    first = parts[0]
    for number, part in enumerate(parts[1:], start=2):
        if part.ids != first.ids:
            raise JsonStatError(
                f"cannot merge: dataset {number} has dimensions {part.ids}, "
                f"dataset 1 has {first.ids}"
            )
    dimensions = {d: _united_dimension([p.dimensions[d] for p in parts]) for d in first.ids}
    size = tuple(len(dimensions[d].codes) for d in first.ids)
    merged = Dataset(
        ids=first.ids,
        dimensions=dimensions,
        values=[None] * math.prod(size),
        status={},
        size=size,
        roles=dict(first.roles),
        updated=max((p.updated for p in parts if p.updated), default=None),
        label=first.label,
        source=first.source,
    )
    covered = bytearray(len(merged.values))
    for part in parts:
        _place(part, merged, covered)
    return merged


def _united_dimension(parts: list[Dimension]) -> Dimension:
    codes: dict[str, None] = {}
    labels: dict[str, str] = {}
    units: dict[str, Unit] = {}
    for part in parts:
        codes.update(dict.fromkeys(part.codes))
        labels = {**part.labels, **labels}
        units = {**part.units, **units}
    return Dimension(parts[0].id, parts[0].label, tuple(codes), labels, units)


def _place(part: Dataset, merged: Dataset, covered: bytearray) -> None:
    targets = _target_indices(part, merged)
    values = merged.values
    for target, value in zip(targets, part.values, strict=True):
        if covered[target] and values[target] != value:
            raise JsonStatError(
                f"cannot merge: cell {merged.codes_at(target)} is {values[target]!r} "
                f"in one dataset and {value!r} in another"
            )
        values[target] = value
        covered[target] = 1
    for index, symbol in part.status.items():
        target = targets[index]
        if merged.status.get(target, symbol) != symbol:
            raise JsonStatError(f"cannot merge: cell {merged.codes_at(target)} has two statuses")
        merged.status[target] = symbol


def _target_indices(part: Dataset, merged: Dataset) -> list[int]:
    """For each flat index of `part`, the flat index of the same cell in `merged`."""
    targets = [0]
    for dim_id, stride in zip(merged.ids, merged.strides, strict=True):
        positions = merged.dimensions[dim_id].positions
        offsets = [positions[code] * stride for code in part.dimensions[dim_id].codes]
        targets = [base + offset for base in targets for offset in offsets]
    return targets
