"""Follow-up of local goals year by year: baseline → latest figure → target, and whether each goal
indicator is on track.

The verdict uses the indicator pages' method (indicators/analysis.py, Open SDG's progress
measure) with the goal's own numbers: the adopted baseline is the starting point, the goal's
target value and year give the required yearly change, and a newest figure more than five years
old gets "outdated" instead of a verdict. Status codes are the indicator pages' codes.

`assess` is pure (plain numbers in, plain data out). `workspace_follow_up` and
`published_follow_up` read the database; other code (reports, the API) should call those:

    from lokalmaal.localgoals.followup import published_follow_up
    for goal_set in published_follow_up("1577", "nn"):
        for goal in goal_set.goals:
            for row in goal.indicators:
                row.baseline_value, row.latest_value, row.target_value, row.status
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel

from lokalmaal.indicators import analysis, explain
from lokalmaal.indicators.labels import status_label, status_symbol

NO_LIBRARY = "no_data"  # a goal indicator typed by hand has no figures to follow


@dataclass(frozen=True)
class YearStatus:
    year: int
    value: float
    status: str


@dataclass(frozen=True)
class Assessment:
    latest_value: float | None
    latest_year: int | None
    status: str
    explanation: str
    years: tuple[YearStatus, ...]  # the status as it stood after each year's figure


def decimals_for(values: list[float]) -> int:
    """How many decimals a figure of this indicator deserves: 0 from 100 up, 1 from 1, else 2.
    The library has no precision field, so the size of its own figures decides."""
    finite = sorted(abs(v) for v in values if math.isfinite(v))
    if not finite:
        return 1
    typical = finite[len(finite) // 2]
    return 0 if typical >= 100 else 1 if typical >= 1 else 2


def rounded(value: float | None, decimals: int) -> float | None:
    return None if value is None else round(value, decimals)


def _verdict(
    values: dict[int, float],
    direction: str,
    baseline_year: int,
    target_value: float | None,
    target_year: int | None,
    language: str,
    window: int,
) -> tuple[str, str]:
    # Multi-year averages: compare windows that do not overlap, always from the baseline.
    compared = {
        y: v
        for y, v in analysis.non_overlapping(values, window).items()
        if v is not None and (y == baseline_year or y - baseline_year >= window)
    }
    compared[baseline_year] = values[baseline_year]
    usable_target = target_value if target_year else None
    progress = analysis.assess_progress(
        compared,
        direction,
        usable_target,
        base_year=baseline_year,
        target_year=target_year or analysis.TARGET_YEAR,
    )
    label = status_label(progress.status, language)
    sentence = explain.explain(
        progress,
        direction,
        usable_target,
        label,
        language,
        target_year=target_year or analysis.TARGET_YEAR,
    )
    return progress.status, sentence


def assess(
    series: Mapping[int, float],
    direction: str,
    baseline_value: float | None,
    baseline_year: int | None,
    target_value: float | None,
    target_year: int | None,
    *,
    this_year: int,
    language: str = "nb",
    window: int = 1,
) -> Assessment:
    """Where a goal indicator stands: the newest figure after the baseline and the status.

    `series` is the municipality's figures by year; the adopted baseline replaces the figure of
    its own year (the council adopted that number). `window` is the years in one figure for
    multi-year averages, compared only across windows that do not overlap.
    """
    values = {int(y): float(v) for y, v in series.items() if v is not None and math.isfinite(v)}
    if baseline_year is not None:
        values = {y: v for y, v in values.items() if y >= baseline_year}
        if baseline_value is not None:
            values[baseline_year] = baseline_value
    if not values:
        return Assessment(None, None, "no_data", "", ())
    latest_year = max(values)
    latest_value = values[latest_year]
    if analysis.is_outdated(latest_year, this_year):
        sentence = explain.outdated(str(latest_year), analysis.OUTDATED_AFTER, language)
        return Assessment(latest_value, latest_year, "outdated", sentence, ())
    base = baseline_year if baseline_year in values else min(values)
    years = []
    for year in sorted(values):
        if year <= base:
            continue
        upto = {y: v for y, v in values.items() if y <= year}
        status, _sentence = _verdict(upto, direction, base, target_value, target_year, language, 1)
        years.append(YearStatus(year, values[year], status))
    status, sentence = _verdict(
        values, direction, base, target_value, target_year, language, window
    )
    return Assessment(latest_value, latest_year, status, sentence, tuple(years))


# --- Reading goal sets from the database ------------------------------------------------------


class YearOut(BaseModel):
    year: int
    value: float
    status: str
    status_label: str


class IndicatorFollowUp(BaseModel):
    name: str
    unit: str
    direction: str
    library_id: str
    baseline_value: float | None
    baseline_year: int | None
    latest_value: float | None
    latest_year: int | None
    target_value: float | None
    target_year: int | None
    status: str  # the indicator pages' codes, plus "outdated" and "no_data"
    status_label: str
    status_symbol: str
    explanation: str
    decimals: int
    years: list[YearOut]


class MeasureOut(BaseModel):
    id: int
    title: str
    owner: str
    deadline: date | None
    status: str
    kostra_functions: str
    plan_link: str


class GoalFollowUp(BaseModel):
    id: int
    kind: str
    title: str
    parent_id: int | None
    targets: list[str]
    indicators: list[IndicatorFollowUp]
    measures: list[MeasureOut]


class GoalSetFollowUp(BaseModel):
    workspace_id: int
    title: str
    organisation: str
    region_code: str | None
    language: str
    adopted_on: date | None
    case_number: str
    version: int | None  # the adopted version shown; None for the working draft
    goals: list[GoalFollowUp]


def _window(library_id: str, region_code: str) -> int:
    from lokalmaal.indicators.models import IndicatorValue

    starts = IndicatorValue.objects.filter(
        indicator_id=library_id, region__code=region_code
    ).exclude(period_start=None)
    pairs = starts.values_list("year", "period_start")
    return max((year - start + 1 for year, start in pairs if start is not None), default=1)


def follow_indicator(
    row: Mapping[str, object], region_code: str | None, language: str, this_year: int
) -> IndicatorFollowUp:
    """One goal indicator (a dict with the GoalIndicator fields) followed up in its region."""
    from lokalmaal.indicators.reads import region_series

    library_id = str(row.get("library_id") or "")
    series = region_series(library_id, region_code) if library_id and region_code else {}
    baseline_value = _float(row.get("baseline_value"))
    baseline_year = _int(row.get("baseline_year"))
    target_value = _float(row.get("target_value"))
    target_year = _int(row.get("target_year"))
    direction = str(row.get("direction") or "neutral")
    if series:
        result = assess(
            series,
            direction,
            baseline_value,
            baseline_year,
            target_value,
            target_year,
            this_year=this_year,
            language=language,
            window=_window(library_id, region_code or ""),
        )
    else:
        result = Assessment(None, None, NO_LIBRARY, "", ())
    decimals = decimals_for(
        list(series.values()) or [v for v in (baseline_value,) if v is not None]
    )
    return IndicatorFollowUp(
        name=str(row.get("name") or ""),
        unit=str(row.get("unit") or ""),
        direction=direction,
        library_id=library_id,
        baseline_value=baseline_value,
        baseline_year=baseline_year,
        latest_value=rounded(result.latest_value, decimals),
        latest_year=result.latest_year,
        target_value=target_value,
        target_year=target_year,
        status=result.status,
        status_label=status_label(result.status, language),
        status_symbol=status_symbol(result.status),
        explanation=result.explanation,
        decimals=decimals,
        years=[
            YearOut(
                year=y.year,
                value=round(y.value, decimals),
                status=y.status,
                status_label=status_label(y.status, language),
            )
            for y in result.years
        ],
    )


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def workspace_follow_up(
    workspace_id: int, language: str, *, adopted_only: bool, this_year: int | None = None
) -> GoalSetFollowUp | None:
    """A workspace's goals followed up: the newest adopted version when `adopted_only` (what
    the public sees), otherwise the working goals. None when nothing has been adopted yet."""
    from django.utils import timezone

    from lokalmaal.localgoals import versions
    from lokalmaal.localgoals.models import Workspace
    from lokalmaal.localgoals.reads import workspace_language

    workspace = Workspace.objects.select_related("organisation__region").get(pk=workspace_id)
    language = workspace_language(workspace, language) if language != "en" else "en"
    content = versions.shown_content(workspace, adopted_only=adopted_only)
    if content is None:
        return None
    region = workspace.organisation.region
    year = this_year or timezone.localdate().year
    code = region.code if region else None
    goals = [
        GoalFollowUp(
            id=goal["id"],
            kind=goal["kind"],
            title=goal["title"],
            parent_id=goal.get("parent_id"),
            targets=[t["code"] for t in goal["targets"]],
            indicators=[follow_indicator(i, code, language, year) for i in goal["indicators"]],
            measures=[MeasureOut(**m) for m in goal.get("measures", [])],
        )
        for goal in content.goals
    ]
    return GoalSetFollowUp(
        workspace_id=workspace.pk,
        title=workspace.title,
        organisation=workspace.organisation.name,
        region_code=code,
        language=language,
        adopted_on=content.adopted_on,
        case_number=content.case_number,
        version=content.number,
        goals=goals,
    )


def published_follow_up(region_code: str, language: str) -> list[GoalSetFollowUp]:
    """Every published goal set of a municipality or county, as adopted, followed up."""
    from lokalmaal.localgoals.models import Workspace

    ids = (
        Workspace.objects.filter(
            published=True, organisation__region__code=region_code, versions__isnull=False
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    found = [workspace_follow_up(pk, language, adopted_only=True) for pk in ids]
    return [f for f in found if f is not None]
