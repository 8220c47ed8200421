"""Read the indicator library and compute what the data bundle supports. No database."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lokalmaal.indicators.compute import SOURCES, Value, compute_bundle
from lokalmaal.indicators.frameworks import (
    Concept,
    FrameworkError,
    Scheme,
    match_candidates,
    read_frameworks,
)
from lokalmaal.indicators.library import IndicatorRecord, read_library
from lokalmaal.lib.datafiles import DataFileError
from lokalmaal.regions.bundle import RegionsData
from lokalmaal.regions.history import CodeHistory

FRAMEWORKS = Path("indicator-frameworks") / "ks-esg-indicator-ttl"
MATCH_THRESHOLD = 0.25  # below this a title overlap is mostly shared common words


@dataclass
class IndicatorData:
    library: list[IndicatorRecord]
    values: list[Value]
    schemes: list[Scheme] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    links: dict[str, list[str]] = field(default_factory=dict)  # indicator id → concept URIs


def read_indicators(
    bundle: Path,
    known_targets: set[str],
    regions: RegionsData,
    progress: Callable[[str, int, int], None] | None = None,
) -> IndicatorData:
    library = read_library(known_targets)
    population = {(p.code, p.year): p.value for p in regions.population}
    estimated = {(p.code, p.year) for p in regions.population if p.estimated}
    # Bundle indicators, and SSB indicators whose figures the bundle also carries offline.
    wanted = {r.id for r in library if r.source_kind == "bundle" or r.id in SOURCES}
    values = compute_bundle(
        bundle, CodeHistory(regions.history), population, wanted, progress, estimated
    )
    if not (bundle / FRAMEWORKS).is_dir():
        return IndicatorData(library, values)  # no vocabularies in this bundle: keep none
    try:
        schemes, concepts = read_frameworks(bundle / FRAMEWORKS)
    except FrameworkError as error:
        raise DataFileError(bundle / FRAMEWORKS, 0, str(error)) from None
    links = {
        record.id: [
            concept.uri
            for concept, score in match_candidates(
                concepts, record.texts["name_nb"], record.sdg_targets, limit=3
            )
            if score >= MATCH_THRESHOLD
        ]
        for record in library
    }
    return IndicatorData(library, values, schemes, concepts, links)
