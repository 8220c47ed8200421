"""Test doubles: a fake clock, a scripted transport and an in-memory StatBank. No network."""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from lokalmaal.stats.transport import Params, Response

HERE = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (HERE / name).read_bytes()


def bundle_fixture(name: str) -> bytes:
    """A real SSB response from the shared data bundle (skips the test when it is missing)."""
    checkout = Path(__file__).resolve().parents[3]
    candidates = [
        os.environ.get("LOKALMAAL_DATA_DIR"),
        str(checkout.parent / "shared" / "data"),
        "/work/shared/data",
    ]
    for folder in filter(None, candidates):
        path = Path(folder) / "ssb-statistics" / "fixtures" / name
        if path.is_file():
            return path.read_bytes()
    pytest.skip(f"shared data bundle fixture {name} not found (set LOKALMAAL_DATA_DIR)")


class FakeClock:
    """Time that only moves when someone sleeps (or the test says so)."""

    def __init__(self, start: float = 1000.0, tick: float = 0.0) -> None:
        self.now = start
        self.tick = tick
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        current = self.now
        self.now += self.tick
        return current

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class Call:
    method: str
    url: str
    params: dict[str, Any] = field(default_factory=dict)
    body: Any = None


def ok(body: bytes | dict[str, Any], status: int = 200, **headers: str) -> Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Response(status, {k.replace("_", "-"): v for k, v in headers.items()}, raw)


class ScriptedTransport:
    """Answers with the given responses in turn (an exception in the list is raised)."""

    def __init__(self, *answers: Response | Exception) -> None:
        self.answers = list(answers)
        self.calls: list[Call] = []

    def get(self, url: str, params: Params | None = None) -> Response:
        self.calls.append(Call("GET", url, dict(params or {})))
        return self._next()

    def post(self, url: str, json_body: Any) -> Response:
        self.calls.append(Call("POST", url, body=json_body))
        return self._next()

    def _next(self) -> Response:
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@dataclass
class FakeVariable:
    id: str
    codes: list[str]
    role: str | None = None
    elimination: bool = False


@dataclass
class FakeTable:
    id: str
    variables: list[FakeVariable]
    updated: str = "2024-02-21T07:00:00Z"

    def metadata(self) -> dict[str, Any]:
        roles: dict[str, list[str]] = {}
        for v in self.variables:
            if v.role:
                roles.setdefault(v.role, []).append(v.id)
        return {
            "version": "2.0",
            "class": "dataset",
            "label": f"{self.id}: Fake table",
            "source": "Statistisk sentralbyrå",
            "updated": self.updated,
            "role": roles,
            "id": [v.id for v in self.variables],
            "size": [len(v.codes) for v in self.variables],
            "dimension": {v.id: _dimension(v.id, v.codes, v.elimination) for v in self.variables},
            "extension": {"px": {"tableid": self.id}},
            "value": [],
        }

    def data(self, selection: Mapping[str, Sequence[str]]) -> dict[str, Any]:
        """JSON-stat2 for a selection; each value is the cell's flat index in the whole table."""
        chosen = {v.id: _select(v, selection.get(v.id)) for v in self.variables}
        kept = [v for v in self.variables if chosen[v.id]]
        doc = self.metadata()
        doc["id"] = [v.id for v in kept]
        doc["size"] = [len(chosen[v.id]) for v in kept]
        doc["dimension"] = {v.id: _dimension(v.id, chosen[v.id], v.elimination) for v in kept}
        doc["value"] = self._global_indices(chosen)
        return doc

    def _global_indices(self, chosen: Mapping[str, list[str]]) -> list[int]:
        indices = [0]
        stride = math.prod(len(v.codes) for v in self.variables)
        for variable in self.variables:
            stride //= len(variable.codes)
            codes = chosen[variable.id] or [variable.codes[0]]  # eliminated: the first (total)
            offsets = [variable.codes.index(c) * stride for c in codes]
            indices = [base + offset for base in indices for offset in offsets]
        return indices


def _dimension(dim_id: str, codes: Sequence[str], elimination: bool) -> dict[str, Any]:
    return {
        "label": dim_id.lower(),
        "category": {
            "index": {code: i for i, code in enumerate(codes)},
            "label": {code: f"{dim_id} {code}" for code in codes},
        },
        "extension": {"elimination": elimination, "codelists": []},
    }


def _select(variable: FakeVariable, values: Sequence[str] | None) -> list[str]:
    if values is None:
        return []
    if list(values) == ["*"]:
        return list(variable.codes)
    return [c for c in variable.codes if c in set(values)]


class FakeStatBank:
    """Serves v2 metadata and data (GET and POST) for FakeTables, recording every call."""

    def __init__(self, *tables: FakeTable) -> None:
        self.tables = {t.id: t for t in tables}
        self.calls: list[Call] = []
        self.served: list[int] = []  # cells in each data answer

    def get(self, url: str, params: Params | None = None) -> Response:
        params = dict(params or {})
        self.calls.append(Call("GET", url, params))
        table = self.tables[url.split("/tables/")[1].split("/")[0]]
        if url.endswith("/metadata"):
            return ok(table.metadata())
        selection = {
            m[1]: str(value).split(",")
            for key, value in params.items()
            if (m := re.fullmatch(r"valueCodes\[(.+)\]", key))
        }
        return self._answer(table, selection)

    def post(self, url: str, json_body: Any) -> Response:
        self.calls.append(Call("POST", url, body=json_body))
        table = self.tables[url.split("/tables/")[1].split("/")[0]]
        selection = {s["variableCode"]: s["valueCodes"] for s in json_body["selection"]}
        return self._answer(table, selection)

    def _answer(self, table: FakeTable, selection: Mapping[str, Sequence[str]]) -> Response:
        doc = table.data(selection)
        self.served.append(len(doc["value"]))
        return ok(doc)

    def kinds(self) -> list[str]:
        return [f"{c.method} {c.url.rsplit('/', 1)[-1].split('?')[0]}" for c in self.calls]


def jsonstat(
    dims: Mapping[str, Sequence[str]],
    values: Any,
    status: Any = None,
    **extra: Any,
) -> dict[str, Any]:
    """A minimal JSON-stat2 dataset for tests."""
    doc: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "id": list(dims),
        "size": [len(codes) for codes in dims.values()],
        "dimension": {
            d: {"label": d, "category": {"index": list(codes), "label": {c: c for c in codes}}}
            for d, codes in dims.items()
        },
        "value": values,
        **extra,
    }
    if status is not None:
        doc["status"] = status
    return doc
