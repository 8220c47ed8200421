"""Read the indicator library and compute what the data bundle supports. No database."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lokalmaal.indicators.compute import Value, compute_bundle
from lokalmaal.indicators.library import IndicatorRecord, read_library
from lokalmaal.regions.bundle import RegionsData
from lokalmaal.regions.history import CodeHistory


@dataclass
class IndicatorData:
    library: list[IndicatorRecord]
    values: list[Value]


def read_indicators(
    bundle: Path,
    known_targets: set[str],
    regions: RegionsData,
    progress: Callable[[str, int, int], None] | None = None,
) -> IndicatorData:
    library = read_library(known_targets)
    population = {(p.code, p.year): p.value for p in regions.population}
    wanted = {record.id for record in library if record.source_kind == "bundle"}
    values = compute_bundle(bundle, CodeHistory(regions.history), population, wanted, progress)
    return IndicatorData(library, values)
