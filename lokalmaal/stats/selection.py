"""Estimate the cells of a PxWebApi selection and split it into requests under the cell limit.

SSB refuses extracts above 800,000 cells (HTTP 403). A selection is planned as a list of
requests: one if it fits, otherwise the variable that needs the fewest requests is cut into
consecutive chunks, preferring time and region variables and touching the contents variable
(ContentsCode) only when nothing else will do.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

MAX_CELLS = 800_000

# PxWebApi v2 selection expressions whose meaning depends on the table (top, bottom, from, to,
# range): they are counted against the metadata but never rewritten into explicit codes.
_POSITIONAL = re.compile(r"^\[?(top|bottom|from|to|range)\((.*)\)\]?$", re.IGNORECASE)


class SelectionError(ValueError):
    """A selection names unknown values or cannot be brought under the cell limit."""


@dataclass(frozen=True, slots=True)
class Axis:
    """One variable of a planned request.

    `values` is what is sent while the variable is not split (e.g. "*"); `codes` are the
    explicit codes it stands for, used when it is split (empty when they cannot be known).
    """

    id: str
    values: tuple[str, ...]
    count: int
    codes: tuple[str, ...] = ()
    role: str | None = None

    @property
    def splittable(self) -> bool:
        return len(self.codes) == self.count > 1

    @property
    def tier(self) -> int:
        """Split preference: 0 time/region, 1 other variables, 2 the contents variable."""
        if self.role in ("time", "geo"):
            return 0
        return 2 if self.role == "metric" or self.id == "ContentsCode" else 1


def resolve(expressions: Sequence[str], codes: Sequence[str]) -> tuple[tuple[str, ...], bool]:
    """The codes an expression list selects, in metadata order, and whether they are explicit.

    Explicit means every expression is a code, "*" or a wildcard pattern (* and ?), so the
    result may be sent instead of the expressions. top(n), from(x) and the like are counted
    too, but the caller must send them unchanged.
    """
    chosen: set[str] = set()
    known = set(codes)
    explicit = True
    for expression in expressions:
        positional = _POSITIONAL.match(expression.strip())
        if positional:
            explicit = False
            try:
                chosen.update(_positional(positional[1].lower(), positional[2], codes))
            except (ValueError, IndexError) as error:
                raise SelectionError(f"cannot read {expression!r}: {error}") from None
        elif "*" in expression or "?" in expression:
            chosen.update(c for c in codes if fnmatchcase(c, expression))
        elif expression in known:
            chosen.add(expression)
        else:
            raise SelectionError(f"no value {expression!r}")
    return tuple(c for c in codes if c in chosen), explicit


def _positional(kind: str, arguments: str, codes: Sequence[str]) -> Sequence[str]:
    parts = [a.strip() for a in arguments.split(",")]
    if kind in ("top", "bottom"):
        count = int(parts[0])
        offset = int(parts[1]) if len(parts) > 1 and parts[1] else 0
        # top() counts from the end of the list (the newest periods), bottom() from the start.
        if kind == "top":
            return codes[max(0, len(codes) - offset - count) : len(codes) - offset]
        return codes[offset : offset + count]
    if kind == "from":
        return codes[_position(parts[0], codes) :]
    if kind == "to":
        return codes[: _position(parts[0], codes) + 1]
    return codes[_position(parts[0], codes) : _position(parts[-1], codes) + 1]


def _position(code: str, codes: Sequence[str]) -> int:
    try:
        return list(codes).index(code)
    except ValueError:
        raise SelectionError(f"no value {code!r}") from None


def cell_count(axes: Sequence[Axis]) -> int:
    return math.prod(axis.count for axis in axes)


def split(axes: Sequence[Axis], max_cells: int = MAX_CELLS) -> list[list[Axis]]:
    """Requests (each a list of axes) that together cover the selection, each ≤ max_cells."""
    total = cell_count(axes)
    if total <= max_cells:
        return [list(axes)]
    best = _best_single_cut(axes, total, max_cells)
    if best is not None:
        axis, per_request = best
        return [_with(axes, axis, chunk) for chunk in _chunks(axis.codes, per_request)]
    fallback = _first_splittable(axes)
    if fallback is None:
        raise SelectionError(
            f"the selection has {total:,} cells, more than {max_cells:,}, and no variable "
            "can be split (use explicit codes or '*' instead of top/from/range expressions)"
        )
    # No single variable is enough: one request per value of the preferred variable, each of
    # which is split further if it still is too large.
    return [
        part for code in fallback.codes for part in split(_with(axes, fallback, (code,)), max_cells)
    ]


def _best_single_cut(axes: Sequence[Axis], total: int, max_cells: int) -> tuple[Axis, int] | None:
    for tier in (0, 1, 2):
        options = []
        for axis in axes:
            if axis.tier != tier or not axis.splittable:
                continue
            rest = total // axis.count
            if rest <= max_cells:
                requests = math.ceil(axis.count / (max_cells // rest))
                options.append((requests, axis))
        if options:
            requests, axis = min(options, key=lambda option: option[0])
            return axis, math.ceil(axis.count / requests)
    return None


def _first_splittable(axes: Sequence[Axis]) -> Axis | None:
    candidates = [a for a in axes if a.splittable]
    return min(candidates, key=lambda a: (a.tier, -a.count), default=None)


def _chunks(values: tuple[str, ...], size: int) -> list[tuple[str, ...]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _with(axes: Sequence[Axis], target: Axis, codes: tuple[str, ...]) -> list[Axis]:
    chunk = replace(target, values=codes, codes=codes, count=len(codes))
    return [chunk if a is target else a for a in axes]
