"""Progress status and trend for one indicator series. Pure functions over plain data; no Django.

The method is the progress measure of Statistics Canada that Open SDG ships (METHOD.md has the
whole story and the sources):

* Open SDG documentation, "Progress Measurement Methodology for the Sustainable Development
  Goals": https://open-sdg.readthedocs.io/en/latest/progress-methodology/
  (repository open-sdg/open-sdg, docs/progress-methodology.md);
* Open SDG's implementation, sdg-build `sdg/ProgressMeasure.py` (repository open-sdg/sdg-build,
  `growth_calculation`, `methodology_1`, `methodology_2`, `get_progress_thresholds`,
  `get_progress_status`);
* Statistics Canada, "Progress Measurement for Canada's Sustainable Development Goals":
  https://sdgcif-data-canada-oddcic-donnee.github.io/methodology

Lokalmål's deviations from Open SDG are marked "Lokalmål:" below and listed in METHOD.md.
"""

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, replace

DIRECTIONS = ("higher", "lower", "neutral")
STATUSES = (
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
    "insufficient_data",
    "not_assessed",  # neutral direction: no status, only the trend
)
# "rising"/"falling" only for neutral indicators, where "improving" would be a value judgement.
TRENDS = ("improving", "stable", "worsening", "rising", "falling", "unknown")
STATUS_LABELS = {
    "target_achieved": "target achieved",
    "substantial_progress": "substantial progress",
    "moderate_progress": "moderate progress",
    "limited_progress": "limited progress",
    "deterioration": "deterioration",
    "insufficient_data": "insufficient data",
    "not_assessed": "no progress status (no preferred direction)",
}

BASE_YEAR = 2015  # Open SDG/Statistics Canada: the 2030 Agenda was adopted in 2015
TARGET_YEAR = 2030
# Cut-offs (substantial, moderate, limited) from sdg-build's get_progress_thresholds:
# ratio of observed to required growth with a target, observed growth without one.
RATIO_CUTOFFS = (0.95, 0.6, 0.0)
GROWTH_CUTOFFS = (0.015, 0.005, 0.0)
# Lokalmål: classify the figures as they are shown (ratio in whole per cent, growth in 0.1 %),
# so the status never contradicts the number on the page and float noise at a cut-off
# (1.015 − 1 = 0.01499999…) cannot flip it.
RATIO_DIGITS = 2
GROWTH_DIGITS = 3
LIMIT_EXPONENT = 4.44  # sdg-build's exponent `a` for the natural-limit scaling factor C
NBSP = "\u00a0"
MINUS = "\u2212"


@dataclass(frozen=True)
class Progress:
    """The assessment of one series.

    `observed_growth` and `required_growth` are annual rates of the value itself (+ rising,
    − falling; 0.012 = 1.2 % a year): compound (CAGR) or, with method "linear", straight-line
    change relative to the base value (to the values' average size when the base is 0). `ratio` is the observed pace as a share of the pace the
    2030 target needs, counted in the desired direction (1.0 = exactly on pace, < 0 = moving
    away). Raw floats: rounding happens only when classifying and in `explanation`.
    """

    status: str
    trend: str
    base_year: int | None
    latest_year: int | None
    base_value: float | None
    latest_value: float | None
    observed_growth: float | None
    required_growth: float | None
    ratio: float | None
    method: str  # "cagr", "linear" or "none" (nothing could be computed)
    explanation: str


@dataclass(frozen=True)
class _Span:
    """The two observations compared, and the level that linear change is relative to."""

    base_year: int
    latest_year: int
    base_value: float
    latest_value: float
    level: float


def assess_progress(
    values: Mapping[int, float | None],
    direction: str,
    target: float | None = None,
    *,
    base_year: int = BASE_YEAR,
    target_year: int = TARGET_YEAR,
    limit: float | None = None,
) -> Progress:
    """Status and trend of a series `{year: value}` (None/NaN = no value; gaps are fine).

    `direction` is "higher", "lower" or "neutral" (which way is better); `target` the value
    wanted in `target_year`; `limit` an optional natural limit in the desired direction (e.g.
    100 for a share that should rise), which lowers the no-target cut-offs near it as in
    sdg-build. Fewer than two years with values gives "insufficient_data".
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    points = _clean(values)
    if len(points) < 2:
        return _insufficient(points)
    span = _span(points, base_year, target)
    method = "cagr" if _exponential_fits(span, target) else "linear"
    observed = _rate(span, span.latest_value, span.latest_year, method)
    usable = target if target is not None and target_year > span.base_year else None
    required = _rate(span, usable, target_year, method) if usable is not None else None
    ratio = _ratio(observed, required, direction)
    status = _status(span, observed, ratio, direction, usable, limit)
    if _achieved(span.latest_value, target, direction):
        status = "target_achieved"  # Open SDG: reaching the target beats any pace
    progress = Progress(
        status=status,
        trend=_trend(observed, direction),
        base_year=span.base_year,
        latest_year=span.latest_year,
        base_value=span.base_value,
        latest_value=span.latest_value,
        observed_growth=observed,
        required_growth=required,
        ratio=ratio,
        method=method,
        explanation="",
    )
    factor = _limit_factor(span, direction, limit)
    return replace(progress, explanation=_explain(progress, direction, target, target_year, factor))


OUTDATED_AFTER = 5  # years: a newest figure older than this gets no progress verdict


def is_outdated(latest_year: int, current_year: int) -> bool:
    """Lokalmål: a series whose newest figure is more than five years old says nothing about
    progress now, so it gets status "outdated" instead of a verdict."""
    return current_year - latest_year > OUTDATED_AFTER


def non_overlapping(values: Mapping[int, float | None], window: int) -> dict[int, float | None]:
    """For moving averages over `window` years (2008–2012, 2009–2013, …), the windows that do
    not overlap, counted back from the newest: comparing overlapping windows one year apart
    would count most years on both sides."""
    if window <= 1 or not values:
        return dict(values)
    kept: dict[int, float | None] = {}
    year = max(values)
    while year >= min(values):
        if year in values:
            kept[year] = values[year]
            year -= window
        else:
            year -= 1
    return kept


def distance_to_target(
    latest_value: float | None, target: float | None, direction: str
) -> float | None:
    """Signed distance `target − latest` in the indicator's unit; 0 when the target is reached
    or passed in the good direction. Neutral indicators get the plain difference."""
    if latest_value is None or target is None:
        return None
    gap = target - latest_value
    if direction == "higher":
        return max(gap, 0.0)
    if direction == "lower":
        return min(gap, 0.0)
    return gap


def years_to_target(progress: Progress, target: float, direction: str) -> float | None:
    """Years after `progress.latest_year` until `target` is reached if the pace between base and
    latest year continues (compound for method "cagr", straight-line for "linear"); 0 when
    already reached, None when the target is never reached at this pace."""
    p = progress
    if p.base_year is None or p.latest_year is None or p.base_value is None:
        return None
    if p.latest_value is None:
        return None
    if distance_to_target(p.latest_value, target, direction) == 0:
        return 0.0
    span = p.latest_year - p.base_year
    if p.method == "cagr":
        years = _years_compound(p.base_value, p.latest_value, target, span)
    else:
        years = _years_straight(p.base_value, p.latest_value, target, span)
    return years if years is not None and years > 0 else None


def format_number(value: float) -> str:
    """A number for English explanation text: four significant digits (at most three decimals),
    a no-break space between thousands and a real minus sign, e.g. 11093 → "11 093",
    101.94 → "101.9", 3.456 → "3.456", −0.5 → "−0.5"."""
    size = abs(value)
    magnitude = math.floor(math.log10(size)) if size else 0
    decimals = min(3, max(0, 3 - magnitude))
    text = f"{size:,.{decimals}f}".replace(",", NBSP)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return (MINUS if value < 0 and text != "0" else "") + text


# Data preparation


def _clean(values: Mapping[int, float | None]) -> list[tuple[int, float]]:
    return sorted(
        (int(year), float(value))
        for year, value in values.items()
        if value is not None and math.isfinite(value)
    )


def _insufficient(points: list[tuple[int, float]]) -> Progress:
    year, value = points[0] if points else (None, None)
    if year is None:
        sentence = "There are no values, so progress cannot be assessed."
    else:
        sentence = f"There is only one year with data ({year}), so progress cannot be assessed."
    return Progress(
        "insufficient_data", "unknown", None, year, None, value, None, None, None, "none", sentence
    )


def _span(points: list[tuple[int, float]], preferred: int, target: float | None) -> _Span:
    base = _base_year([year for year, _ in points], preferred)
    by_year = dict(points)
    latest = points[-1][0]
    used = [value for year, value in points if base <= year <= latest]
    return _Span(base, latest, by_year[base], by_year[latest], _level(by_year[base], used, target))


def _base_year(years: list[int], preferred: int) -> int:
    """Open SDG: the preferred year (2015) if it has data, else the first year after it.
    Lokalmål: with fewer than two years from then on, take the closest earlier year rather than
    give up (Statistics Canada itself allows 2014 for infrequent series)."""
    later = [year for year in years if year >= preferred]
    if len(later) >= 2:
        return later[0]
    return max(year for year in years if year < min(preferred, years[-1]))


def _level(base_value: float, used: list[float], target: float | None) -> float:
    """What linear change is relative to: the base value; when that is zero, the average size
    of the values compared (Lokalmål: avoids dividing by zero without a made-up constant)."""
    if base_value != 0:
        return abs(base_value)
    mean_size = statistics.fmean(abs(value) for value in used)
    if mean_size != 0:
        return mean_size
    return abs(target) if target else 1.0


# Growth


def _exponential_fits(span: _Span, target: float | None) -> bool:
    """CAGR needs base, latest (and target) strictly on the same side of zero; all-negative
    series are fine, as in sdg-build (it flips the sign). Lokalmål: otherwise use straight-line
    change instead of Open SDG's replacement of zeros by 0.001 or "not available"."""
    sides = [span.base_value, span.latest_value] + ([target] if target is not None else [])
    return all(value > 0 for value in sides) or all(value < 0 for value in sides)


def _rate(span: _Span, value: float, year: int, method: str) -> float:
    """Annual rate of the value from the base to (year, value): + rising, − falling."""
    years = year - span.base_year
    if method == "cagr":
        cagr = float((value / span.base_value) ** (1 / years)) - 1
        # For negative values CAGR measures the size; the sign turns it into the value's change.
        return cagr if span.base_value > 0 else -cagr
    return (value - span.base_value) / years / span.level


def _ratio(observed: float, required: float | None, direction: str) -> float | None:
    """sdg-build methodology_2: d · CAGR_observed / |CAGR_required|. The absolute value keeps
    the sign meaningful when the target lies behind the base value (base already met it)."""
    if required is None or required == 0 or direction == "neutral":
        return None
    return _sign(direction) * observed / abs(required)


def _sign(direction: str) -> int:
    return 1 if direction == "higher" else -1


def _achieved(latest: float, target: float | None, direction: str) -> bool:
    """sdg-build is_target_achieved: at or past the target in the desired direction."""
    if target is None or direction == "neutral":
        return False
    return latest >= target if direction == "higher" else latest <= target


# Classification


def _status(
    span: _Span,
    observed: float,
    ratio: float | None,
    direction: str,
    target: float | None,
    limit: float | None,
) -> str:
    if direction == "neutral":
        return "not_assessed"
    if target is None:
        cutoffs = tuple(c * _limit_factor(span, direction, limit) for c in GROWTH_CUTOFFS)
        return _classify(round(_sign(direction) * observed, GROWTH_DIGITS), cutoffs)
    if ratio is None:
        # Required pace 0: the target equals the base value and is not reached now, so the
        # value has moved the wrong way.
        return "deterioration"
    return _classify(round(ratio, RATIO_DIGITS), RATIO_CUTOFFS)


def _classify(value: float, cutoffs: tuple[float, ...]) -> str:
    """sdg-build get_progress_status: each cut-off is the lower, inclusive bound."""
    substantial, moderate, limited = cutoffs
    if value >= substantial:
        return "substantial_progress"
    if value >= moderate:
        return "moderate_progress"
    if value >= limited:
        return "limited_progress"
    return "deterioration"


def _limit_factor(span: _Span, direction: str, limit: float | None) -> float:
    """sdg-build's scaling factor C (0…1) for the no-target cut-offs near a natural limit. Only a
    limit ahead in the desired direction counts (Open SDG documentation)."""
    if limit is None or direction == "neutral":
        return 1.0
    if _sign(direction) * (limit - span.base_value) < 0:
        return 1.0
    base, edge = abs(span.base_value), abs(limit)
    if base >= 2 * edge:
        return 1.0
    if base <= edge:
        return float(1 - (base / edge) ** LIMIT_EXPONENT)
    return float(1 - ((2 * edge - base) / edge) ** LIMIT_EXPONENT)


def _trend(observed: float, direction: str) -> str:
    """Lokalmål: "stable" when the annual change rounds to 0.0 %; otherwise the sign of the
    change, read against the desired direction."""
    rate = round(observed, GROWTH_DIGITS)
    if rate == 0:
        return "stable"
    if direction == "neutral":
        return "rising" if rate > 0 else "falling"
    return "improving" if _sign(direction) * rate > 0 else "worsening"


# Time to target


def _years_compound(base: float, latest: float, target: float, span: int) -> float | None:
    factor = latest / base
    if factor <= 0 or factor == 1 or target / latest <= 0:
        return None
    return math.log(target / latest) / math.log(factor) * span


def _years_straight(base: float, latest: float, target: float, span: int) -> float | None:
    slope = (latest - base) / span
    return (target - latest) / slope if slope != 0 else None


# Explanation

LINEAR_NOTE = ", as straight-line change because zero or negative values rule out compound growth"


def _signed_percent(rate: float) -> str:
    shown = round(rate, GROWTH_DIGITS)
    sign = MINUS if shown < 0 else "+" if shown > 0 else ""
    return f"{sign}{abs(shown) * 100:.1f}%"


def _explain(
    p: Progress, direction: str, target: float | None, target_year: int, factor: float
) -> str:
    return f"{_change_clause(p)}; {_judgement(p, direction, target, target_year, factor)}."


def _change_clause(p: Progress) -> str:
    assert p.base_value is not None  # set for every assessment that gets this far
    assert p.latest_value is not None
    assert p.observed_growth is not None
    start, end = format_number(p.base_value), format_number(p.latest_value)
    if p.latest_value == p.base_value:
        moved = f"stayed at {start}"
    else:
        moved = f"{'rose' if p.latest_value > p.base_value else 'fell'} from {start} to {end}"
    pace = f"{_signed_percent(p.observed_growth)} a year"
    if p.method == "linear":
        pace += LINEAR_NOTE
    return f"From {p.base_year} to {p.latest_year} the value {moved} ({pace})"


def _judgement(
    p: Progress, direction: str, target: float | None, target_year: int, factor: float
) -> str:
    label = STATUS_LABELS[p.status]
    if direction == "neutral":
        return "the indicator has no preferred direction, so no progress status is given"
    if target is not None and p.status == "target_achieved":
        return f"it has reached the {target_year} target of {format_number(target)}"
    if target is None or p.required_growth is None:
        near = ", with cut-offs lowered near the natural limit" if factor < 1 else ""
        return f"with no target to compare with, this pace counts as {label}{near}"
    goal = f"the {target_year} target of {format_number(target)}"
    if p.ratio is None:
        return f"{goal} equals the {p.base_year} value, and the value has moved away: {label}"
    need = f"reaching {goal} needs {_signed_percent(p.required_growth)} a year"
    shown = round(p.ratio, RATIO_DIGITS)
    if shown < 0:
        return f"{need}, but the value is moving away from it: {label}"
    return f"{need}, so the pace is {shown * 100:.0f}% of what is needed: {label}"
