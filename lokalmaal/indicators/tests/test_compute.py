"""Converting source figures to today's municipalities: hand-computed cases on the real history."""

from pathlib import Path

import pytest

from conftest import bundle_dir
from lokalmaal.indicators.compute import Raw, harmonise
from lokalmaal.regions.history import CodeHistory, read_history


@pytest.fixture(scope="module")
def history() -> CodeHistory:
    return CodeHistory(read_history(Path(bundle_dir())))


def test_counts_of_merged_municipalities_are_summed(history):
    # Sandefjord 0706, Andebu 0719 and Stokke 0720 became 3907 Sandefjord
    rows = [
        Raw("0706", 2016, 2016, numerator=100),
        Raw("0719", 2016, 2016, numerator=20),
        Raw("0720", 2016, 2016, numerator=30),
    ]
    [value] = harmonise("x", rows, history)
    assert (value.region, value.value) == ("3907", 150)


def test_rates_of_merged_municipalities_are_recomputed_from_numerator_and_denominator(history):
    # turnout 80 % of 1,000 and 60 % of 3,000 is 65 %, not the average 70 %
    rows = [
        Raw("0706", 2013, 2013, numerator=800, denominator=1000),
        Raw("0719", 2013, 2013, numerator=1800, denominator=3000),
    ]
    [value] = harmonise("x", rows, history, scale=100)
    assert value.value == pytest.approx(65.0)


def test_a_rate_without_its_parts_is_kept_only_for_an_unchanged_municipality(history):
    rows = [Raw("0706", 2016, 2016, rate=50.0), Raw("1101", 2016, 2016, rate=42.0)]
    values = harmonise("x", rows, history)
    assert [(v.region, v.value) for v in values] == [("1101", 42.0)]  # Sandefjord merged in 2017


def test_a_split_municipality_is_apportioned_by_weight_and_marked_estimated(history):
    values = {
        v.region: v.value
        for v in harmonise("x", [Raw("1507", 2021, 2021, numerator=1000)], history)
    }
    assert set(values) == {"1508", "1580"}
    assert sum(v or 0 for v in values.values()) == pytest.approx(1000)
    assert (values["1508"] or 0) > (values["1580"] or 0)  # Ålesund is the larger part


def test_unknown_codes_such_as_svalbard_are_left_out(history):
    assert harmonise("x", [Raw("2111", 2016, 2016, numerator=5)], history) == []
