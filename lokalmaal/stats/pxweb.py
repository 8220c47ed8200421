"""Clients for SSB's StatBank API: PxWebApi v2 (metadata, code lists, data) and the v0/v1 API.

Every call goes through one sliding-window limiter (SSB allows 30 calls per 60 s per IP, shared by
all clients in this process unless you pass your own), retries 429 and 5xx with backoff, and
turns failures into `PxWebError` naming the table, URL and reason. `PxWebV2Client.data()` splits
selections above SSB's 800,000-cell limit into several requests and merges the answers.
"""

from __future__ import annotations

import math
import os
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from lokalmaal.stats.cache import ResponseCache, cache_key
from lokalmaal.stats.jsonstat import Dataset, JsonStatError, load_object, merge, parse
from lokalmaal.stats.selection import MAX_CELLS, Axis, SelectionError, resolve, split
from lokalmaal.stats.transport import (
    ApiError,
    Params,
    RateLimiter,
    RequestRunner,
    Response,
    RetryPolicy,
    Transport,
    UrllibTransport,
    build_url,
)

BASE_V2 = "https://data.ssb.no/api/pxwebapi/v2"
BASE_V0 = "https://data.ssb.no/api/v0"
# SSB: GET URLs longer than about 2,100 characters fail; longer selections go by POST.
MAX_URL_LENGTH = 2000

type Selection = Mapping[str, Sequence[str]]
type Method = Literal["GET", "POST"]

_shared_limiter = RateLimiter()


class PxWebError(ApiError):
    """A StatBank call failed: the message names the table, the URL and the reason."""


@dataclass(frozen=True, slots=True)
class CodelistRef:
    id: str
    label: str
    type: str


@dataclass(frozen=True, slots=True)
class Variable:
    id: str
    label: str
    codes: tuple[str, ...]
    labels: dict[str, str]
    elimination: bool
    role: str | None
    codelists: tuple[CodelistRef, ...] = ()


@dataclass(frozen=True, slots=True)
class TableMetadata:
    table_id: str
    label: str
    updated: str | None
    source: str | None
    variables: tuple[Variable, ...]
    notes: tuple[str, ...] = ()

    def variable(self, variable_id: str) -> Variable:
        for variable in self.variables:
            if variable.id == variable_id:
                return variable
        raise KeyError(f"table {self.table_id} has no variable {variable_id!r}")

    @property
    def cells(self) -> int:
        """Cells in the whole table (every value of every variable)."""
        return math.prod(len(v.codes) for v in self.variables)


@dataclass(frozen=True, slots=True)
class CodelistValue:
    code: str
    label: str
    value_map: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Codelist:
    id: str
    label: str
    type: str
    values: tuple[CodelistValue, ...] = field(default=())

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(v.code for v in self.values)


def parse_metadata(body: bytes | str | Mapping[str, Any], table_id: str = "") -> TableMetadata:
    """A v2 `/tables/{id}/metadata` response (JSON-stat2 with an empty `value`)."""
    obj = load_object(body)
    ids = obj.get("id")
    dimensions = obj.get("dimension")
    if not isinstance(ids, list) or not isinstance(dimensions, dict):
        raise JsonStatError("metadata needs 'id' and 'dimension'")
    roles = _role_of(obj.get("role"))
    px = (obj.get("extension") or {}).get("px") or {}
    return TableMetadata(
        table_id=table_id or str(px.get("tableid") or ""),
        label=str(obj.get("label") or ""),
        updated=obj.get("updated"),
        source=obj.get("source"),
        variables=tuple(_variable(str(i), dimensions.get(i), roles.get(i)) for i in ids),
        notes=tuple(str(n) for n in obj.get("note") or ()),
    )


def _role_of(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {member: role for role, members in raw.items() for member in members or ()}


def _variable(variable_id: str, raw: Any, role: str | None) -> Variable:
    if not isinstance(raw, dict) or not isinstance(raw.get("category"), dict):
        raise JsonStatError(f"metadata: variable {variable_id!r} has no category")
    category = raw["category"]
    extension = raw.get("extension") or {}
    # SSB writes "codelists"; the PxWebApi guide's examples write "codeLists".
    codelists = extension.get("codelists") or extension.get("codeLists") or ()
    return Variable(
        id=variable_id,
        label=str(raw.get("label") or variable_id),
        codes=_ordered_codes(category.get("index")),
        labels={str(k): str(v) for k, v in (category.get("label") or {}).items()},
        elimination=bool(extension.get("elimination", False)),
        role=role,
        codelists=tuple(
            CodelistRef(str(c.get("id")), str(c.get("label", "")), str(c.get("type", "")))
            for c in codelists
            if isinstance(c, dict)
        ),
    )


def _ordered_codes(index: Any) -> tuple[str, ...]:
    # Metadata is read leniently: codes in order of their index, even when the positions have
    # gaps (as in hand-trimmed responses).
    if isinstance(index, list):
        return tuple(str(code) for code in index)
    if isinstance(index, dict):
        return tuple(str(code) for code, _ in sorted(index.items(), key=lambda item: item[1]))
    return ()


def parse_codelist(body: bytes | str | Mapping[str, Any]) -> Codelist:
    """A v2 `/codeLists/{id}` response: the code list's values and what each groups."""
    obj = load_object(body)
    values = obj.get("values")
    if not isinstance(values, list):
        raise JsonStatError("code list response has no 'values' list")
    return Codelist(
        id=str(obj.get("id", "")),
        label=str(obj.get("label", "")),
        type=str(obj.get("type", "")),
        values=tuple(
            CodelistValue(str(v["code"]), str(v.get("label", "")), tuple(v.get("valueMap") or ()))
            for v in values
            if isinstance(v, dict) and "code" in v
        ),
    )


def build_v0_query(
    selection: Selection,
    filters: Mapping[str, str] | None = None,
    response_format: str = "json-stat2",
) -> dict[str, Any]:
    """A v0/v1 POST body: each variable with filter "item" unless `filters` names another."""
    filters = filters or {}
    return {
        "query": [
            {
                "code": code,
                "selection": {"filter": filters.get(code, "item"), "values": list(values)},
            }
            for code, values in selection.items()
        ],
        "response": {"format": response_format},
    }


def _runner(
    transport: Transport | None,
    limiter: RateLimiter | None,
    retry: RetryPolicy | None,
    sleep: Callable[[float], None],
) -> RequestRunner:
    return RequestRunner(
        transport or UrllibTransport(),
        limiter or _shared_limiter,
        retry or RetryPolicy(),
        sleep,
        PxWebError,
    )


def _dataset(table_id: str, response: Response, url: str) -> Dataset:
    try:
        return parse(response.body)
    except JsonStatError as error:
        raise PxWebError(
            f"table {table_id}: the answer from {url} is not a usable JSON-stat2 dataset: {error}",
            url,
            response.status,
        ) from error


def _merged(table_id: str, parts: list[Dataset], url: str) -> Dataset:
    if len(parts) == 1:
        return parts[0]
    try:
        return merge(parts)
    except JsonStatError as error:
        raise PxWebError(
            f"table {table_id}: the split answers do not fit together: {error}", url
        ) from error


class PxWebV2Client:
    """PxWebApi v2: `metadata()`, `codelist()` and `data()` (split, merged and cached)."""

    def __init__(
        self,
        *,
        base_url: str = BASE_V2,
        lang: str = "no",
        transport: Transport | None = None,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        cache_dir: str | os.PathLike[str] | None = None,
        max_cells: int = MAX_CELLS,
        max_url_length: int = MAX_URL_LENGTH,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.lang = lang
        self.runner = _runner(transport, limiter, retry, sleep)
        self.cache = ResponseCache(cache_dir) if cache_dir else None
        self.max_cells = max_cells
        self.max_url_length = max_url_length

    def metadata(self, table_id: str) -> TableMetadata:
        url = f"{self.base_url}/tables/{_quote(table_id)}/metadata"
        response = self.runner.get(url, {"lang": self.lang}, f"table {table_id} metadata")
        try:
            return parse_metadata(response.body, table_id)
        except JsonStatError as error:
            raise PxWebError(f"table {table_id}: unreadable metadata: {error}", url) from error

    def codelist(self, codelist_id: str) -> Codelist:
        url = f"{self.base_url}/codeLists/{_quote(codelist_id)}"
        response = self.runner.get(url, {"lang": self.lang}, f"code list {codelist_id}")
        try:
            return parse_codelist(response.body)
        except JsonStatError as error:
            raise PxWebError(f"code list {codelist_id}: unreadable answer: {error}", url) from error

    def data(
        self,
        table_id: str,
        selection: Selection | None = None,
        method: Method = "GET",
        *,
        codelists: Mapping[str, str] | None = None,
        output_values: Mapping[str, str] | None = None,
    ) -> Dataset:
        """Cells of a table. `selection` maps variable ids to value codes or expressions
        ("*", "2020*", "top(3)" …); None means every value of every variable. Variables left out
        are eliminated when the table allows it and fetched in full otherwise."""
        if method not in ("GET", "POST"):
            raise ValueError(f"method must be 'GET' or 'POST', not {method!r}")
        meta = self.metadata(table_id)
        wanted = self._normalise(meta, selection)
        options = _Options(dict(codelists or {}), dict(output_values or {}))
        key = cache_key(table_id, {"lang": self.lang, "selection": wanted, **options.as_dict()})
        cached = self._from_cache(meta, key)
        if cached is not None:
            return cached
        bodies, result = self._fetch_all(meta, wanted, method, options)
        if self.cache is not None and meta.updated:
            self.cache.store(key, meta.updated, bodies, about={"table": table_id, **wanted})
        return result

    def _fetch_all(
        self, meta: TableMetadata, wanted: Selection, method: Method, options: _Options
    ) -> tuple[list[bytes], Dataset]:
        """Send the planned requests one after another; the raw bodies and the merged dataset."""
        table_id = meta.table_id
        requests = self.plan(meta, wanted, options.codelists)
        bodies, parts = [], []
        for number, axes in enumerate(requests, start=1):
            what = f"table {table_id} data" + (
                f" (request {number} of {len(requests)})" if len(requests) > 1 else ""
            )
            response, url = self._fetch(table_id, axes, method, options, what)
            bodies.append(response.body)
            parts.append(_dataset(table_id, response, url))
        return bodies, _merged(table_id, parts, self._data_url(table_id))

    def plan(
        self,
        meta: TableMetadata,
        selection: Selection | None = None,
        codelists: Mapping[str, str] | None = None,
    ) -> list[list[Axis]]:
        """The requests `data()` would send: one list of axes (variable, values) per request."""
        wanted = self._normalise(meta, selection)
        axes = [
            self._axis(meta, meta.variable(v), values, codelists or {})
            for v, values in wanted.items()
        ]
        try:
            return split(axes, self.max_cells)
        except SelectionError as error:
            raise PxWebError(
                f"table {meta.table_id}: {error}", self._data_url(meta.table_id)
            ) from None

    def _normalise(
        self, meta: TableMetadata, selection: Selection | None
    ) -> dict[str, tuple[str, ...]]:
        if selection is None:
            return {v.id: ("*",) for v in meta.variables}
        known = {v.id for v in meta.variables}
        unknown = [name for name in selection if name not in known]
        if unknown:
            raise PxWebError(
                f"table {meta.table_id} has no variable {', '.join(map(repr, unknown))}; "
                f"its variables are {', '.join(sorted(known))}",
                self._data_url(meta.table_id),
            )
        wanted = {}
        for variable in meta.variables:
            values = selection.get(variable.id)
            if values is None and variable.elimination:
                continue  # left out: SSB eliminates it (usually the total)
            wanted[variable.id] = tuple(values) if values is not None else ("*",)
        return wanted

    def _axis(
        self,
        meta: TableMetadata,
        variable: Variable,
        values: tuple[str, ...],
        codelists: Mapping[str, str],
    ) -> Axis:
        universe: Sequence[str] = variable.codes
        if variable.id in codelists:
            universe = self._codelist_universe(codelists[variable.id], values)
        try:
            codes, explicit = resolve(values, universe)
        except SelectionError as error:
            raise PxWebError(
                f"table {meta.table_id}, variable {variable.id!r}: {error}",
                self._data_url(meta.table_id),
            ) from None
        if not codes:
            raise PxWebError(
                f"table {meta.table_id}, variable {variable.id!r}: "
                f"{list(values)} selects no values",
                self._data_url(meta.table_id),
            )
        return Axis(variable.id, values, len(codes), codes if explicit else (), variable.role)

    def _codelist_universe(self, codelist_id: str, values: tuple[str, ...]) -> Sequence[str]:
        # Plain codes can be counted as they are; patterns need the code list itself.
        if all(not _is_expression(v) for v in values):
            return tuple(dict.fromkeys(values))
        return self.codelist(codelist_id).codes

    def _from_cache(self, meta: TableMetadata, key: str) -> Dataset | None:
        if self.cache is None or not meta.updated:
            return None
        bodies = self.cache.load(key, meta.updated)
        if bodies is None:
            return None
        try:
            return _merged(meta.table_id, [parse(b) for b in bodies], "cache")
        except (JsonStatError, PxWebError):
            return None  # a damaged entry is fetched again

    def _fetch(
        self, table_id: str, axes: Sequence[Axis], method: Method, options: _Options, what: str
    ) -> tuple[Response, str]:
        url = self._data_url(table_id)
        query: dict[str, str | list[str]] = {"lang": self.lang, "outputFormat": "json-stat2"}
        if method == "GET":
            params: Params = {**query, **options.get_params(axes)}
            if len(build_url(url, params)) <= self.max_url_length:
                return self.runner.get(url, params, what), build_url(url, params)
        post_url = build_url(url, query)
        return self.runner.post(post_url, options.post_body(axes), what), post_url

    def _data_url(self, table_id: str) -> str:
        return f"{self.base_url}/tables/{_quote(table_id)}/data"


@dataclass(frozen=True, slots=True)
class _Options:
    """Per-variable code lists and output values, rendered for GET or POST."""

    codelists: dict[str, str]
    output_values: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {"codelists": self.codelists, "outputValues": self.output_values}

    def get_params(self, axes: Iterable[Axis]) -> dict[str, str]:
        params = {}
        for axis in axes:
            params[f"valueCodes[{axis.id}]"] = ",".join(axis.values)
            if axis.id in self.codelists:
                params[f"codelist[{axis.id}]"] = self.codelists[axis.id]
            if axis.id in self.output_values:
                params[f"outputValues[{axis.id}]"] = self.output_values[axis.id]
        return params

    def post_body(self, axes: Iterable[Axis]) -> dict[str, Any]:
        selection = []
        for axis in axes:
            item: dict[str, Any] = {"variableCode": axis.id, "valueCodes": list(axis.values)}
            if axis.id in self.codelists:
                item["codeList"] = self.codelists[axis.id]
            if axis.id in self.output_values:
                item["outputValues"] = self.output_values[axis.id]
            selection.append(item)
        return {"selection": selection}


def _is_expression(value: str) -> bool:
    return "*" in value or "?" in value or "(" in value


def _quote(part: str) -> str:
    return urllib.parse.quote(part, safe="")


class PxWebV0Client:
    """The older StatBank API: POST a query body to /api/v0/{lang}/table/{id}, get JSON-stat2.

    A query whose "item" selections alone exceed the cell limit is split on the largest of them
    (time or region first) and the answers merged. Variables with other filters ("all", "top",
    "vs:…", "agg:…") are not counted, as their size is unknown without the table's metadata.
    """

    def __init__(
        self,
        *,
        base_url: str = BASE_V0,
        lang: str = "no",
        transport: Transport | None = None,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_cells: int = MAX_CELLS,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.lang = lang
        self.runner = _runner(transport, limiter, retry, sleep)
        self.max_cells = max_cells

    def query(self, table_id: str, query_body: Mapping[str, Any]) -> Dataset:
        url = f"{self.base_url}/{self.lang}/table/{_quote(table_id)}"
        bodies = self._split(table_id, _checked_v0_body(table_id, query_body, url), url)
        parts = []
        for number, body in enumerate(bodies, start=1):
            what = f"table {table_id} query" + (
                f" (request {number} of {len(bodies)})" if len(bodies) > 1 else ""
            )
            parts.append(_dataset(table_id, self.runner.post(url, body, what), url))
        return _merged(table_id, parts, url)

    def _split(self, table_id: str, body: dict[str, Any], url: str) -> list[dict[str, Any]]:
        items = body["query"]
        axes = [_v0_axis(item) for item in items]
        try:
            requests = split(axes, self.max_cells)
        except SelectionError as error:
            raise PxWebError(f"table {table_id}: {error}", url) from None
        return [
            {
                **body,
                "query": [_v0_item(item, axis) for item, axis in zip(items, request, strict=True)],
            }
            for request in requests
        ]


_V0_ROLES = {"Tid": "time", "Region": "geo", "ContentsCode": "metric"}


def _checked_v0_body(table_id: str, body: Mapping[str, Any], url: str) -> dict[str, Any]:
    items = body.get("query")
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and isinstance(i.get("selection"), dict) for i in items
    ):
        raise PxWebError(
            f"table {table_id}: the query body needs a 'query' list of selections", url
        )
    response_format = (body.get("response") or {}).get("format", "json-stat2")
    if response_format != "json-stat2":
        raise PxWebError(
            f"table {table_id}: the query asks for {response_format!r}; "
            "this client reads json-stat2",
            url,
        )
    return {**body, "response": {**(body.get("response") or {}), "format": "json-stat2"}}


def _v0_axis(item: Mapping[str, Any]) -> Axis:
    selection = item["selection"]
    values = tuple(str(v) for v in selection.get("values") or ())
    code = str(item.get("code"))
    if selection.get("filter") == "item" and values:
        codes = tuple(dict.fromkeys(values))
        return Axis(code, values, len(codes), codes, _V0_ROLES.get(code))
    return Axis(code, values, 1, (), _V0_ROLES.get(code))


def _v0_item(item: Mapping[str, Any], axis: Axis) -> dict[str, Any]:
    if not axis.codes:
        return dict(item)
    return {**item, "selection": {**item["selection"], "values": list(axis.values)}}
