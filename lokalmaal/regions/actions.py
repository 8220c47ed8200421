"""Writes to regions, code history and population. Run inside the bundle load's transaction."""

from collections.abc import Callable
from dataclasses import asdict

from lokalmaal.lib.sync import SyncResult, sync_table
from lokalmaal.regions.bundle import RegionsData
from lokalmaal.regions.models import (
    Boundary,
    CodeSuccessor,
    HistoricalCode,
    PopulationFigure,
    Region,
)


def do_sync_regions(
    data: RegionsData, progress: Callable[[str, int, int], None] | None = None
) -> dict[str, SyncResult]:
    results = {"regions": _sync_region_rows(data)}
    regions = {r.code: r for r in Region.objects.all()}
    results["boundaries"] = _sync_boundaries(data, regions)
    results["history"] = _sync_history(data, regions)
    population = {
        (p.code, p.year): {
            "region": regions[p.code],
            "year": p.year,
            "value": p.value,
            "estimated": p.estimated,
            "source": p.source,
        }
        for p in data.population
    }
    if progress:
        progress("population", len(population), len(population))
    results["population"] = sync_table(
        PopulationFigure.objects.select_related("region"),
        lambda f: (f.region.code, f.year),
        population,
        lambda fields: PopulationFigure(**fields),
    )
    return results


def _sync_region_rows(data: RegionsData) -> SyncResult:
    # Parents first: the country, then counties, then municipalities, so FKs resolve.
    result = SyncResult()
    for kind in ("country", "county", "municipality"):
        parents = {r.code: r for r in Region.objects.all()}
        wanted = {}
        for record in data.regions:
            if record.kind != kind:
                continue
            fields = asdict(record)
            del fields["boundary"]  # kept in its own table, see _sync_boundaries
            fields["parent"] = parents.get(record.parent) if record.parent else None
            wanted[record.code] = fields
        partial = sync_table(
            Region.objects.filter(kind=kind), lambda r: r.code, wanted, lambda f: Region(**f)
        )
        for name in ("created", "updated", "deleted", "unchanged"):
            setattr(result, name, getattr(result, name) + getattr(partial, name))
    return result


def _sync_boundaries(data: RegionsData, regions: dict[str, Region]) -> SyncResult:
    wanted = {
        record.code: {"region": regions[record.code], "geometry": record.boundary}
        for record in data.regions
        if record.boundary is not None
    }
    return sync_table(
        Boundary.objects.select_related("region"),
        lambda b: b.region.code,
        wanted,
        lambda f: Boundary(**f),
    )


def _sync_history(data: RegionsData, regions: dict[str, Region]) -> SyncResult:
    wanted = {
        (h.kind, h.code, h.valid_from): {
            "kind": h.kind,
            "code": h.code,
            "name": h.name,
            "valid_from": h.valid_from,
            "valid_to": h.valid_to,
        }
        for h in data.history
    }
    result = sync_table(
        HistoricalCode.objects.all(),
        lambda h: (h.kind, h.code, h.valid_from),
        wanted,
        lambda f: HistoricalCode(**f),
    )
    rows = {(h.kind, h.code, h.valid_from): h for h in HistoricalCode.objects.all()}
    successors = {
        (h.kind, h.code, h.valid_from, s.code): {
            "historical": rows[(h.kind, h.code, h.valid_from)],
            "region": regions[s.code],
            "weight": s.weight,
        }
        for h in data.history
        for s in h.successors
    }
    sync_table(
        CodeSuccessor.objects.select_related("historical", "region"),
        lambda s: (s.historical.kind, s.historical.code, s.historical.valid_from, s.region.code),
        successors,
        lambda f: CodeSuccessor(**f),
    )
    return result
