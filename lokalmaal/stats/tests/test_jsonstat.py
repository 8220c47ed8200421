"""JSON-stat2 parsing, observations, status symbols and merging."""

from __future__ import annotations

import json
import re
from itertools import product
from typing import Any

import pytest

from lokalmaal.stats.jsonstat import (
    STATUS_SYMBOLS,
    JsonStatError,
    iter_observations,
    merge,
    parse,
    status_meaning,
)
from lokalmaal.stats.tests.fakes import bundle_fixture, fixture_bytes, jsonstat

FIXTURE_05300 = "pxwebapi_v1_jsonstat2_05300.json"


@pytest.fixture(scope="module")
def table_05300() -> Any:
    return parse(bundle_fixture(FIXTURE_05300))


def test_the_real_05300_response_has_432_values_in_four_dimensions(table_05300):
    assert table_05300.ids == ("Avstand1", "Kulturtilbud", "ContentsCode", "Tid")
    assert table_05300.size == (6, 8, 1, 9)
    assert len(table_05300.values) == 432
    assert table_05300.updated == "2022-05-24T06:00:00Z"
    assert table_05300.source == "Statistisk sentralbyrå"
    assert table_05300.roles == {"time": ("Tid",), "metric": ("ContentsCode",)}


def test_every_one_of_the_28_nulls_in_05300_carries_a_status_symbol(table_05300):
    nulls = {i for i, v in enumerate(table_05300.values) if v is None}
    assert len(nulls) == 28
    assert set(table_05300.status) == nulls
    assert set(table_05300.status.values()) == {".", ".."}
    assert table_05300.status[360] == ".."
    assert table_05300.status[431] == "."


def test_categories_keep_index_order_and_labels(table_05300):
    tid = table_05300.dimensions["Tid"]
    assert tid.codes == ("1991", "1994", "1997", "2000", "2004", "2008", "2012", "2016", "2021")
    kultur = table_05300.dimensions["Kulturtilbud"]
    assert kultur.label == "kulturtilbud"
    assert kultur.label_of("05") == "Museum"
    assert table_05300.dimensions["ContentsCode"].units["Avstand"].base == "prosent"


def test_a_flat_index_maps_to_codes_by_strides_and_back(table_05300):
    assert table_05300.strides == (72, 9, 9, 1)
    assert table_05300.codes_at(0) == ("01", "01", "Avstand", "1991")
    assert table_05300.codes_at(71) == ("01", "08", "Avstand", "2021")
    assert table_05300.codes_at(360) == ("06", "01", "Avstand", "1991")
    for index in (0, 1, 71, 200, 431):
        assert table_05300.index_of(table_05300.codes_at(index)) == index
    assert (
        table_05300.value(Avstand1="01", Kulturtilbud="01", ContentsCode="Avstand", Tid="1991")
        == 16
    )


def test_observations_come_in_flat_order_with_value_and_status(table_05300):
    observations = list(iter_observations(table_05300))
    assert len(observations) == 432
    assert observations[0] == (("01", "01", "Avstand", "1991"), 16, None)
    assert observations[71] == (("01", "08", "Avstand", "2021"), None, ".")
    assert [codes for codes, _, _ in observations] == [table_05300.codes_at(i) for i in range(432)]


def test_status_symbols_have_ssbs_documented_meanings():
    assert STATUS_SYMBOLS["."].startswith("Category not applicable")
    assert STATUS_SYMBOLS[".."].startswith("Data not available")
    assert STATUS_SYMBOLS[":"].startswith("Confidential")
    assert status_meaning(" .. ") == STATUS_SYMBOLS[".."]
    assert str(status_meaning("..", lang="nb")).startswith("Tallgrunnlag mangler")
    assert status_meaning("#") is None
    assert {".", "..", ":", "-"} <= set(STATUS_SYMBOLS)


def test_a_sparse_value_object_fills_the_missing_cells_with_none():
    dataset = parse(jsonstat({"A": ["a1", "a2"], "B": ["b1", "b2", "b3"]}, {"0": 1.5, "5": 7}))
    assert dataset.values == [1.5, None, None, None, None, 7]


def test_status_may_be_a_list_a_single_string_or_a_one_element_list():
    dims = {"A": ["a1", "a2", "a3"]}
    assert parse(jsonstat(dims, [1, None, 3], [None, "..", None])).status == {1: ".."}
    assert parse(jsonstat(dims, [1, 2, 3], "*")).status == {0: "*", 1: "*", 2: "*"}
    assert parse(jsonstat(dims, [1, 2, 3], ["-"])).status == {0: "-", 1: "-", 2: "-"}


def test_a_category_index_object_is_ordered_by_position_not_by_key_order():
    doc = jsonstat({"Kjonn": ["0", "1", "2"]}, [10, 20, 30])
    doc["dimension"]["Kjonn"]["category"]["index"] = {"0": 0, "1": 2, "2": 1}
    assert parse(doc).dimensions["Kjonn"].codes == ("0", "2", "1")


def test_a_single_category_may_leave_out_its_index():
    doc = jsonstat({"ContentsCode": ["Personer"]}, [5])
    del doc["dimension"]["ContentsCode"]["category"]["index"]
    assert parse(doc).dimensions["ContentsCode"].codes == ("Personer",)


def test_bytes_str_and_dicts_parse_the_same():
    doc = jsonstat({"A": ["a1", "a2"]}, [1, 2])
    text = json.dumps(doc)
    assert parse(text).values == parse(text.encode()).values == parse(doc).values == [1, 2]


def _with(changes: dict[str, Any]) -> dict[str, Any]:
    doc = jsonstat({"A": ["a1", "a2"], "B": ["b1", "b2"]}, [1, 2, 3, 4])
    for path, value in changes.items():
        target = doc
        *parents, last = path.split(".")
        for key in parents:
            target = target[key]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value
    return doc


_DELETE = object()

MALFORMED = [
    ("value_one_short", _with({"value": [1, 2, 3]}), "value has 3 entries, size says 4"),
    ("value_missing", _with({"value": _DELETE}), "'value' is missing"),
    ("value_is_text", _with({"value": [1, "x", 3, 4]}), "value[1] is 'x'; expected a number"),
    ("sparse_key_outside", _with({"value": {"9": 1}}), "value key '9' is outside 0..3"),
    ("sparse_key_not_index", _with({"value": {"x": 1}}), "value key 'x' is not a flat index"),
    ("size_vs_id", _with({"size": [2]}), "'size' has 1 entries but 'id' names 2 dimensions"),
    ("size_negative", _with({"size": [2, -2]}), "'size' must be a list of non-negative"),
    (
        "size_vs_categories",
        _with({"size": [2, 3]}),
        "dimension 'B' has 2 categories but 'size' says 3",
    ),
    ("dimension_missing", _with({"dimension.B": _DELETE}), "'dimension' lacks B named in 'id'"),
    ("no_category", _with({"dimension.B.category": _DELETE}), "dimension 'B' has no 'category'"),
    (
        "index_outside",
        _with({"dimension.B.category.index": {"b1": 0, "b2": 5}}),
        "category 'b2' has index 5, outside 0..1",
    ),
    (
        "index_shared",
        _with({"dimension.B.category.index": {"b1": 1, "b2": 1}}),
        "categories 'b1' and 'b2' share index 1",
    ),
    ("status_wrong_length", _with({"status": ["."] * 3}), "status has 3 entries, size says 4"),
    ("status_not_text", _with({"status": {"1": 5}}), "status['1'] is 5; expected a string"),
    ("duplicate_id", _with({"id": ["A", "A"]}), "'id' repeats a dimension"),
    ("not_a_dataset", _with({"class": "collection"}), "class is 'collection'"),
    ("role_unknown_dimension", _with({"role": {"time": ["Tid"]}}), "role 'time' must list"),
    ("updated_not_text", _with({"updated": 2024}), "'updated' must be a string"),
]


@pytest.mark.parametrize(
    ("doc", "message"), [(doc, msg) for _, doc, msg in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_json_stat_is_refused_with_a_clear_reason(doc, message):
    with pytest.raises(JsonStatError, match=re.escape(message)):
        parse(doc)


def test_a_truncated_response_is_refused_as_truncated():
    body = fixture_bytes("pxweb_v2_data_07459_excerpt.json")
    with pytest.raises(JsonStatError, match=r"not valid JSON.*may be truncated"):
        parse(body[: len(body) // 2])


def test_the_real_05300_response_cut_short_is_refused():
    body = bundle_fixture(FIXTURE_05300)
    with pytest.raises(JsonStatError, match="truncated"):
        parse(body[:-40])


def test_a_json_stat_1_answer_is_refused_with_advice():
    with pytest.raises(JsonStatError, match=r"JSON-stat 1\.x response; ask for format json-stat2"):
        parse({"dataset": {"dimension": {}}})


def test_a_top_level_list_is_refused():
    with pytest.raises(JsonStatError, match="expected a JSON object at the top level, got list"):
        parse(b"[1, 2]")


def _part(regions: list[str], years: list[str], start: int) -> Any:
    values = list(range(start, start + len(regions) * len(years)))
    return parse(jsonstat({"Region": regions, "Tid": years}, values, updated="2024-01-01"))


def test_merge_unites_the_categories_and_places_every_value():
    left = _part(["0301", "4601"], ["2023", "2024"], 0)
    right = _part(["1577"], ["2023", "2024"], 4)
    merged = merge([left, right])
    assert merged.dimensions["Region"].codes == ("0301", "4601", "1577")
    assert merged.size == (3, 2)
    assert merged.values == [0, 1, 2, 3, 4, 5]
    assert merged.value(Region="1577", Tid="2024") == 5


def test_merge_moves_status_symbols_to_their_new_flat_index():
    left = parse(jsonstat({"Region": ["0301"], "Tid": ["2023", "2024"]}, [1, None], {"1": ".."}))
    right = parse(jsonstat({"Region": ["0301"], "Tid": ["2025"]}, [None], {"0": ":"}))
    merged = merge([left, right])
    assert merged.status == {1: "..", 2: ":"}
    assert [status for _, _, status in iter_observations(merged)] == [None, "..", ":"]


def test_merge_of_parts_split_on_two_dimensions_covers_every_cell_once():
    regions, years = ["a", "b", "c", "d"], ["1", "2", "3"]
    full = {codes: i for i, codes in enumerate(product(regions, years))}
    parts = [
        parse(
            jsonstat(
                {"Region": r, "Tid": y},
                [full[codes] for codes in product(r, y)],
            )
        )
        for r in (regions[:2], regions[2:])
        for y in (years[:1], years[1:])
    ]
    merged = merge(parts)
    assert merged.values == list(range(12))


def test_merge_leaves_cells_no_part_covers_empty():
    merged = merge([_part(["0301"], ["2023"], 7), _part(["4601"], ["2024"], 9)])
    assert merged.values == [7, None, None, 9]


def test_merge_refuses_conflicting_values_and_different_dimensions():
    with pytest.raises(JsonStatError, match="is 0 in one dataset and 9 in another"):
        merge([_part(["0301"], ["2023"], 0), _part(["0301"], ["2023"], 9)])
    other = parse(jsonstat({"Region": ["0301"], "Alder": ["000"]}, [1]))
    with pytest.raises(JsonStatError, match="dataset 2 has dimensions"):
        merge([_part(["0301"], ["2023"], 0), other])
    with pytest.raises(JsonStatError, match="at least one dataset"):
        merge([])
