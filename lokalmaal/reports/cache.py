"""Reports kept in Django's cache until the data or the region's published material changes.

A report reads loaded statistics (which change with the data version) and what the organisation
has published (goal sets, plan analyses, practice examples), so the key carries both: the data
version and a fingerprint of the published material's latest change.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Count, Max, Q

from lokalmaal.indicators.reads import data_version
from lokalmaal.regions.models import Region
from lokalmaal.reports.content import Report

SECONDS = 24 * 3600


def fingerprint(region: Region) -> str:
    """Changes whenever anything the report shows from published material may have changed.
    For a county it covers its municipalities too (the alignment section)."""
    from lokalmaal.arena.models import Example
    from lokalmaal.localgoals.models import Change, Workspace
    from lokalmaal.plans.models import PlanDocument

    regions = [region.pk, *region.children.values_list("pk", flat=True)]
    parts = [
        Workspace.objects.filter(organisation__region__in=regions).aggregate(
            n=Count("id"), published=Count("id", filter=Q(published=True)), last=Max("adopted_on")
        ),
        Change.objects.filter(workspace__organisation__region__in=regions).aggregate(
            last=Max("at"), n=Count("id")
        ),
        PlanDocument.objects.filter(organisation__region=region).aggregate(
            last=Max("updated_at"), n=Count("id")
        ),
        Example.objects.filter(organisations__region=region).aggregate(
            last=Max("updated_at"), n=Count("id")
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _key(region: Region, language: str, kind: str) -> str:
    return f"report:{kind}:{data_version()}:{fingerprint(region)}:{language}:{region.code}"


def report(region: Region, language: str, build: Callable[[], Report]) -> Report:
    key = _key(region, language, "data")
    found = cache.get(key)
    if isinstance(found, Report):
        return found
    built = build()
    cache.set(key, built, SECONDS)
    return built


def rendered(region: Region, language: str, fmt: str, render: Callable[[], bytes]) -> bytes:
    key = _key(region, language, fmt)
    found = cache.get(key)
    if isinstance(found, bytes):
        return found
    content = render()
    cache.set(key, content, SECONDS)
    return content
