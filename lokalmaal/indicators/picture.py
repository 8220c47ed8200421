"""The picture at the top of a municipality's dashboard: for each of the 17 goals, how many of
its indicators are on track, progressing, worsening, not assessed, too old or without figures.

A plain function over the dashboard's rows (reads.region_indicators), so the page and any report
draw the same picture; the template draws each goal's counts as a stacked bar and writes them
out as text beside it.
"""

from dataclasses import dataclass

from lokalmaal.indicators.reads import RegionIndicatorOut

# Categories in the order the bar draws them, from best to missing.
CATEGORIES = ("on_track", "progress", "worsening", "not_assessed", "outdated", "missing")
CATEGORY_OF_STATUS = {
    "target_achieved": "on_track",
    "substantial_progress": "on_track",
    "moderate_progress": "progress",
    "limited_progress": "progress",
    "deterioration": "worsening",
    "not_assessed": "not_assessed",
    "outdated": "outdated",
    "insufficient_data": "missing",
    "no_data": "missing",
}


@dataclass(frozen=True)
class Segment:
    category: str
    count: int
    x: float  # where the segment starts, 0–100
    width: float  # its share of the goal's indicators, 0–100


@dataclass(frozen=True)
class GoalPicture:
    goal: int
    name: str
    total: int  # indicators in the library for this goal
    segments: list[Segment]  # categories with at least one indicator, in CATEGORIES order


def goal_pictures(rows: list[RegionIndicatorOut], goal_names: dict[int, str]) -> list[GoalPicture]:
    """One picture per goal 1–17 (a goal without indicators gets total 0 and no segments)."""
    counts: dict[int, dict[str, int]] = {number: {} for number in range(1, 18)}
    for row in rows:
        category = CATEGORY_OF_STATUS.get(row.status, "missing")
        per_goal = counts.setdefault(row.goal, {})
        per_goal[category] = per_goal.get(category, 0) + 1
    pictures = []
    for number in sorted(counts):
        total = sum(counts[number].values())
        segments, x = [], 0.0
        for category in CATEGORIES:
            count = counts[number].get(category, 0)
            if count:
                width = 100.0 * count / total
                segments.append(Segment(category, count, round(x, 2), round(width, 2)))
                x += width
        pictures.append(GoalPicture(number, goal_names.get(number, ""), total, segments))
    return pictures
