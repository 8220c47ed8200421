"""A small client for SSB's classification API Klass (https://data.ssb.no/api/klass/v1).

Typical classifications: 131 municipalities (kommuneinndeling), 104 counties (fylkesinndeling),
112 KOSTRA groups. Klass answers XML unless asked for JSON, so the default transport sends
`Accept: application/json`; an injected transport must do the same.
"""

from __future__ import annotations

import datetime as dt
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lokalmaal.stats.jsonstat import JsonStatError, load_object
from lokalmaal.stats.transport import (
    ApiError,
    RateLimiter,
    RequestRunner,
    RetryPolicy,
    Transport,
    UrllibTransport,
    build_url,
)

BASE_KLASS = "https://data.ssb.no/api/klass/v1"

MUNICIPALITIES = 131
COUNTIES = 104
KOSTRA_GROUPS = 112

_klass_limiter = RateLimiter()


class KlassError(ApiError):
    """A Klass call failed or answered something unreadable."""


class KlassFormatError(ValueError):
    """A Klass answer that is not in the documented JSON shape."""


@dataclass(frozen=True, slots=True)
class ClassificationCode:
    code: str
    name: str
    parent_code: str | None
    level: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    short_name: str = ""
    presentation_name: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Correspondence:
    source_code: str
    source_name: str
    target_code: str
    target_name: str
    valid_from: dt.date | None
    valid_to: dt.date | None


def parse_codes(body: bytes | str | Mapping[str, Any]) -> list[ClassificationCode]:
    """A `codesAt` (or `codes`) JSON answer: {"codes": [{"code", "parentCode", "level", …}]}."""
    items = _items(body, "codes")
    try:
        return [
            ClassificationCode(
                code=str(item["code"]),
                name=str(item["name"]),
                parent_code=item.get("parentCode") or None,
                level=int(item.get("level") or 1),
                valid_from=_date(item.get("validFrom")),
                valid_to=_date(item.get("validTo")),
                short_name=item.get("shortName") or "",
                presentation_name=item.get("presentationName") or "",
                notes=item.get("notes") or "",
            )
            for item in items
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise KlassFormatError(f"a Klass code is incomplete or malformed ({error!r})") from error


def parse_correspondences(body: bytes | str | Mapping[str, Any]) -> list[Correspondence]:
    """A `correspondsAt` JSON answer: {"correspondenceItems": [{"sourceCode", "targetCode", …}]}."""
    items = _items(body, "correspondenceItems")
    try:
        return [
            Correspondence(
                source_code=str(item["sourceCode"]),
                source_name=str(item.get("sourceName") or ""),
                target_code=str(item["targetCode"]),
                target_name=str(item.get("targetName") or ""),
                valid_from=_date(item.get("validFrom")),
                valid_to=_date(item.get("validTo")),
            )
            for item in items
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise KlassFormatError(f"a Klass correspondence is incomplete ({error!r})") from error


def _items(body: bytes | str | Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    try:
        obj = load_object(body)
    except JsonStatError as error:
        raise KlassFormatError(str(error)) from error
    items = obj.get(key)
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise KlassFormatError(f"expected a {key!r} list in the Klass answer")
    return items


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class KlassClient:
    """`codes_at()` and `correspondence_at()`, limited and retried like the StatBank clients."""

    def __init__(
        self,
        *,
        base_url: str = BASE_KLASS,
        language: str = "nb",
        transport: Transport | None = None,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.language = language
        self.runner = RequestRunner(
            transport or UrllibTransport(headers={"Accept": "application/json"}),
            limiter or _klass_limiter,
            retry or RetryPolicy(),
            sleep,
            KlassError,
        )

    def codes_at(
        self, classification_id: int | str, date: dt.date | str, *, level: int | None = None
    ) -> list[ClassificationCode]:
        """The codes valid on `date`, e.g. `codes_at(131, "2024-01-01")` for the municipalities."""
        params = {"date": _iso(date), "language": self.language}
        if level is not None:
            # The current Klass source names this filter selectLevel for codesAt.
            params["selectLevel"] = str(level)
        url = f"{self.base_url}/classifications/{_quote(classification_id)}/codesAt"
        what = f"Klass classification {classification_id} codes at {_iso(date)}"
        return self._read(url, params, what, parse_codes)

    def correspondence_at(
        self, source_id: int | str, target_id: int | str, date: dt.date | str
    ) -> list[Correspondence]:
        """How codes of `source_id` map onto `target_id` on `date` (e.g. 131 → 112 KOSTRA)."""
        params = {
            "targetClassificationId": str(target_id),
            "date": _iso(date),
            "language": self.language,
        }
        url = f"{self.base_url}/classifications/{_quote(source_id)}/correspondsAt"
        what = f"Klass correspondence {source_id} → {target_id} at {_iso(date)}"
        return self._read(url, params, what, parse_correspondences)

    def _read[T](
        self, url: str, params: dict[str, str], what: str, parser: Callable[[bytes], T]
    ) -> T:
        response = self.runner.get(url, params, what)
        try:
            return parser(response.body)
        except KlassFormatError as error:
            full_url = build_url(url, params)
            raise KlassError(
                f"{what}: unreadable answer from {full_url}: {error}", full_url
            ) from error


def _iso(date: dt.date | str) -> str:
    text = date.isoformat() if isinstance(date, dt.date) else str(date)
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"Klass dates are YYYY-MM-DD, got {text!r}") from None
    return text


def _quote(part: int | str) -> str:
    return urllib.parse.quote(str(part), safe="")
