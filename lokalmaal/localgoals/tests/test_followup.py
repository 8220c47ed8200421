"""Follow-up of a goal indicator: the status uses the goal's own baseline, target and year."""

from lokalmaal.localgoals.followup import assess, decimals_for


def test_a_goal_ahead_of_the_pace_its_target_needs_is_on_track():
    # 10 → 20 by 2030 needs +1 a year (straight line); 10 → 15 in four years is faster.
    result = assess(
        {2020: 9.0, 2022: 12.0, 2024: 15.0}, "higher", 10.0, 2020, 20.0, 2030, this_year=2026
    )
    assert (result.latest_value, result.latest_year) == (15.0, 2024)
    assert result.status == "substantial_progress"
    assert [y.year for y in result.years] == [2022, 2024]


def test_a_lower_is_better_goal_moving_up_is_deterioration():
    result = assess({2020: 12.0, 2023: 14.0}, "lower", 12.0, 2020, 8.0, 2030, this_year=2026)
    assert result.status == "deterioration"


def test_the_same_figures_read_the_other_way_are_progress():
    result = assess({2020: 12.0, 2023: 14.0}, "higher", 12.0, 2020, 16.0, 2030, this_year=2026)
    assert result.status in {"substantial_progress", "target_achieved"}


def test_the_adopted_baseline_replaces_the_figure_of_its_year():
    # The library now says 2020 was 5, but the council adopted 10: progress is measured from 10.
    result = assess({2020: 5.0, 2024: 10.0}, "higher", 10.0, 2020, 20.0, 2030, this_year=2026)
    assert result.status == "limited_progress"  # from 5 it would have been substantial


def test_figures_before_the_baseline_are_ignored_and_one_figure_is_too_few():
    result = assess({2015: 1.0, 2020: 10.0}, "higher", 10.0, 2020, 20.0, 2030, this_year=2024)
    assert result.status == "insufficient_data"
    assert result.years == ()


def test_a_newest_figure_more_than_five_years_old_gets_no_verdict():
    result = assess({2012: 10.0, 2018: 20.0}, "higher", 10.0, 2012, 20.0, 2030, this_year=2026)
    assert result.status == "outdated"


def test_no_figures_means_no_data():
    assert assess({}, "higher", None, None, None, None, this_year=2026).status == "no_data"


def test_decimals_follow_the_size_of_the_indicators_figures():
    assert decimals_for([83.30451963447764, 80.1]) == 1
    assert decimals_for([1500.4, 1700.2]) == 0
    assert decimals_for([0.1234]) == 2


def test_two_year_averages_are_compared_from_the_baseline_without_overlap():
    # Windows 2020–2021 (baseline), 2022–2023 and 2023–2024: the last two overlap, so 2023 goes.
    series = {2021: 5.0, 2022: 4.0, 2023: 9.0, 2024: 6.0}
    result = assess(series, "lower", 5.0, 2021, 3.0, 2030, this_year=2026, window=2)
    assert result.status == "deterioration"  # 5.0 → 6.0, measured from the adopted baseline
    assert "2021" in result.explanation


def test_a_baseline_year_without_a_value_starts_at_the_first_figure_after_it():
    result = assess({2022: 10.0, 2024: 12.0}, "higher", None, 2021, 20.0, 2030, this_year=2026)
    assert result.latest_value == 12.0
    assert result.status != "no_data"
