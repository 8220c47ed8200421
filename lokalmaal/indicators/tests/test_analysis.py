"""Progress status and trend (Open SDG / Statistics Canada method). Every case is computed by hand
in the comment beside it. No database."""

import math

import pytest

from lokalmaal.indicators.analysis import (
    Progress,
    assess_progress,
    distance_to_target,
    format_number,
    years_to_target,
)

# Targets built so that the required growth from 2015 to 2030 is a round number:
# (RISE_2 / 100)^(1/15) − 1 = 1.02 − 1 = +0.02 and (FALL_2 / 100)^(1/15) − 1 = −0.02.
RISE_2 = 100 * 1.02**15  # 134.59
FALL_2 = 100 * 0.98**15  # 73.86


def one_year(latest: float, direction: str = "higher", target: float | None = None) -> Progress:
    """100 in 2015 and `latest` in 2016: CAGR = latest/100 − 1."""
    return assess_progress({2015: 100.0, 2016: latest}, direction, target)


# With a target: ratio = d · CAGR_observed / |CAGR_required|, cut-offs 0.95, 0.6, 0


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (101.9, "substantial_progress"),  # 0.019 / 0.02 = 0.95, exactly on the cut-off
        (101.88, "moderate_progress"),  # 0.0188 / 0.02 = 0.94
        (101.2, "moderate_progress"),  # 0.012 / 0.02 = 0.60, exactly on the cut-off
        (101.18, "limited_progress"),  # 0.0118 / 0.02 = 0.59
        (100.0, "limited_progress"),  # 0 / 0.02 = 0, exactly on the cut-off
        (99.9, "deterioration"),  # −0.001 / 0.02 = −0.05
    ],
)
def test_ratio_cut_offs_for_higher_is_better(latest, status):
    assert one_year(latest, "higher", RISE_2).status == status


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (98.1, "substantial_progress"),  # −1 · −0.019 / |−0.02| = 0.95
        (99.0, "limited_progress"),  # −1 · −0.01 / 0.02 = 0.5
        (101.0, "deterioration"),  # −1 · +0.01 / 0.02 = −0.5: rising while lower is better
    ],
)
def test_ratio_is_flipped_for_lower_is_better(latest, status):
    assert one_year(latest, "lower", FALL_2).status == status


def test_with_target_the_growth_rates_and_ratio_are_reported():
    progress = one_year(101.2, "higher", RISE_2)
    assert progress.method == "cagr"
    assert progress.observed_growth == pytest.approx(0.012)  # 101.2/100 − 1
    assert progress.required_growth == pytest.approx(0.02)  # (134.59/100)^(1/15) − 1
    assert progress.ratio == pytest.approx(0.6)  # 0.012 / 0.02


def test_multi_year_ratio():
    # 2015 → 2023: (90/80)^(1/8) − 1 = 1.125^0.125 − 1 = e^(0.117783/8) − 1 = 0.014832
    # to 97 by 2030: (97/80)^(1/15) − 1 = e^(0.192684/15) − 1 = 0.012929
    # ratio 0.014832 / 0.012929 = 1.147 ≥ 0.95
    progress = assess_progress({2015: 80, 2019: 84, 2023: 90}, "higher", 97)
    assert progress.observed_growth == pytest.approx(0.014832, abs=1e-6)
    assert progress.required_growth == pytest.approx(0.012929, abs=1e-6)
    assert progress.ratio == pytest.approx(1.147, abs=1e-3)
    assert progress.status == "substantial_progress"


def test_ratio_is_rounded_to_whole_per_cent_before_the_cut_off():
    # 0.01891 / 0.02 = 0.9455, shown as 95 % → substantial; 0.01889 / 0.02 = 0.9445 → 94 %
    above, below = one_year(101.891, "higher", RISE_2), one_year(101.889, "higher", RISE_2)
    assert above.ratio == pytest.approx(0.9455)  # the raw value is kept
    assert above.status == "substantial_progress"
    assert below.status == "moderate_progress"


def test_base_value_already_past_the_target_then_falling_back_is_deterioration():
    # Higher is better, target 90, base 100 already met it, 85 in 2020 no longer does.
    # required (90/100)^(1/15) − 1 = −0.00700 (negative: the target lies behind the base)
    # observed (85/100)^(1/5) − 1 = −0.03198; ratio = +1 · −0.03198 / |−0.00700| = −4.57
    progress = assess_progress({2015: 100, 2020: 85}, "higher", 90)
    assert progress.required_growth == pytest.approx(-0.00700, abs=1e-5)
    assert progress.ratio == pytest.approx(-4.57, abs=0.01)
    assert progress.status == "deterioration"


def test_target_equal_to_base_value_not_reached_is_deterioration():
    # required (50/50)^(1/15) − 1 = 0, so no ratio; 49 < 50 means it moved the wrong way
    progress = assess_progress({2015: 50, 2020: 49}, "higher", 50)
    assert progress.required_growth == 0
    assert progress.ratio is None
    assert progress.status == "deterioration"


# Target achieved


@pytest.mark.parametrize(
    ("values", "direction", "target"),
    [
        ({2015: 80, 2023: 95}, "higher", 90),  # 95 ≥ 90
        ({2015: 99, 2023: 95}, "higher", 90),  # 95 ≥ 90 although falling
        ({2015: 14, 2023: 9}, "lower", 10),  # 9 ≤ 10
        ({2015: 14, 2023: 10}, "lower", 10),  # exactly on the target counts
    ],
)
def test_target_achieved_beats_the_pace(values, direction, target):
    assert assess_progress(values, direction, target).status == "target_achieved"


def test_target_achieved_still_reports_the_trend():
    # 99 → 95 while higher is better: (95/99)^(1/8) − 1 = −0.52 % a year
    progress = assess_progress({2015: 99, 2023: 95}, "higher", 90)
    assert progress.trend == "worsening"
    assert progress.explanation.endswith("it has reached the 2030 target of 90.")


# Without a target: observed CAGR in the desired direction, cut-offs 1.5 %, 0.5 %, 0


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (101.5, "substantial_progress"),  # +0.015, on the cut-off (float gives 0.01499999…)
        (101.4, "moderate_progress"),  # +0.014
        (100.5, "moderate_progress"),  # +0.005, on the cut-off (float gives 0.00499999…)
        (100.4, "limited_progress"),  # +0.004
        (100.0, "limited_progress"),  # 0, on the cut-off
        (99.9, "deterioration"),  # −0.001
    ],
)
def test_growth_cut_offs_without_target(latest, status):
    assert one_year(latest).status == status


@pytest.mark.parametrize(
    ("latest", "status", "trend"),
    [
        (98.5, "substantial_progress", "improving"),  # −1 · (98.5/100 − 1) = +0.015
        (99.6, "limited_progress", "improving"),  # −1 · −0.004 = +0.004
        (101.0, "deterioration", "worsening"),  # −1 · +0.01 = −0.01
    ],
)
def test_growth_is_flipped_for_lower_is_better(latest, status, trend):
    progress = one_year(latest, "lower")
    assert (progress.status, progress.trend) == (status, trend)


def test_multi_year_growth_without_target():
    # (86/80)^(1/8) − 1 = 1.075^0.125 − 1 = e^(0.0723207/8) − 1 = 0.009081: 0.5 % ≤ 0.91 % < 1.5 %
    progress = assess_progress({2015: 80, 2017: 83, 2023: 86}, "higher")
    assert progress.observed_growth == pytest.approx(0.009081, abs=1e-6)
    assert progress.required_growth is None
    assert progress.ratio is None
    assert progress.status == "moderate_progress"


def test_tiny_changes_are_rounded_to_zero_growth():
    # ±0.0004 a year is shown as 0.0 %: limited progress and stable, not deterioration
    for latest in (100.04, 99.96):
        progress = one_year(latest)
        assert (progress.status, progress.trend) == ("limited_progress", "stable")
        assert "(0.0% a year)" in progress.explanation


# Natural limit (sdg-build's scaling factor C, no-target method only)


def test_limit_lowers_the_cut_offs_near_it():
    # C = 1 − (90/100)^4.44 = 1 − e^(4.44 · −0.10536) = 1 − 0.6264 = 0.3736
    # cut-offs 1.5 % · C = 0.56 % and 0.5 % · C = 0.19 %; observed 91/90 − 1 = 1.1 %
    values = {2015: 90, 2016: 91}
    assert assess_progress(values, "higher").status == "moderate_progress"
    assert assess_progress(values, "higher", limit=100).status == "substantial_progress"


def test_value_held_at_the_limit_is_substantial_progress():
    # base = limit → C = 1 − 1^4.44 = 0: every cut-off is 0, and 0 % ≥ 0
    progress = assess_progress({2015: 100, 2020: 100}, "higher", limit=100)
    assert progress.status == "substantial_progress"


def test_limit_behind_the_desired_direction_is_ignored():
    # lower is better and the "limit" 100 lies above the base 90: no scaling.
    # −1 · (89.5/90 − 1) = +0.0056: moderate, as without a limit
    values = {2015: 90, 2016: 89.5}
    assert assess_progress(values, "lower", limit=100).status == "moderate_progress"


# Zero and negative values: straight-line change relative to the base value


def test_zero_base_value_uses_linear_change_relative_to_the_average_size():
    # base 0: relative to the mean size (|0| + |5|) / 2 = 2.5; slope (5 − 0)/5 = 1 a year
    # observed 1 / 2.5 = 0.4 a year ≥ 1.5 %
    progress = assess_progress({2015: 0, 2020: 5}, "higher")
    assert progress.method == "linear"
    assert progress.observed_growth == pytest.approx(0.4)
    assert progress.status == "substantial_progress"
    assert "straight-line change" in progress.explanation


def test_zero_base_value_with_target_compares_slopes():
    # observed slope 1 a year; required (10 − 0)/15 = 0.667 a year; ratio 1 / 0.667 = 1.5
    # required growth reported as 0.667 / 2.5 = 0.267
    progress = assess_progress({2015: 0, 2020: 5}, "higher", 10)
    assert progress.ratio == pytest.approx(1.5)
    assert progress.required_growth == pytest.approx(0.26667, abs=1e-5)
    assert progress.status == "substantial_progress"


def test_zero_target_uses_linear_change():
    # road deaths, lower is better, target 0 ("nullvisjonen"): CAGR towards 0 is undefined.
    # observed (7 − 10)/6 = −0.5 a year → −0.5/10 = −0.05; required (0 − 10)/15 = −0.667 a year
    # ratio = −1 · −0.5 / 0.667 = 0.75: moderate progress
    progress = assess_progress({2015: 10, 2018: 9, 2021: 7}, "lower", 0)
    assert progress.method == "linear"
    assert progress.observed_growth == pytest.approx(-0.05)
    assert progress.required_growth == pytest.approx(-0.066667, abs=1e-6)
    assert progress.ratio == pytest.approx(0.75)
    assert progress.status == "moderate_progress"


def test_values_crossing_zero_use_linear_change():
    # −1 → 1 over 4 years: slope 0.5 a year, relative to |−1| = 1 → +0.5 a year
    progress = assess_progress({2015: -1, 2019: 1}, "higher")
    assert (progress.method, progress.observed_growth) == ("linear", 0.5)
    assert progress.status == "substantial_progress"


def test_all_negative_values_keep_cagr_with_the_sign_flipped():
    # −4 → −1 over 2 years: size shrinks by (1/4)^(1/2) − 1 = −0.5 a year, so the value rises
    # by +0.5 a year (sdg-build multiplies by sign = −1), which is good when higher is better
    progress = assess_progress({2015: -4, 2017: -1}, "higher")
    assert progress.method == "cagr"
    assert progress.observed_growth == pytest.approx(0.5)
    assert (progress.status, progress.trend) == ("substantial_progress", "improving")


# Too little data, gaps, the base year


@pytest.mark.parametrize(
    "values",
    [
        {},
        {2023: 5.0},
        {2015: None, 2023: 5.0},  # None is no value
        {2015: math.nan, 2023: 5.0},  # neither is NaN
    ],
)
def test_fewer_than_two_years_is_insufficient_data(values):
    progress = assess_progress(values, "higher", 10)
    assert progress.status == "insufficient_data"
    assert progress.trend == "unknown"
    assert progress.method == "none"
    assert progress.observed_growth is None
    assert progress.explanation.endswith("so progress cannot be assessed.")


def test_single_year_keeps_the_latest_value():
    progress = assess_progress({2023: 5.0}, "higher")
    assert (progress.latest_year, progress.latest_value, progress.base_year) == (2023, 5.0, None)


def test_gaps_use_the_real_number_of_years():
    # 2015 → 2019 with no values in between: 1.01^4 = 1.04060401, so CAGR = 0.01 over 4 years
    progress = assess_progress({2015: 100, 2016: None, 2019: 104.060401}, "higher")
    assert (progress.base_year, progress.latest_year) == (2015, 2019)
    assert progress.observed_growth == pytest.approx(0.01)
    assert progress.status == "moderate_progress"


def test_base_year_is_2015_even_with_earlier_data():
    # 2010 is ignored: (110/100)^(1/5) − 1 from 2015 to 2020
    progress = assess_progress({2010: 50, 2015: 100, 2020: 110}, "higher")
    assert (progress.base_year, progress.base_value) == (2015, 100)


def test_missing_2015_takes_the_first_year_after_it():
    # Open SDG: no 2015 value → 2016; (121/100)^(1/2) − 1 = 0.10
    progress = assess_progress({2014: 50, 2016: 100, 2018: 121}, "higher")
    assert progress.base_year == 2016
    assert progress.observed_growth == pytest.approx(0.10)


def test_too_little_data_since_2015_falls_back_to_the_closest_earlier_year():
    # only 2020 from 2015 on → base 2012 (closest before 2015), not 2005
    # (121/100)^(1/8) − 1 = e^(0.190620/8) − 1 = 0.02411
    progress = assess_progress({2005: 80, 2012: 100, 2020: 121}, "higher")
    assert progress.base_year == 2012
    assert progress.observed_growth == pytest.approx(0.02411, abs=1e-5)


def test_base_year_can_be_chosen():
    progress = assess_progress({2010: 100, 2015: 50, 2020: 121}, "higher", base_year=2010)
    assert progress.base_year == 2010


# Neutral direction and trend


def test_neutral_gets_no_status_only_a_trend():
    # 100 → 102: +2 % a year, and a target does not change that
    progress = one_year(102, "neutral", 110)
    assert progress.status == "not_assessed"
    assert progress.trend == "rising"
    assert progress.ratio is None
    assert "no preferred direction" in progress.explanation


@pytest.mark.parametrize(
    ("latest", "direction", "trend"),
    [
        (98.0, "neutral", "falling"),
        (100.0, "neutral", "stable"),
        (102.0, "higher", "improving"),
        (98.0, "higher", "worsening"),
        (98.0, "lower", "improving"),
        (102.0, "lower", "worsening"),
        (100.04, "lower", "stable"),  # +0.04 % rounds to 0.0 %
    ],
)
def test_trend(latest, direction, trend):
    assert one_year(latest, direction).trend == trend


def test_unknown_direction_is_an_error():
    with pytest.raises(ValueError, match="direction"):
        assess_progress({2015: 1, 2016: 2}, "up")


# Explanations


def test_explanation_without_target():
    assert assess_progress({2015: 80, 2023: 86}, "higher").explanation == (
        "From 2015 to 2023 the value rose from 80 to 86 (+0.9% a year); "
        "with no target to compare with, this pace counts as moderate progress."
    )


def test_explanation_with_target():
    # −1 · −0.019 / 0.02 = 0.95 → "95%"
    assert one_year(98.1, "lower", FALL_2).explanation == (
        "From 2015 to 2016 the value fell from 100 to 98.1 (−1.9% a year); "
        "reaching the 2030 target of 73.86 needs −2.0% a year, "
        "so the pace is 95% of what is needed: substantial progress."
    )


def test_explanation_when_moving_away_from_target():
    assert one_year(101, "lower", FALL_2).explanation.endswith(
        "but the value is moving away from it: deterioration."
    )


def test_explanation_single_year():
    assert assess_progress({2023: 5.0}, "higher").explanation == (
        "There is only one year with data (2023), so progress cannot be assessed."
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (11093, "11\u00a0093"),
        (101.94, "101.9"),  # four significant digits
        (3.4567, "3.457"),
        (97.0, "97"),  # no trailing zeros
        (-0.5, "\u22120.5"),  # real minus sign
        (0, "0"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


# Distance and years to target


@pytest.mark.parametrize(
    ("latest", "target", "direction", "distance"),
    [
        (80, 97, "higher", 17),  # 97 − 80 still to go up
        (99, 97, "higher", 0),  # passed in the good direction
        (12, 10, "lower", -2),  # 10 − 12: still 2 to go down
        (8, 10, "lower", 0),  # passed in the good direction
        (5, 3, "neutral", -2),  # plain difference
        (5, None, "higher", None),
        (None, 3, "higher", None),
    ],
)
def test_distance_to_target(latest, target, direction, distance):
    assert distance_to_target(latest, target, direction) == distance


def test_years_to_target_at_compound_pace():
    # 100 → 121 over 2 years is +10 % a year; 121 · 1.1 = 133.1 one year later
    progress = assess_progress({2015: 100, 2017: 121}, "higher")
    assert years_to_target(progress, 133.1, "higher") == pytest.approx(1.0)
    # ln(2) / ln(1.1) = 7.27 years to double
    assert years_to_target(progress, 242, "higher") == pytest.approx(7.2725, abs=1e-4)


def test_years_to_target_at_straight_line_pace():
    # 0 → 5 over 5 years is +1 a year; 10 is 5 more years away
    progress = assess_progress({2015: 0, 2020: 5}, "higher")
    assert years_to_target(progress, 10, "higher") == pytest.approx(5.0)


def test_years_to_target_already_reached_is_zero():
    progress = assess_progress({2015: 100, 2017: 121}, "higher")
    assert years_to_target(progress, 110, "higher") == 0.0


@pytest.mark.parametrize(
    ("values", "target", "direction"),
    [
        ({2015: 100, 2017: 121}, 50, "lower"),  # rising, target lies below
        ({2015: 5, 2020: 5}, 10, "higher"),  # no change at all
        ({2015: 0, 2020: 0}, 10, "higher"),  # no change, linear method
        ({2023: 5}, 10, "higher"),  # no pace known
    ],
)
def test_years_to_target_never_at_this_pace(values, target, direction):
    assert years_to_target(assess_progress(values, direction), target, direction) is None
