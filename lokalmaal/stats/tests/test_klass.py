"""The Klass client against hand-made answers in Klass's JSON shape.

Shape source: github.com/statisticsnorway/klass, klass-api/src/main/java/no/ssb/klass/api/dto/
(CodeList/CodeItem for codesAt; CorrespondenceItemList/CorrespondenceItem for correspondsAt),
and the API guide klass-api/src/main/asciidoc/api-guide.adoc (JSON only with an Accept header).
"""

from __future__ import annotations

import datetime as dt

import pytest

from lokalmaal.stats.klass import (
    KlassClient,
    KlassError,
    KlassFormatError,
    parse_codes,
    parse_correspondences,
)
from lokalmaal.stats.tests.fakes import FakeClock, ScriptedTransport, fixture_bytes, ok
from lokalmaal.stats.transport import RateLimiter, RetryPolicy, UrllibTransport

KLASS = "https://data.ssb.no/api/klass/v1"


def klass(transport: ScriptedTransport, clock: FakeClock | None = None) -> KlassClient:
    clock = clock or FakeClock()
    return KlassClient(
        transport=transport,
        limiter=RateLimiter(clock=clock, sleep=clock.sleep),
        retry=RetryPolicy(max_tries=2),
        sleep=clock.sleep,
    )


def test_codes_at_reads_municipalities_valid_on_a_date():
    transport = ScriptedTransport(ok(fixture_bytes("klass_131_codesAt_2024-01-01.json")))
    codes = klass(transport).codes_at(131, dt.date(2024, 1, 1))
    call = transport.calls[0]
    assert call.url == f"{KLASS}/classifications/131/codesAt"
    assert call.params == {"date": "2024-01-01", "language": "nb"}
    assert [c.code for c in codes] == ["0301", "1577", "4601", "5001"]
    trondheim = codes[-1]
    assert trondheim.name == "Trondheim - Tråante"
    assert trondheim.parent_code is None
    assert trondheim.level == 1
    assert trondheim.valid_from == dt.date(2024, 1, 1)
    assert trondheim.valid_to is None


def test_correspondence_at_maps_municipalities_to_kostra_groups():
    transport = ScriptedTransport(ok(fixture_bytes("klass_131_correspondsAt_112_2024-01-01.json")))
    items = klass(transport).correspondence_at(131, 112, "2024-01-01")
    call = transport.calls[0]
    assert call.url == f"{KLASS}/classifications/131/correspondsAt"
    assert call.params == {"targetClassificationId": "112", "date": "2024-01-01", "language": "nb"}
    assert {i.source_code: i.target_code for i in items}["4601"] == "EKG13"
    assert items[0].source_name == "Oslo"
    assert items[0].valid_from is None  # correspondsAt gives no range, only corresponds does


def test_ranged_answers_keep_their_validity_dates():
    body = (
        b'{"correspondenceItems":[{"sourceCode":"0300","sourceName":"Oslo","sourceShortName":"",'
        b'"targetCode":"0301","targetName":"Oslo","targetShortName":"",'
        b'"validFrom":"2020-01-01","validTo":"2022-01-01"}]}'
    )
    (item,) = parse_correspondences(body)
    assert (item.valid_from, item.valid_to) == (dt.date(2020, 1, 1), dt.date(2022, 1, 1))


def test_county_codes_with_a_parent_and_level_are_read():
    body = (
        b'{"codes":[{"code":"46","parentCode":"","level":"1","name":"Vestland",'
        b'"shortName":"","presentationName":"46 Vestland","validFrom":null,"validTo":null,'
        b'"notes":""},{"code":"4601","parentCode":"46","level":"2","name":"Bergen",'
        b'"shortName":"","presentationName":"","validFrom":null,"validTo":null,"notes":""}]}'
    )
    county, municipality = parse_codes(body)
    assert county.parent_code is None
    assert county.presentation_name == "46 Vestland"
    assert (municipality.parent_code, municipality.level) == ("46", 2)


def test_an_answer_in_the_wrong_shape_is_refused_naming_the_call():
    transport = ScriptedTransport(ok(b"<codeList/>"))
    with pytest.raises(
        KlassError, match="Klass classification 131 codes at 2024-01-01: unreadable"
    ):
        klass(transport).codes_at(131, "2024-01-01")
    with pytest.raises(KlassFormatError, match="expected a 'codes' list"):
        parse_codes(b'{"classificationItems": []}')


def test_klass_calls_are_retried_and_then_given_up_like_statbank_calls():
    clock = FakeClock()
    transport = ScriptedTransport(ok(b"", 503), ok(b"", 503))
    with pytest.raises(KlassError, match="gave up after 2 tries, last answer HTTP 503") as caught:
        klass(transport, clock).codes_at(104, "2024-01-01")
    assert caught.value.status == 503
    assert clock.sleeps == [2.0]


def test_dates_must_be_iso_dates():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        klass(ScriptedTransport()).codes_at(131, "1.1.2024")


def test_the_default_transport_asks_klass_for_json():
    transport = KlassClient().runner.transport
    assert isinstance(transport, UrllibTransport)
    assert transport.headers["Accept"] == "application/json"
