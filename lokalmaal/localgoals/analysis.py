"""The materiality analysis (vesentlighetsanalyse): each rater scores SDG targets from 1 to 5 on
importance for the local community now and on the municipality's influence. This module sums
the ratings up per target and places the targets on a two-axis chart. Pure Python, no Django."""

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import pstdev

from lokalmaal.localgoals.domain import RatingData

SCALE_MIN, SCALE_MID, SCALE_MAX = 1, 3, 5
DISAGREEMENT_SPREAD = 2  # a gap of two steps or more between raters means they see it differently


def target_sort_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Natural SDG order: 1.1 < 1.2 < 1.10 < 1.a < 2.1 (numbered targets before lettered ones)."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in code.split(".")
    )


@dataclass(frozen=True)
class TargetSummary:
    target: str
    raters: int
    importance_mean: float
    influence_mean: float
    importance_spread: int  # highest minus lowest rating
    influence_spread: int
    importance_sd: float  # population standard deviation: the raters are the whole group
    influence_sd: float
    score: float
    disagreement: bool
    comments: tuple[str, ...]


def summarise(ratings: Iterable[RatingData]) -> list[TargetSummary]:
    """Sum up the ratings per target, highest score first.

    The score is the average of the mean importance and the mean influence, so a target that
    matters a lot locally and that the municipality can do much about comes first. Equal scores
    are ordered by mean importance, then by target number. Means and scores are rounded to two
    decimals (halves up).

    The raters disagree on a target when at least two have rated it and their ratings on either
    scale lie two steps or more apart (for example one gives 2 and another 4).
    """
    by_target: defaultdict[str, list[RatingData]] = defaultdict(list)
    for rating in ratings:
        _check_scale(rating)
        by_target[rating.target].append(rating)
    summaries = [_summarise_target(code, group) for code, group in by_target.items()]
    return sorted(summaries, key=_rank_key)


def _check_scale(rating: RatingData) -> None:
    # Out-of-scale values would silently skew the means and fall outside the chart.
    for value in (rating.importance, rating.influence):
        if not SCALE_MIN <= value <= SCALE_MAX:
            raise ValueError(f"Rating {value} for {rating.target} is outside 1–5")


def _summarise_target(code: str, group: Sequence[RatingData]) -> TargetSummary:
    importance = [rating.importance for rating in group]
    influence = [rating.influence for rating in group]
    importance_spread = max(importance) - min(importance)
    influence_spread = max(influence) - min(influence)
    return TargetSummary(
        target=code,
        raters=len(group),
        importance_mean=_round2(Fraction(sum(importance), len(group))),
        influence_mean=_round2(Fraction(sum(influence), len(group))),
        importance_spread=importance_spread,
        influence_spread=influence_spread,
        importance_sd=round(pstdev(importance), 2),
        influence_sd=round(pstdev(influence), 2),
        score=_round2(Fraction(sum(importance) + sum(influence), 2 * len(group))),
        disagreement=len(group) >= 2
        and max(importance_spread, influence_spread) >= DISAGREEMENT_SPREAD,
        comments=tuple(rating.comment.strip() for rating in group if rating.comment.strip()),
    )


def _round2(value: Fraction) -> float:
    # Exact fractions round halves up (3.125 → 3.13), where float round() gives 3.12.
    return math.floor(value * 100 + Fraction(1, 2)) / 100


def _rank_key(summary: TargetSummary) -> tuple[float, float, tuple[tuple[int, int, str], ...]]:
    # Ranks on the rounded figures, so the order always agrees with the numbers users see.
    return (-summary.score, -summary.importance_mean, target_sort_key(summary.target))


@dataclass(frozen=True)
class MatrixPoint:
    target: str
    x: str  # pixels, "%.1f" with a dot: safe to put straight into SVG
    y: str
    label: str
    disagreement: bool
    # Where the label's text starts (its left edge and baseline), placed so no two labels and
    # no label and point overlap and nothing leaves the chart; `leader` draws a line to the
    # point when the label had to move away from it.
    label_x: str = "0"
    label_y: str = "0"
    leader: bool = False


@dataclass(frozen=True)
class Matrix:
    """A chart of influence (x, left to right) against importance (y, bottom to top).

    left/top/right/bottom are the pixel edges of the plot area, where the values 1 and 5 lie;
    the margins outside hold the tick and axis labels. mid_x/mid_y divide the four quadrants.
    """

    width: int
    height: int
    points: list[MatrixPoint]
    x_ticks: list[tuple[str, str]]  # (pixel position, label)
    y_ticks: list[tuple[str, str]]
    mid_x: str
    mid_y: str
    left: int
    top: int
    right: int
    bottom: int


# Room for the y-axis ticks and title on the left and the x-axis ticks and title below; a little
# on the top and right so labels of points at 5 are not clipped.
MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM = 64, 32, 32, 56
NUDGE_PX = 8.0  # radius of the first step away from an identical point
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))  # ≈137.5°: successive points never line up


def matrix(summaries: Iterable[TargetSummary], width: int = 560, height: int = 560) -> Matrix:
    """Place each target on the chart; targets with identical means are spread in a spiral."""
    left, top = MARGIN_LEFT, MARGIN_TOP
    right, bottom = width - MARGIN_RIGHT, height - MARGIN_BOTTOM
    if right <= left or bottom <= top:
        raise ValueError(f"A {width}×{height} chart leaves no room for the plot")

    def to_x(value: float) -> float:
        return left + (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * (right - left)

    def to_y(value: float) -> float:
        return bottom - (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * (bottom - top)

    ticks = range(SCALE_MIN, SCALE_MAX + 1)
    return Matrix(
        width=width,
        height=height,
        points=place_labels(
            _place(summaries, to_x, to_y),
            width,
            height,
            _axis_boxes(ticks, to_x, to_y, left, top, bottom, width, height),
        ),
        x_ticks=[(_px(to_x(value)), str(value)) for value in ticks],
        y_ticks=[(_px(to_y(value)), str(value)) for value in ticks],
        mid_x=_px(to_x(SCALE_MID)),
        mid_y=_px(to_y(SCALE_MID)),
        left=left,
        top=top,
        right=right,
        bottom=bottom,
    )


def _place(
    summaries: Iterable[TargetSummary],
    to_x: Callable[[float], float],
    to_y: Callable[[float], float],
) -> list[MatrixPoint]:
    spots: defaultdict[tuple[float, float], list[TargetSummary]] = defaultdict(list)
    for summary in summaries:
        spots[(summary.influence_mean, summary.importance_mean)].append(summary)
    points: list[MatrixPoint] = []
    for (influence, importance), group in spots.items():
        # Sorted by code so the same data always gives the same picture.
        group.sort(key=lambda summary: target_sort_key(summary.target))
        for step, summary in enumerate(group):
            dx, dy = _spiral(step)
            x, y = to_x(influence) + dx, to_y(importance) + dy
            points.append(
                MatrixPoint(summary.target, _px(x), _px(y), summary.target, summary.disagreement)
            )
    return points


def _spiral(step: int) -> tuple[float, float]:
    """Pixel offset of the step-th point at one spot: the first stays, the others wind outwards
    on a sunflower spiral, so even many points keep apart."""
    if step == 0:
        return 0.0, 0.0
    radius = NUDGE_PX * math.sqrt(step)
    angle = step * GOLDEN_ANGLE
    return radius * math.cos(angle), -radius * math.sin(angle)  # minus: screen y grows downward


def _px(value: float) -> str:
    # Format specs without "n" never localise: a dot decimal whatever the active locale.
    return f"{value:.1f}"


# Label placement: 12 px Inter measured in Chromium (tests/browser/test_journey_accessibility.py)
# at up to 6.3 chart units a character and 14.6 high; 8 and 16 leave room so labels never touch.
CHAR_PX, LABEL_HEIGHT_PX, POINT_RADIUS_PX, GAP_PX = 8.0, 16.0, 6.0, 3.0
BASELINE_PX = 12.0  # from the top of the label box to the text's baseline
type Box = tuple[float, float, float, float]  # left, top, right, bottom


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _candidates(x: float, y: float, width: float) -> Iterable[tuple[float, float, bool]]:
    """Label positions (left, top) around a point, nearest first, then further out on rings."""
    h = LABEL_HEIGHT_PX
    for ring in range(8):
        d = POINT_RADIUS_PX + GAP_PX + ring * 9.0
        leader = ring > 0
        yield x + d, y - h / 2, leader  # right
        yield x - d - width, y - h / 2, leader  # left
        yield x - width / 2, y - d - h, leader  # above
        yield x - width / 2, y + d, leader  # below
        yield x + d * 0.7, y - d * 0.7 - h, leader  # upper right
        yield x - d * 0.7 - width, y - d * 0.7 - h, leader  # upper left
        yield x + d * 0.7, y + d * 0.7, leader  # lower right
        yield x - d * 0.7 - width, y + d * 0.7, leader  # lower left


AXIS_TITLE_PX = 130.0  # room kept for an axis title ("↑ Importance" in any language)


def _axis_boxes(
    ticks: Iterable[int],
    to_x: Callable[[float], float],
    to_y: Callable[[float], float],
    left: int,
    top: int,
    bottom: int,
    width: int,
    height: int,
) -> list[Box]:
    """Where the tick labels and axis titles are drawn (see results.html), kept free of labels."""
    boxes: list[Box] = []
    for value in ticks:
        x, y = to_x(value), to_y(value)
        boxes.append((left - 30, y - 8, left - 18, y + 8))  # y tick, right-aligned at left − 20
        boxes.append((x - 6, bottom + 6, x + 6, bottom + 22))  # x tick at bottom + 18
    middle = to_y(SCALE_MID)  # "Importance →" runs upwards along the left edge, centred here
    boxes.append((0, middle - AXIS_TITLE_PX / 2, 20, middle + AXIS_TITLE_PX / 2))
    mid = to_x(SCALE_MID)
    boxes.append((mid - AXIS_TITLE_PX / 2, height - 18, mid + AXIS_TITLE_PX / 2, height))
    return boxes


def place_labels(
    points: Sequence[MatrixPoint], width: int, height: int, reserved: Sequence[Box] = ()
) -> list[MatrixPoint]:
    """Give every point a label position that overlaps no other label, point or `reserved`
    box (the axes' own text) and stays inside the chart: greedy, points in target order, the
    nearest free spot first. A label that finds no free spot goes to its nearest in-bounds spot
    (never off the chart)."""
    from dataclasses import replace

    r = POINT_RADIUS_PX
    taken: list[Box] = [
        (float(p.x) - r, float(p.y) - r, float(p.x) + r, float(p.y) + r) for p in points
    ]
    taken += reserved
    placed: dict[str, MatrixPoint] = {}
    for point in sorted(points, key=lambda p: target_sort_key(p.target)):
        x, y = float(point.x), float(point.y)
        w = len(point.label) * CHAR_PX
        fallback: tuple[float, float, bool] | None = None
        chosen: tuple[float, float, bool] | None = None
        for left, top, leader in _candidates(x, y, w):
            box = (left, top, left + w, top + LABEL_HEIGHT_PX)
            if box[0] < 1 or box[1] < 1 or box[2] > width - 1 or box[3] > height - 1:
                continue
            fallback = fallback or (left, top, leader)
            if not any(_overlaps(box, other) for other in taken):
                chosen = (left, top, leader)
                break
        left, top, leader = chosen or fallback or (min(max(x + r, 1), width - w - 1), y, False)
        taken.append((left, top, left + w, top + LABEL_HEIGHT_PX))
        baseline = top + BASELINE_PX  # an SVG text's y is its baseline
        placed[point.target] = replace(
            point, label_x=_px(left), label_y=_px(baseline), leader=leader
        )
    return [placed[p.target] for p in points]  # in the given (ranked) order
