"""The coverage bar chart as drawing instructions for an SVG template: one bar per goal.

Coordinates are strings so templates never localise them ("12,5" is not SVG). The chart is one
view of numbers that the page also shows in a table and in words.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from lokalmaal.plans.reads import GoalCoverageOut

ROW = 24
LEFT = 290
WIDTH = 680
TOP = 8


@dataclass(frozen=True)
class Bar:
    goal: int
    label: str  # "11 Sustainable cities"
    percent: float  # formatted by the template in the page's language
    y: str
    text_y: str
    width: str
    value_x: str
    chosen: bool


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    bars: list[Bar]


def coverage_chart(rows: Sequence[GoalCoverageOut], chosen: int | None = None) -> BarChart:
    """Bars scaled to the largest share, so a plan that spreads thinly is still readable."""
    largest = max((r.share for r in rows), default=0.0) or 1.0
    room = WIDTH - LEFT - 70
    bars = []
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        width = room * row.share / largest
        bars.append(
            Bar(
                goal=row.goal,
                label=f"{row.goal} {row.title}".strip(),
                percent=row.percent,
                y=f"{y + 4}",
                text_y=f"{y + ROW / 2 + 1:.1f}",
                width=f"{width:.1f}",
                value_x=f"{LEFT + width + 6:.1f}",
                chosen=row.goal == chosen,
            )
        )
    return BarChart(WIDTH, TOP * 2 + ROW * len(rows), LEFT, bars)
