"""Rate limiting and retries, with a fake clock and transport: nothing waits, nothing connects."""

from __future__ import annotations

import pytest

from lokalmaal.stats.pxweb import PxWebError, PxWebV2Client
from lokalmaal.stats.tests.fakes import FakeClock, ScriptedTransport, bundle_fixture, ok
from lokalmaal.stats.transport import (
    RateLimiter,
    RetryPolicy,
    TransportError,
    UrllibTransport,
    build_url,
)

METADATA = "pxwebapi_v2_metadata_14216_trimmed.json"


def test_the_31st_call_within_a_minute_waits_for_the_first_to_leave_the_window():
    clock = FakeClock()
    limiter = RateLimiter(30, 60.0, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(31)]
    assert clock.sleeps == [60.0]
    assert waits[:30] == [0.0] * 30
    assert waits[30] == 60.0


def test_calls_spread_over_time_wait_only_for_what_is_left_of_the_window():
    clock = FakeClock(tick=1.0)  # every call happens one second after the previous one
    limiter = RateLimiter(30, 60.0, clock=clock, sleep=clock.sleep)
    for _ in range(31):
        limiter.acquire()
    # Calls at t=0…29; the 31st at t=30 waits until the first is 60 s old.
    assert clock.sleeps == [30.0]


def test_no_wait_when_the_window_has_moved_on():
    clock = FakeClock(tick=2.5)
    limiter = RateLimiter(30, 60.0, clock=clock, sleep=clock.sleep)
    for _ in range(100):
        limiter.acquire()
    assert clock.sleeps == []


def test_a_client_making_31_calls_sleeps_once_for_a_whole_window():
    clock = FakeClock()
    body = bundle_fixture(METADATA)
    transport = ScriptedTransport(*[ok(body) for _ in range(31)])
    client = PxWebV2Client(
        transport=transport, limiter=RateLimiter(clock=clock, sleep=clock.sleep), sleep=clock.sleep
    )
    for _ in range(31):
        client.metadata("14216")
    assert len(transport.calls) == 31
    assert clock.sleeps == [60.0]


def _client(transport: ScriptedTransport, clock: FakeClock, tries: int = 4) -> PxWebV2Client:
    return PxWebV2Client(
        transport=transport,
        limiter=RateLimiter(clock=clock, sleep=clock.sleep),
        retry=RetryPolicy(max_tries=tries, base_delay=2.0),
        sleep=clock.sleep,
    )


def test_429_with_retry_after_then_503_then_success_is_retried_with_the_right_pauses():
    clock = FakeClock()
    transport = ScriptedTransport(
        ok(b"Too many requests", 429, Retry_After="7"),
        ok(b"Service unavailable", 503),
        ok(bundle_fixture(METADATA)),
    )
    meta = _client(transport, clock).metadata("14216")
    assert meta.table_id == "14216"
    assert len(transport.calls) == 3
    assert clock.sleeps == [7.0, 4.0]  # Retry-After honoured, then backoff 2 s × 2¹


def test_backoff_doubles_on_each_5xx():
    clock = FakeClock()
    transport = ScriptedTransport(
        ok(b"", 502), ok(b"", 500), ok(b"", 504), ok(bundle_fixture(METADATA))
    )
    _client(transport, clock, tries=4).metadata("14216")
    assert clock.sleeps == [2.0, 4.0, 8.0]


def test_giving_up_after_n_tries_names_the_url_and_the_status():
    clock = FakeClock()
    transport = ScriptedTransport(*[ok(b"Service unavailable", 503) for _ in range(3)])
    with pytest.raises(PxWebError) as caught:
        _client(transport, clock, tries=3).metadata("14216")
    error = caught.value
    assert error.status == 503
    assert error.url == "https://data.ssb.no/api/pxwebapi/v2/tables/14216/metadata?lang=no"
    assert "table 14216 metadata: gave up after 3 tries, last answer HTTP 503" in str(error)
    assert len(transport.calls) == 3
    assert clock.sleeps == [2.0, 4.0]


def test_a_lost_connection_is_retried_like_a_503():
    clock = FakeClock()
    transport = ScriptedTransport(
        TransportError("no answer: timed out"), ok(bundle_fixture(METADATA))
    )
    assert _client(transport, clock).metadata("14216").table_id == "14216"
    assert clock.sleeps == [2.0]


def test_a_404_is_not_retried_and_says_what_was_not_found():
    clock = FakeClock()
    transport = ScriptedTransport(ok(b'{"error":"table not found"}', 404))
    with pytest.raises(PxWebError, match=r"table 99999 metadata: HTTP 404 \(not found") as caught:
        _client(transport, clock).metadata("99999")
    assert caught.value.status == 404
    assert len(transport.calls) == 1
    assert clock.sleeps == []


def test_a_403_explains_the_cell_limit():
    transport = ScriptedTransport(ok(b"", 403))
    with pytest.raises(PxWebError, match="larger than the API's cell limit"):
        _client(transport, FakeClock()).metadata("14216")


def test_retry_after_as_an_http_date_is_understood():
    policy = RetryPolicy()
    response = ok(b"", 429, Retry_After="Wed, 21 Oct 2015 07:28:00 GMT")
    assert policy.delay(1, response) == 0.0  # a date in the past: go on at once
    assert policy.delay(1, ok(b"", 429, Retry_After="1000")) == policy.max_delay


def test_query_strings_keep_pxweb_brackets_and_wildcards_readable():
    url = build_url(
        "https://data.ssb.no/api/pxwebapi/v2/tables/03013/data",
        {"lang": "en", "valueCodes[Tid]": "2020*", "valueCodes[Konsumgrp]": "top(3)"},
    )
    assert url.endswith("data?lang=en&valueCodes[Tid]=2020*&valueCodes[Konsumgrp]=top(3)")


def test_the_default_transport_identifies_itself_and_has_a_timeout():
    transport = UrllibTransport()
    assert transport.timeout > 0
    assert transport.headers["User-Agent"].startswith("Lokalmaal/")
