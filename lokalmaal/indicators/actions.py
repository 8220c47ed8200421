"""Writes to the indicator library and values; proposals and their support."""

from django.db import transaction

from lokalmaal.accounts.models import User
from lokalmaal.catalogue.models import Target
from lokalmaal.indicators.bundle import IndicatorData
from lokalmaal.indicators.models import (
    DataVersion,
    FrameworkConcept,
    Indicator,
    IndicatorValue,
    Proposal,
)
from lokalmaal.lib.sync import SyncResult, sync_table
from lokalmaal.regions.models import Region


def do_sync_indicators(data: IndicatorData) -> dict[str, SyncResult]:
    """Run inside the bundle load's transaction."""
    wanted = {}
    for record in data.library:
        fields: dict[str, object] = dict(record.texts)
        fields.update(
            id=record.id, direction=record.direction, evaluation_type=record.evaluation_type,
            quality_class=record.quality_class, levels=list(record.levels), kostra=record.kostra,
            source_kind=record.source_kind, source=record.source, computation=record.computation,
            target_2030=record.target_2030, target_citation=record.target_citation,
            position=record.position,
        )  # fmt: skip
        wanted[record.id] = fields
    results = {
        "indicators": sync_table(
            Indicator.objects.all(), lambda i: i.id, wanted, lambda f: Indicator(**f)
        )
    }
    targets = {t.code: t for t in Target.objects.all()}
    for record in data.library:
        indicator = Indicator.objects.get(id=record.id)
        wanted_targets = {targets[code] for code in record.sdg_targets}
        if set(indicator.targets.all()) != wanted_targets:
            indicator.targets.set(wanted_targets)
    regions = {r.code: r for r in Region.objects.all()}
    values = {
        (v.indicator, v.region, v.year): {
            "indicator_id": v.indicator,
            "region": regions[v.region],
            "year": v.year,
            "value": v.value,
            "period_start": v.period_start,
            "estimated": v.estimated,
            "note": v.note[:300],
            "inherited_from": v.inherited_from[:120],
        }
        for v in data.values
        if v.region in regions
    }
    results["framework concepts"] = _sync_frameworks(data)
    results["indicator values"] = sync_table(
        IndicatorValue.objects.select_related("region"),
        lambda v: (v.indicator_id, v.region.code, v.year),
        values,
        lambda f: IndicatorValue(**f),
    )
    DataVersion.bump()
    return results


def _sync_frameworks(data: IndicatorData) -> SyncResult:
    titles = {s.uri: s.title for s in data.schemes}
    wanted = {
        c.uri: {
            "uri": c.uri,
            "scheme_uri": c.scheme_uri,
            "scheme_title": titles.get(c.scheme_uri, ""),
            "title": c.title,
            "language": c.language,
            "targets": list(c.sdg_targets),
            "coverage": c.coverage,
            "evaluation": ", ".join(c.evaluation)[:20],
            "source_url": c.source_url[:500],
        }
        for c in data.concepts
    }
    result = sync_table(
        FrameworkConcept.objects.all(), lambda c: c.uri, wanted, lambda f: FrameworkConcept(**f)
    )
    by_uri = {c.uri: c for c in FrameworkConcept.objects.all()}
    for indicator in Indicator.objects.prefetch_related("concepts"):
        linked = {by_uri[uri] for uri in data.links.get(indicator.id, []) if uri in by_uri}
        if set(indicator.concepts.all()) != linked:
            indicator.concepts.set(linked)
    return result


@transaction.atomic
def do_propose(
    user: User, title: str, what: str, why: str, target: Target, source: str
) -> Proposal:
    proposal = Proposal.objects.create(
        title=title, what=what, why=why, target=target, possible_source=source, created_by=user
    )
    proposal.supporters.add(user)
    return proposal


@transaction.atomic
def do_support(proposal: Proposal, user: User, support: bool) -> None:
    if support:
        proposal.supporters.add(user)
    else:
        proposal.supporters.remove(user)
