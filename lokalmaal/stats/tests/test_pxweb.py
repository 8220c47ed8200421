"""The StatBank clients against recorded responses and an in-memory fake StatBank."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from lokalmaal.stats.jsonstat import iter_observations
from lokalmaal.stats.pxweb import (
    PxWebError,
    PxWebV0Client,
    PxWebV2Client,
    build_v0_query,
    parse_codelist,
    parse_metadata,
)
from lokalmaal.stats.tests.fakes import (
    FakeClock,
    FakeStatBank,
    FakeTable,
    FakeVariable,
    ScriptedTransport,
    bundle_fixture,
    fixture_bytes,
    ok,
)
from lokalmaal.stats.transport import RateLimiter

V2 = "https://data.ssb.no/api/pxwebapi/v2"


def client(transport: Any, **options: Any) -> PxWebV2Client:
    clock = FakeClock()
    return PxWebV2Client(
        transport=transport,
        limiter=RateLimiter(clock=clock, sleep=clock.sleep),
        sleep=clock.sleep,
        **options,
    )


def table_07459(updated: str = "2024-02-21T07:00:00Z") -> FakeTable:
    return FakeTable(
        "07459",
        [
            FakeVariable("Region", ["0301", "4601", "1577"], "geo", elimination=True),
            FakeVariable("Kjonn", ["1", "2"], elimination=True),
            FakeVariable("ContentsCode", ["Personer1"], "metric"),
            FakeVariable("Tid", ["2023", "2024"], "time"),
        ],
        updated,
    )


# --- metadata and code lists ------------------------------------------------------------------


def test_the_real_14216_metadata_gives_variables_roles_codelists_and_updated():
    meta = parse_metadata(bundle_fixture("pxwebapi_v2_metadata_14216_trimmed.json"))
    assert meta.table_id == "14216"
    assert meta.updated == "2026-08-31T06:00:00Z"
    assert [v.id for v in meta.variables] == ["Region", "TettSted", "ContentsCode", "Tid"]
    region = meta.variable("Region")
    assert len(region.codes) == 120
    assert region.codes[:2] == ("3101", "3103")
    assert region.labels["3101"] == "Halden"
    assert region.role == "geo"
    assert region.elimination is True
    assert [(c.id, c.type) for c in region.codelists] == [
        ("agg_Valgdistrikt", "Aggregation"),
        ("vs_Kommun", "Valueset"),
    ]
    assert meta.variable("Tid").role == "time"
    assert meta.variable("ContentsCode").elimination is False
    assert meta.variable("Tid").codes[-1] == "2026"


def test_metadata_is_read_even_where_the_test_authors_trimmed_index_positions():
    meta = parse_metadata(bundle_fixture("pxwebapi_v2_metadata_14216_trimmed.json"))
    assert meta.variable("TettSted").codes == ("0801", "0802")  # index 159, 160 with size 2


def test_the_metadata_call_asks_for_the_table_in_norwegian():
    transport = ScriptedTransport(ok(bundle_fixture("pxwebapi_v2_metadata_14216_trimmed.json")))
    client(transport).metadata("14216")
    assert transport.calls[0].url == f"{V2}/tables/14216/metadata"
    assert transport.calls[0].params == {"lang": "no"}


def test_a_code_list_gives_its_values_and_what_they_group():
    transport = ScriptedTransport(
        ok(fixture_bytes("pxweb_v2_codelist_agg_KommSummer_excerpt.json"))
    )
    codelist = client(transport).codelist("agg_KommSummer")
    assert transport.calls[0].url == f"{V2}/codeLists/agg_KommSummer"
    assert codelist.type == "Aggregation"
    assert codelist.codes == ("K-3103", "K-4601", "K-1577")
    assert codelist.values[0].value_map == ("0104", "0136", "3002", "3103")
    assert (
        parse_codelist(fixture_bytes("pxweb_v2_codelist_agg_KommSummer_excerpt.json")) == codelist
    )


# --- data: GET, POST, selections --------------------------------------------------------------


def test_data_by_get_sends_value_codes_per_variable_and_parses_the_answer():
    transport = ScriptedTransport(
        ok(table_07459().metadata()), ok(fixture_bytes("pxweb_v2_data_07459_excerpt.json"))
    )
    dataset = client(transport).data(
        "07459", {"Region": ["0301", "4601", "1577"], "ContentsCode": ["Personer1"], "Tid": ["*"]}
    )
    call = transport.calls[1]
    assert (call.method, call.url) == ("GET", f"{V2}/tables/07459/data")
    assert call.params == {
        "lang": "no",
        "outputFormat": "json-stat2",
        "valueCodes[Region]": "0301,4601,1577",
        "valueCodes[ContentsCode]": "Personer1",
        "valueCodes[Tid]": "*",
    }
    assert dataset.value(Region="0301", ContentsCode="Personer1", Tid="2024") == 717710
    assert dataset.status == {5: ".."}
    assert list(iter_observations(dataset))[5] == (("1577", "Personer1", "2024"), None, "..")


def test_data_by_post_sends_the_selection_as_a_json_body():
    transport = ScriptedTransport(
        ok(table_07459().metadata()), ok(fixture_bytes("pxweb_v2_data_07459_excerpt.json"))
    )
    client(transport).data("07459", {"Region": ["0301"], "Tid": ["2024"]}, method="POST")
    call = transport.calls[1]
    assert call.method == "POST"
    assert call.url == f"{V2}/tables/07459/data?lang=no&outputFormat=json-stat2"
    assert call.body == {
        "selection": [
            {"variableCode": "Region", "valueCodes": ["0301"]},
            {"variableCode": "ContentsCode", "valueCodes": ["*"]},
            {"variableCode": "Tid", "valueCodes": ["2024"]},
        ]
    }


def test_left_out_variables_are_eliminated_when_allowed_and_fetched_whole_otherwise():
    bank = FakeStatBank(table_07459())
    dataset = client(bank).data("07459", {"Region": ["4601"]})
    sent = bank.calls[1].params
    assert "valueCodes[Kjonn]" not in sent  # eliminable: SSB gives the total
    assert sent["valueCodes[ContentsCode]"] == "*"
    assert sent["valueCodes[Tid]"] == "*"
    assert dataset.ids == ("Region", "ContentsCode", "Tid")
    assert dataset.size == (1, 1, 2)


def test_a_get_url_that_would_be_too_long_goes_by_post_instead():
    codes = [f"{i:04d}" for i in range(1000)]
    bank = FakeStatBank(FakeTable("99999", [FakeVariable("Region", codes, "geo")]))
    dataset = client(bank).data("99999", {"Region": codes[:600]})
    assert bank.kinds() == ["GET metadata", "POST data"]
    assert len(dataset.values) == 600


def test_a_code_list_is_passed_on_and_fetched_when_a_pattern_must_be_counted():
    bank = FakeStatBank(table_07459())
    codelist_answer = ok(fixture_bytes("pxweb_v2_codelist_agg_KommSummer_excerpt.json"))
    transport = ScriptedTransport(
        ok(table_07459().metadata()),
        codelist_answer,
        ok(fixture_bytes("pxweb_v2_data_07459_excerpt.json")),
    )
    client(transport).data(
        "07459",
        {"Region": ["K-*"], "Tid": ["2024"]},
        codelists={"Region": "agg_KommSummer"},
        output_values={"Region": "aggregated"},
    )
    assert [c.url.rsplit("/", 1)[-1] for c in transport.calls] == [
        "metadata",
        "agg_KommSummer",
        "data",
    ]
    params = transport.calls[2].params
    assert params["codelist[Region]"] == "agg_KommSummer"
    assert params["outputValues[Region]"] == "aggregated"
    assert params["valueCodes[Region]"] == "K-*"
    assert bank.calls == []


def test_an_unknown_variable_is_refused_naming_the_table_and_its_variables():
    transport = ScriptedTransport(ok(table_07459().metadata()))
    with pytest.raises(PxWebError, match="table 07459 has no variable 'Alder'; its variables are"):
        client(transport).data("07459", {"Alder": ["000"]})


def test_an_unknown_value_is_refused_naming_the_variable():
    transport = ScriptedTransport(ok(table_07459().metadata()))
    with pytest.raises(PxWebError, match="table 07459, variable 'Region': no value '9999'"):
        client(transport).data("07459", {"Region": ["9999"]})


# --- splitting --------------------------------------------------------------------------------


def big_table() -> FakeTable:
    return FakeTable(
        "05000",
        [
            FakeVariable("Region", [f"{i:04d}" for i in range(400)], "geo"),
            FakeVariable("Kjonn", [str(i) for i in range(10)]),
            FakeVariable("ContentsCode", [f"C{i}" for i in range(10)], "metric"),
            FakeVariable("Tid", [str(1975 + i) for i in range(50)], "time"),
        ],
    )


def test_a_2_000_000_cell_selection_is_split_into_requests_under_800_000_and_merged_whole():
    bank = FakeStatBank(big_table())
    dataset = client(bank).data("05000")  # every value of every variable: 400×10×10×50
    assert len(bank.served) >= 3
    assert all(cells <= 800_000 for cells in bank.served)
    assert sum(bank.served) == 2_000_000  # no cell asked for twice
    assert dataset.size == (400, 10, 10, 50)
    # Each fake value is the cell's own flat index: all there, each once, each in its place.
    assert dataset.values == list(range(2_000_000))


def test_splitting_prefers_time_or_region_and_leaves_contents_alone():
    bank = FakeStatBank(big_table())
    px = client(bank)
    plan = px.plan(px.metadata("05000"))
    split_on = {axis.id for request in plan for axis in request if axis.values != ("*",)}
    assert split_on <= {"Region", "Tid"}
    assert len(split_on) == 1


def test_contents_are_split_only_when_nothing_else_can_be():
    table = FakeTable(
        "05001",
        [
            FakeVariable("Region", ["0301"], "geo"),
            FakeVariable("ContentsCode", [f"C{i}" for i in range(2000)], "metric"),
            FakeVariable("Tid", [str(i) for i in range(1000)], "time"),
        ],
    )
    px = client(FakeStatBank(table), max_cells=800_000)
    plan = px.plan(px.metadata("05001"))
    assert {a.id for r in plan for a in r if a.values != ("*",)} == {"Tid"}
    px_small = client(FakeStatBank(table), max_cells=500)
    plan = px_small.plan(px_small.metadata("05001"), {"Tid": ["0"]})
    assert len(plan) == 4
    assert all(math.prod(a.count for a in r) <= 500 for r in plan)


def test_a_selection_too_large_to_split_says_why():
    table = FakeTable("05002", [FakeVariable("Tid", [str(i) for i in range(100)], "time")])
    px = client(FakeStatBank(table), max_cells=10)
    with pytest.raises(PxWebError, match="table 05002: the selection has 50 cells, more than 10"):
        px.data("05002", {"Tid": ["top(50)"]})


# --- cache ------------------------------------------------------------------------------------


def test_a_cached_answer_is_reused_while_the_table_is_unchanged(tmp_path: Path):
    bank = FakeStatBank(table_07459())
    px = client(bank, cache_dir=str(tmp_path))
    first = px.data("07459", {"Region": ["0301", "4601"], "Tid": ["2024"]})
    second = px.data("07459", {"Tid": ["2024"], "Region": ["4601", "0301"]})  # same, reordered
    assert bank.kinds() == ["GET metadata", "GET data", "GET metadata"]
    assert second.values == first.values
    assert second.dimensions["Region"].codes == first.dimensions["Region"].codes


def test_the_cache_is_missed_when_the_table_has_been_updated(tmp_path: Path):
    bank = FakeStatBank(table_07459("2024-02-21T07:00:00Z"))
    px = client(bank, cache_dir=str(tmp_path))
    px.data("07459", {"Region": ["0301"]})
    bank.tables["07459"].updated = "2025-02-20T07:00:00Z"
    px.data("07459", {"Region": ["0301"]})
    px.data("07459", {"Region": ["0301"]})
    assert bank.kinds() == [
        "GET metadata",
        "GET data",
        "GET metadata",
        "GET data",
        "GET metadata",
    ]


def test_a_split_answer_is_cached_as_its_parts(tmp_path: Path):
    bank = FakeStatBank(big_table())
    px = client(bank, cache_dir=str(tmp_path), max_cells=100_000)
    selection = {"Tid": ["1975", "1976", "1977"]}  # 400 × 10 × 10 × 3 = 120,000 cells
    first = px.data("05000", selection)
    assert bank.kinds() == ["GET metadata", "GET data", "GET data"]
    second = px.data("05000", selection)
    assert bank.kinds()[3:] == ["GET metadata"]
    assert second.values == first.values


def test_a_damaged_cache_entry_is_fetched_again(tmp_path: Path):
    bank = FakeStatBank(table_07459())
    px = client(bank, cache_dir=str(tmp_path))
    px.data("07459", {"Region": ["0301"]})
    for part in tmp_path.glob("*.body"):
        part.write_bytes(b'{"class": "dataset", "id": [')
    assert px.data("07459", {"Region": ["0301"]}).size == (1, 1, 2)
    assert bank.kinds()[-2:] == ["GET metadata", "GET data"]


# --- v0 ---------------------------------------------------------------------------------------


def test_the_v0_query_body_is_built_exactly_in_ssbs_format():
    saved = json.loads(bundle_fixture("pxwebapi_v1_query_07459_example.json"))
    body = build_v0_query(
        {"Region": ["0"], "Alder": []}, filters={"Region": "vs:Landet", "Alder": "vs:AlleAldre00B"}
    )
    assert body == saved["queryObj"]
    assert json.dumps(build_v0_query({"Tid": ["2024"]})) == (
        '{"query": [{"code": "Tid", "selection": {"filter": "item", "values": ["2024"]}}], '
        '"response": {"format": "json-stat2"}}'
    )


def test_a_v0_query_is_posted_to_the_table_url_and_parsed():
    saved = json.loads(bundle_fixture("pxwebapi_v1_query_07459_example.json"))
    transport = ScriptedTransport(ok(bundle_fixture("pxwebapi_v1_jsonstat2_05300.json")))
    clock = FakeClock()
    v0 = PxWebV0Client(transport=transport, limiter=RateLimiter(clock=clock, sleep=clock.sleep))
    dataset = v0.query("07459", saved["queryObj"])
    assert transport.calls[0].url == saved["postUrl"]
    assert transport.calls[0].body == saved["queryObj"]
    assert len(dataset.values) == 432


def test_a_v0_query_for_csv_is_refused():
    v0 = PxWebV0Client(transport=ScriptedTransport())
    with pytest.raises(PxWebError, match="asks for 'csv'; this client reads json-stat2"):
        v0.query("07459", build_v0_query({"Tid": ["2024"]}, response_format="csv"))


def test_a_large_v0_item_query_is_split_on_time_or_region():
    regions = [f"{i:04d}" for i in range(400)]
    years = [str(2000 + i) for i in range(25)]
    body = build_v0_query({"Region": regions, "Alder": [str(a) for a in range(200)], "Tid": years})
    answers = []
    for chunk in (regions[:134], regions[134:268], regions[268:]):
        doc = {
            "class": "dataset",
            "id": ["Region"],
            "size": [len(chunk)],
            "dimension": {"Region": {"category": {"index": chunk}}},
            "value": [0] * len(chunk),
        }
        answers.append(ok(doc))
    transport = ScriptedTransport(*answers)
    clock = FakeClock()
    v0 = PxWebV0Client(transport=transport, limiter=RateLimiter(clock=clock, sleep=clock.sleep))
    dataset = v0.query("07459", body)
    sent = [call.body["query"] for call in transport.calls]
    assert [len(q[0]["selection"]["values"]) for q in sent] == [134, 134, 132]
    assert all(q[2]["selection"]["values"] == years for q in sent)
    assert dataset.dimensions["Region"].codes == tuple(regions)
