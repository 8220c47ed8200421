"""HTTP plumbing shared by the SSB clients: a replaceable transport, a rate limiter and retries.

Tests inject a fake transport, clock and sleep, so nothing here touches the network or waits.
"""

from __future__ import annotations

import email.utils
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

USER_AGENT = "Lokalmaal/0.1 (statistics client; Python urllib)"
DEFAULT_TIMEOUT = 60.0

type Params = Mapping[str, str | list[str]]


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


class Transport(Protocol):
    """Sends one request; returns any HTTP answer (also 4xx/5xx) and raises only if none came."""

    def get(self, url: str, params: Params | None = None) -> Response: ...

    def post(self, url: str, json_body: Any) -> Response: ...


class TransportError(OSError):
    """No HTTP answer at all (connection refused, timeout, DNS failure)."""


class ApiError(Exception):
    """An SSB API call failed for good; `url` and `status` (None: no answer) say which and how."""

    def __init__(self, message: str, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


def build_url(url: str, params: Params | None) -> str:
    """URL with its query string; list values repeat the key. Brackets stay readable."""
    if not params:
        return url
    pairs = [
        (key, item)
        for key, value in params.items()
        for item in (value if isinstance(value, list) else [value])
    ]
    query = urllib.parse.urlencode(pairs, safe="[],*():?")
    return f"{url}{'&' if '?' in url else '?'}{query}"


class UrllibTransport:
    """The default transport: the standard library, a timeout and an honest User-Agent."""

    def __init__(
        self,
        timeout: float = DEFAULT_TIMEOUT,
        user_agent: str = USER_AGENT,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.timeout = timeout
        self.headers = {"User-Agent": user_agent, **(headers or {})}

    def get(self, url: str, params: Params | None = None) -> Response:
        return self._send(urllib.request.Request(build_url(url, params), headers=self.headers))

    def post(self, url: str, json_body: Any) -> Response:
        data = json.dumps(json_body).encode()
        headers = {**self.headers, "Content-Type": "application/json"}
        return self._send(urllib.request.Request(url, data=data, headers=headers, method="POST"))

    def _send(self, request: urllib.request.Request) -> Response:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return Response(answer.status, dict(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers.items()), error.read())
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise TransportError(f"no answer from {request.full_url}: {error}") from error


class RateLimiter:
    """Sliding window: at most `max_calls` calls in any `period` seconds (SSB: 30 per 60 s)."""

    def __init__(
        self,
        max_calls: int = 30,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_calls < 1 or period <= 0:
            raise ValueError("a rate limit needs max_calls >= 1 and period > 0")
        self.max_calls = max_calls
        self.period = period
        self.clock = clock
        self.sleep = sleep
        self._calls: deque[float] = deque()
        # Threads queue up here: a waiting caller holds the lock, so the order stays fair.
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait until one more call fits in the window, record it; returns the seconds waited."""
        with self._lock:
            return self._acquire()

    def _acquire(self) -> float:
        waited = 0.0
        while True:
            now = self.clock()
            while self._calls and self._calls[0] <= now - self.period:
                self._calls.popleft()
            if len(self._calls) < self.max_calls:
                self._calls.append(now)
                return waited
            pause = self._calls[0] + self.period - now
            self.sleep(pause)
            waited += pause


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff for 429, 5xx and lost connections; Retry-After wins when given."""

    max_tries: int = 4
    base_delay: float = 2.0
    max_delay: float = 120.0
    retry_statuses: frozenset[int] = field(default=frozenset({429, 500, 502, 503, 504}))

    def delay(self, attempt: int, response: Response | None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        retry_after = _retry_after_seconds(response) if response is not None else None
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        return min(self.base_delay * 2.0 ** (attempt - 1), self.max_delay)


def _retry_after_seconds(response: Response) -> float | None:
    header = response.header("Retry-After")
    if not header:
        return None
    value = header.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


type Send = Callable[[], Response]


def _attempt(send: Send) -> tuple[Response | None, str]:
    """One try: the answer (None if there was none) and a short reason for messages."""
    try:
        response = send()
    except TransportError as error:
        return None, str(error)
    return response, f"HTTP {response.status}"


class RequestRunner:
    """Runs requests through the rate limiter and retries; turns final failures into ApiError."""

    def __init__(
        self,
        transport: Transport,
        limiter: RateLimiter,
        retry: RetryPolicy,
        sleep: Callable[[float], None],
        error: type[ApiError] = ApiError,
    ) -> None:
        self.transport = transport
        self.limiter = limiter
        self.retry = retry
        self.sleep = sleep
        self.error = error

    def get(self, url: str, params: Params | None, what: str) -> Response:
        return self._run(lambda: self.transport.get(url, params), build_url(url, params), what)

    def post(self, url: str, body: Any, what: str) -> Response:
        return self._run(lambda: self.transport.post(url, body), url, what)

    def _run(self, send: Send, url: str, what: str) -> Response:
        attempt = 0
        while True:
            attempt += 1
            self.limiter.acquire()
            response, reason = _attempt(send)
            if response is not None:
                if response.status < 400:
                    return response
                if response.status not in self.retry.retry_statuses:
                    raise self._fail(what, url, response)
            if attempt >= self.retry.max_tries:
                raise self._give_up(what, url, response, attempt, reason)
            self.sleep(self.retry.delay(attempt, response))

    def _fail(self, what: str, url: str, response: Response) -> ApiError:
        reason = _REASONS.get(response.status, "the request was refused")
        return self.error(
            f"{what}: HTTP {response.status} ({reason}) from {url}{_excerpt(response.body)}",
            url,
            response.status,
        )

    def _give_up(
        self, what: str, url: str, response: Response | None, attempts: int, reason: str
    ) -> ApiError:
        status = response.status if response is not None else None
        detail = _excerpt(response.body) if response is not None else ""
        return self.error(
            f"{what}: gave up after {attempts} tries, last answer {reason} from {url}{detail}",
            url,
            status,
        )


_REASONS = {
    400: "bad request: a variable or value code is wrong",
    403: "refused: the selection is larger than the API's cell limit",
    404: "not found: no such table, code list or classification",
}


def _excerpt(body: bytes, limit: int = 200) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return ""
    return f": {text[:limit]}{'…' if len(text) > limit else ''}"
