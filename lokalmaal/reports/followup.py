"""Follow-up of a local goal's indicator: baseline → latest → target and whether it is on track.

Pure: the caller passes the indicator's figures for the region. The status uses the indicator
pages' method (indicators.analysis.assess_progress) with the goal's own baseline year, target and
target year, and the same rule for old figures: a newest figure over five years old gets no
verdict.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from lokalmaal.indicators import analysis


@dataclass(frozen=True)
class FollowUp:
    latest_value: float | None
    latest_year: int | None
    status: str  # the indicator pages' status codes; "no_data" without a figure after baseline


def follow_up(
    figures: Mapping[int, float],
    direction: str,
    baseline_value: float | None,
    baseline_year: int | None,
    target_value: float | None,
    target_year: int | None,
    this_year: int,
) -> FollowUp:
    """Latest figure and status of one goal indicator. Figures before the baseline year are not
    progress towards the goal and are left out; the baseline itself counts as the first point."""
    since = {
        year: value
        for year, value in figures.items()
        if baseline_year is None or year >= baseline_year
    }
    if baseline_value is not None and baseline_year is not None:
        since.setdefault(baseline_year, baseline_value)
    latest_year = max(since) if since else None
    latest = since[latest_year] if latest_year is not None else None
    if latest_year is None or (latest_year == baseline_year and len(since) == 1):
        return FollowUp(latest, latest_year, "no_data" if latest is None else "insufficient_data")
    if analysis.is_outdated(latest_year, this_year):
        return FollowUp(latest, latest_year, "outdated")
    if direction not in analysis.DIRECTIONS:
        direction = "neutral"
    progress = analysis.assess_progress(
        since,
        direction,
        target_value,
        base_year=baseline_year or min(since),
        target_year=target_year or analysis.TARGET_YEAR,
    )
    return FollowUp(latest, latest_year, progress.status)
