"""Refresh the SSB-sourced indicators from StatBank (`lokalmaal data update`).

Each indicator is fetched, validated and written in its own transaction, so an interruption or a
broken answer leaves every indicator either wholly updated or as it was; a run remembers what it
finished and `--resume` carries on from there.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from lokalmaal.indicators.models import DataVersion, Indicator, IndicatorValue
from lokalmaal.regions.models import Region, RegionKind
from lokalmaal.stats.jsonstat import Dataset, iter_observations, status_meaning
from lokalmaal.stats.pxweb import PxWebV2Client


@dataclass(frozen=True)
class Figure:
    region: str
    year: int
    value: float | None
    status: str
    period_start: int | None = None  # first year of a multi-year average such as "2023-2024"


def figures_from(dataset: Dataset, region_variable: str, time_variable: str) -> list[Figure]:
    """One figure per municipality and year; SSB's status symbols kept where there is no value."""
    if region_variable not in dataset.ids or time_variable not in dataset.ids:
        raise ValueError(
            f"the answer has dimensions {', '.join(dataset.ids)}, "
            f"not {region_variable} and {time_variable}"
        )
    region_at = dataset.ids.index(region_variable)
    time_at = dataset.ids.index(time_variable)
    figures = []
    for codes, value, status in iter_observations(dataset):
        region, period = codes[region_at], codes[time_at]
        if not (len(region) == 4 and region.isdigit() and period[:4].isdigit()):
            continue  # counties, KOSTRA groups and the country are not municipalities
        figures.append(_figure(region, period, value, status or ""))
    return figures


def _figure(region: str, period: str, value: float | None, status: str) -> Figure:
    """SSB's time codes are "2024" or, for multi-year averages, "2023-2024"; a figure is kept
    under the period's last year with its first year beside it."""
    first, _, last = period.partition("-")
    if len(last) >= 4 and last[:4].isdigit():
        return Figure(region, int(last[:4]), value, status, int(first[:4]))
    return Figure(region, int(period[:4]), value, status)


def _selection(indicator: Indicator) -> dict[str, list[str]]:
    raw = indicator.source.get("selection", {})
    return {
        key: [str(v) for v in (values if isinstance(values, list) else [values])]
        for key, values in raw.items()
    }


@transaction.atomic
def do_replace_values(indicator: Indicator, figures: Iterable[Figure]) -> int:
    """Write the indicator's figures for today's municipalities; codes of other years are left out
    rather than guessed (KOSTRA tables publish the current division)."""
    regions = {r.code: r for r in Region.objects.filter(kind=RegionKind.MUNICIPALITY)}
    rows = {}
    for figure in figures:
        region = regions.get(figure.region)
        if region is None:
            continue
        note = status_meaning(figure.status) or "" if figure.value is None and figure.status else ""
        rows[(region.code, figure.year)] = IndicatorValue(
            indicator=indicator, region=region, year=figure.year, period_start=figure.period_start,
            value=figure.value,
            status_symbol=figure.status[:3], note=note[:300],
        )  # fmt: skip
    IndicatorValue.objects.filter(indicator=indicator).delete()
    IndicatorValue.objects.bulk_create(rows.values(), batch_size=1000)
    DataVersion.bump()
    return len(rows)


def update(
    client: PxWebV2Client,
    indicators: list[Indicator],
    state_file: Path | None = None,
    resume: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Fetch and store each SSB indicator; returns rows written per indicator."""
    done: list[str] = []
    if resume and state_file and state_file.is_file():
        done = json.loads(state_file.read_text(encoding="utf-8")).get("done", [])
    written: dict[str, int] = {}
    for number, indicator in enumerate(indicators, start=1):
        if indicator.id not in done:
            source = indicator.source
            dataset = client.data(str(source["table"]), _selection(indicator))
            figures = figures_from(
                dataset,
                str(source.get("region_variable", "Region")),
                str(source.get("time_variable", "Tid")),
            )
            written[indicator.id] = do_replace_values(indicator, figures)
            done.append(indicator.id)
            if state_file:
                state_file.parent.mkdir(parents=True, exist_ok=True)
                state_file.write_text(json.dumps({"done": done}), encoding="utf-8")
        if progress:
            progress("SSB indicators", number, len(indicators))
    if state_file and state_file.is_file():
        state_file.unlink()  # a finished run starts from the beginning next time
    return written
