"""Load the offline data bundle: validate every file first, then write all of it in one
transaction. A broken file stops the load before anything is written; loading twice changes
nothing."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from lokalmaal.catalogue.actions import do_sync_catalogue
from lokalmaal.catalogue.bundle import Catalogue, read_catalogue
from lokalmaal.indicators.actions import do_sync_indicators
from lokalmaal.indicators.bundle import IndicatorData, read_indicators
from lokalmaal.lib.datafiles import DataFileError
from lokalmaal.lib.sync import SyncResult
from lokalmaal.regions.actions import do_sync_regions
from lokalmaal.regions.bundle import RegionsData, read_regions

type Progress = Callable[[str, int, int], None]


@dataclass
class Bundle:
    catalogue: Catalogue
    regions: RegionsData
    indicators: IndicatorData


def read_bundle(folder: Path, progress: Progress | None = None) -> Bundle:
    """Read and validate everything; raises DataFileError naming the file, line and reason."""
    if not folder.is_dir():
        raise DataFileError(folder, 0, "the data folder does not exist")
    catalogue = read_catalogue(folder)
    if progress:
        progress("SDG catalogue", 1, 1)
    regions = read_regions(folder, progress) if progress else read_regions(folder)
    targets = {t.code for t in catalogue.targets}
    indicators = read_indicators(folder, targets, regions, progress)
    return Bundle(catalogue, regions, indicators)


@transaction.atomic
def do_load_bundle(bundle: Bundle, progress: Progress | None = None) -> dict[str, SyncResult]:
    results = do_sync_catalogue(bundle.catalogue)
    results.update(do_sync_regions(bundle.regions, progress))
    results.update(do_sync_indicators(bundle.indicators))
    return results
