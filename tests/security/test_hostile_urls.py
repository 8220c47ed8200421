"""Every URL pattern, filled with hostile values in its path parameters and its query string,
answers without a server error, for anonymous visitors and for a platform admin (issue #16).

The patterns are read from Django's resolver, so a new page is swept without a change here.
That control characters are refused on every route runs with the suite; the full sweep (about
5,000 requests, a minute or more) runs when LOKALMAAL_FUZZ=1, as .ci/run does on SQLite and on
PostgreSQL (PostgreSQL refuses NUL in text, and SQLite overflows on huge integers).
"""

import os
import re
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from lokalmaal.accounts.models import User

# As they appear in a URL: the test client decodes them, as a web server does.
HOSTILE = {
    "nul": "%00",
    "control": "a%01%1b%7f",
    "text": quote("../ø€🙂\u202e\ufeffﬁ' OR 1=1 --<script>", safe="") + "a" * 2000,
    "broken-utf8": "%FF%FE",
    "negative": "-1",
    "huge": "9" * 30,
    "dots": "..",
}
# In a query string: each request gives every parameter the same value.
HOSTILE_QUERY_VALUES = [
    "\x00",
    "\x01",
    "../../etc/passwd ø€🙂\u202e' OR 1=1 --<script>" + "x" * 2000,
    "-1",
    "9" * 30,
]
# Query parameters the pages and the API read (a parameter a view does not read is harmless).
# (Not `lang`, `type` or `size`: the API refuses the whole request when one of its choices is
# wrong, which would hide the other parameters; the schemathesis run covers them one by one.)
QUERY_NAMES = [
    "q", "k", "county", "fylke", "goal", "mal", "target", "delmal",
    "storleik", "service_area", "omrade", "relevance", "relevans", "role", "rolle", "indikator",
    "indicator", "year", "next", "example", "network", "status", "kind", "page", "sort", "fmt",
]  # fmt: skip
# Plausible values for path parameters, so that the query-string sweep reaches the views.
SAMPLE = {
    "code": "4601", "number": "13", "target_id": "11.6", "slug": "bergen", "indicator_id": "x",
    "fmt": "x", "kind": "target", "key": "11.6", "token": "x", "provider_id": "x",
}  # fmt: skip

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_GROUP = re.compile(r"\(\?P<(\w+)>[^()]*\)")


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        text = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + text)
        elif isinstance(pattern, URLPattern):
            yield prefix + text


def _sampled(route: str) -> bool:
    """Django's admin has the same views for every model: one model stands for them all."""
    return not re.match(r"admin/\w+/\w+/", route) or route.startswith("admin/auth/group/")


ROUTES = sorted(route for route in set(_routes(get_resolver())) if _sampled(route))


def fill(route: str, value: str | None) -> str:
    """The route as a URL with every parameter `value` (None: a plausible sample)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(match.lastindex or 1)
        if value is not None:
            return value
        return SAMPLE.get(name, "1")

    text = _GROUP.sub(replace, route.replace("^", "").replace("$", ""))
    return "/" + _CONVERTER.sub(replace, text)


def test_every_route_can_be_filled():
    assert len(ROUTES) > 150
    assert "admin/auth/group/<path:object_id>/change/" in ROUTES
    for route in ROUTES:
        url = fill(route, "X")
        assert "<" not in url, route
        assert "(?P" not in url, route


@pytest.fixture
def clients(db) -> list[tuple[str, Client]]:
    cache.clear()  # rate-limit counters must not carry over
    admin = User.objects.create_user(
        "sweep-admin@ks.no", None, is_platform_admin=True, is_staff=True, is_superuser=True
    )
    logged_in = Client(raise_request_exception=False)
    logged_in.force_login(admin)
    return [("anonymous", Client(raise_request_exception=False)), ("admin", logged_in)]


# The health check answers 503 by design when a part of the platform is unwell.
EXPECTED = {"helse/": {503}}


def _errors(client: Client, route: str, urls: list[str]) -> list[tuple[str, int]]:
    found = []
    for url in urls:
        status = client.get(url).status_code
        if status >= 500 and status not in EXPECTED.get(route, set()):
            found.append((url[:200], status))
    return found


@pytest.mark.parametrize("route", ROUTES)
def test_control_characters_are_refused_on_every_route(route: str, clients):
    urls = [fill(route, None) + "?q=%01", fill(route, None) + "?%00=1"]
    if fill(route, "%00") != fill(route, None):  # the route has parameters
        urls.append(fill(route, "%00"))
    for who, client in clients:
        assert [(who, client.get(url).status_code) for url in urls] == [(who, 400)] * len(urls)


FULL_SWEEP = os.environ.get("LOKALMAAL_FUZZ") == "1"


@pytest.mark.skipif(not FULL_SWEEP, reason="the full sweep runs with LOKALMAAL_FUZZ=1 (.ci/run)")
@pytest.mark.parametrize("route", ROUTES)
def test_no_hostile_value_gives_a_server_error(route: str, clients):
    with_values = [fill(route, value) for value in HOSTILE.values()]
    queries = [
        fill(route, None) + "?" + urlencode(dict.fromkeys(QUERY_NAMES, value))
        for value in HOSTILE_QUERY_VALUES
    ]
    errors = []
    for who, client in clients:
        errors += [(who, *error) for error in _errors(client, route, with_values + queries)]
    assert errors == []
