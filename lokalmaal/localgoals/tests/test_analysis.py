"""The materiality analysis: figures per target, ranking, disagreement, the chart. No database."""

import pytest

from lokalmaal.localgoals.analysis import TargetSummary, matrix, summarise, target_sort_key
from lokalmaal.localgoals.domain import RatingData


def rate(target: str, *pairs: tuple[int, int]) -> list[RatingData]:
    """One rating per (importance, influence) pair, by raters r1, r2, …"""
    return [
        RatingData(target, f"r{n}", importance, influence)
        for n, (importance, influence) in enumerate(pairs, start=1)
    ]


def only(ratings: list[RatingData]) -> TargetSummary:
    [summary] = summarise(ratings)
    return summary


def at(target: str, influence: float, importance: float) -> TargetSummary:
    """A summary placed on the chart at the given means."""
    return TargetSummary(
        target, 1, importance, influence, 0, 0, 0.0, 0.0, 0.0, disagreement=False, comments=()
    )


# Figures per target


def test_means_spreads_and_population_sd_are_computed_per_target():
    summary = only(rate("11.6", (5, 2), (3, 2), (4, 5)))
    assert summary.raters == 3
    assert summary.importance_mean == 4.0  # (5+3+4)/3
    assert summary.influence_mean == 3.0  # (2+2+5)/3
    assert summary.importance_spread == 2  # 5−3
    assert summary.influence_spread == 3  # 5−2
    assert summary.importance_sd == 0.82  # √((1+1+0)/3) = 0.816…
    assert summary.influence_sd == 1.41  # √((1+1+4)/3) = √2
    assert summary.score == 3.5  # (4+3)/2


def test_means_and_score_are_rounded_to_two_decimals_with_halves_up():
    summary = only(rate("3.4", *[(3, 1)] * 7, (4, 1)))  # 25/8 = 3.125; round() would give 3.12
    assert summary.importance_mean == 3.13
    assert summary.influence_mean == 1.0
    assert summary.score == 2.06  # 33/16 = 2.0625


def test_thirds_are_rounded_to_two_decimals():
    summary = only(rate("3.4", (4, 1), (4, 2), (3, 2)))
    assert summary.importance_mean == 3.67  # 11/3
    assert summary.influence_mean == 1.67  # 5/3
    assert summary.score == 2.67  # 16/6


def test_comments_are_kept_in_order_without_blank_ones():
    ratings = [
        RatingData("11.6", "a", 3, 3, "  Viktig for sentrum "),
        RatingData("11.6", "b", 3, 3, "   "),
        RatingData("11.6", "c", 3, 3, "Lite vi kan gjere"),
    ]
    assert only(ratings).comments == ("Viktig for sentrum", "Lite vi kan gjere")


def test_empty_input_gives_no_summaries():
    assert summarise([]) == []


def test_a_rating_outside_the_scale_is_refused():
    with pytest.raises(ValueError, match="outside 1–5"):
        summarise(rate("11.6", (6, 3)))


# Ranking


def test_targets_are_ranked_by_score_then_importance_then_natural_code_order():
    ratings = [
        *rate("11.6", (3, 5)),  # score 4, importance 3
        *rate("1.10", (4, 4)),  # score 4, importance 4
        *rate("3.4", (5, 3)),  # score 4, importance 5
        *rate("1.2", (4, 4)),  # score 4, importance 4: before 1.10
        *rate("2.1", (5, 5)),  # score 5
        *rate("1.a", (1, 1)),  # score 1
    ]
    ranked = [summary.target for summary in summarise(ratings)]
    assert ranked == ["2.1", "3.4", "1.2", "1.10", "11.6", "1.a"]


def test_the_ranking_does_not_depend_on_the_order_of_the_ratings():
    ratings = rate("1.2", (4, 4)) + rate("1.10", (4, 4)) + rate("1.1", (4, 4))
    forwards = [summary.target for summary in summarise(ratings)]
    backwards = [summary.target for summary in summarise(reversed(ratings))]
    assert forwards == backwards == ["1.1", "1.2", "1.10"]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["1.10", "1.2", "1.1"], ["1.1", "1.2", "1.10"]),
        (["1.a", "1.10", "2.1"], ["1.10", "1.a", "2.1"]),
        (["17.19", "10.b", "10.1", "2.1"], ["2.1", "10.1", "10.b", "17.19"]),
        (["1.b", "1.a", "1.A"], ["1.a", "1.A", "1.b"]),  # letters ignore case, sort is stable
    ],
)
def test_target_codes_sort_in_natural_sdg_order(codes, expected):
    assert sorted(codes, key=target_sort_key) == expected


# Disagreement


@pytest.mark.parametrize(
    ("pairs", "disagreement"),
    [
        ([(3, 3), (4, 4)], False),  # one step apart on both scales
        ([(3, 3), (4, 4), (3, 4)], False),
        ([(3, 3), (5, 3)], True),  # importance exactly two apart
        ([(3, 2), (3, 4)], True),  # influence exactly two apart
        ([(1, 1), (5, 5)], True),
        ([(4, 4), (4, 4), (4, 4), (2, 4)], True),  # one rater out of line is enough
    ],
)
def test_raters_disagree_when_two_ratings_on_a_scale_lie_two_steps_apart(pairs, disagreement):
    assert only(rate("11.6", *pairs)).disagreement is disagreement


def test_a_single_rater_never_disagrees():
    summary = only(rate("11.6", (1, 5)))
    assert summary.disagreement is False
    assert (summary.importance_spread, summary.importance_sd) == (0, 0.0)


# The chart


def test_the_corners_of_the_scale_are_the_corners_of_the_plot_area():
    chart = matrix([at("1.1", 1, 1), at("2.1", 5, 5)])
    low, high = chart.points
    assert (chart.left, chart.top, chart.right, chart.bottom) == (64, 32, 528, 504)
    assert (low.x, low.y) == ("64.0", "504.0")  # bottom left: y grows upward
    assert (high.x, high.y) == ("528.0", "32.0")
    assert (low.label, high.target) == ("1.1", "2.1")


def test_the_quadrant_lines_and_ticks_lie_at_the_scale_values():
    chart = matrix([at("1.1", 2, 4)])
    assert (chart.mid_x, chart.mid_y) == ("296.0", "268.0")  # value 3: 64 + 2×116, 504 − 2×118
    positions = ["64.0", "180.0", "296.0", "412.0", "528.0"]
    assert chart.x_ticks == list(zip(positions, ["1", "2", "3", "4", "5"], strict=True))
    assert chart.y_ticks[0] == ("504.0", "1")
    assert chart.y_ticks[-1] == ("32.0", "5")
    assert (chart.points[0].x, chart.points[0].y) == ("180.0", "150.0")


def test_the_chart_follows_its_size():
    chart = matrix([at("1.1", 5, 1)], width=400, height=300)
    assert (chart.width, chart.height, chart.right, chart.bottom) == (400, 300, 368, 244)
    assert (chart.points[0].x, chart.points[0].y) == ("368.0", "244.0")


def test_identical_points_are_nudged_apart_in_a_spiral():
    chart = matrix([at("3.1", 3, 3), at("3.2", 3, 3), at("3.3", 3, 3), at("4.1", 4, 3)])
    spots = {point.target: (point.x, point.y) for point in chart.points}
    assert spots["3.1"] == ("296.0", "268.0")  # the first stays on its value
    assert spots["3.2"] == ("290.1", "262.6")  # 8 px at 137.5°: (−5.90, −5.40)
    assert spots["3.3"] == ("297.0", "279.3")  # 8√2 px at 275.0°: (+0.99, +11.27)
    assert spots["4.1"] == ("412.0", "268.0")  # a point of its own is not moved


def test_nudging_is_the_same_whatever_the_order_of_the_summaries():
    summaries = [at("3.3", 3, 3), at("3.1", 3, 3), at("3.2", 3, 3)]
    forwards = {point.target: (point.x, point.y) for point in matrix(summaries).points}
    backwards = {point.target: (point.x, point.y) for point in matrix(summaries[::-1]).points}
    assert forwards == backwards
    assert forwards["3.1"] == ("296.0", "268.0")


def test_points_keep_their_disagreement_flag():
    summary = only(rate("11.6", (1, 1), (3, 1)))
    [point] = matrix([summary]).points
    assert point.disagreement is True


def test_an_empty_chart_still_has_its_axes():
    chart = matrix([])
    assert chart.points == []
    assert len(chart.x_ticks) == len(chart.y_ticks) == 5


def test_a_chart_too_small_for_its_margins_is_refused():
    with pytest.raises(ValueError, match="no room"):
        matrix([], width=80, height=80)


def test_thirty_clustered_labels_neither_overlap_nor_leave_the_chart():
    from lokalmaal.localgoals.analysis import (
        BASELINE_PX,
        CHAR_PX,
        LABEL_HEIGHT_PX,
        MARGIN_BOTTOM,
        MARGIN_LEFT,
        MARGIN_TOP,
        _axis_boxes,
    )

    codes = [f"{g}.{p}" for g in (1, 2, 3) for p in (*range(1, 10), "a")]
    # Ten spots only: three targets share each pair of means, as real ratings often do.
    chart = matrix([at(code, 3 + n % 3, 2 + n % 4) for n, code in enumerate(codes)])
    x = lambda v: MARGIN_LEFT + (v - 1) / 4 * (chart.right - MARGIN_LEFT)  # noqa: E731
    y = lambda v: chart.bottom - (v - 1) / 4 * (chart.bottom - MARGIN_TOP)  # noqa: E731
    axes = _axis_boxes(
        range(1, 6), x, y, chart.left, chart.top, chart.bottom, chart.width, chart.height
    )
    assert chart.height - chart.bottom == MARGIN_BOTTOM
    boxes = []
    for p in chart.points:
        left, top = float(p.label_x), float(p.label_y) - BASELINE_PX
        boxes.append((left, top, left + len(p.label) * CHAR_PX, top + LABEL_HEIGHT_PX))
    assert len(boxes) == 30
    for i, a in enumerate(boxes):
        assert a[0] >= 0
        assert a[1] >= 0
        assert a[2] <= chart.width
        assert a[3] <= chart.height
        for b in boxes[i + 1 :] + axes:  # nor the tick labels and axis titles
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
