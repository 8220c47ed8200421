"""What the public may see of goal sets: published sets and the priorities of their newest adopted
version (localgoals/versions.py), never the working goals of a set under revision. The report,
the alignment and the national overview all count priorities through here."""

from collections.abc import Iterable

from django.db.models import Count, Max, Q, QuerySet

from lokalmaal.localgoals import versions
from lokalmaal.localgoals.models import Priority, Workspace
from lokalmaal.regions.models import Region


def published_sets() -> "QuerySet[Workspace]":
    """Published goal sets with an adopted version (publishing needs one, see do_set_published)."""
    return (
        Workspace.objects.filter(published=True, versions__isnull=False)
        .distinct()
        .select_related("organisation__region__parent")
    )


def adopted_priorities(workspaces: Iterable[Workspace]) -> dict[int, list[str]]:
    """Workspace id → target codes its newest adopted version prioritises."""
    result: dict[int, list[str]] = {}
    for workspace in workspaces:
        version = versions.latest(workspace)
        if version is not None:
            result[workspace.pk] = [str(c) for c in version.content.get("priorities", [])]
    return result


def county_fingerprint(county: Region) -> str:
    """Changes whenever what the county's alignment shows may change: a goal set of the county or
    its municipalities published, unpublished or adopted anew, or a priority added or removed."""
    sets = (
        Workspace.objects.filter(published=True)
        .filter(Q(organisation__region=county) | Q(organisation__region__parent=county))
        .values_list("pk")
        .annotate(newest=Max("versions__id"))
        .order_by("pk")
    )
    priorities = Priority.objects.filter(workspace__organisation__region__parent=county).aggregate(
        count=Count("id"), newest=Max("id")
    )
    return f"{list(sets)}|{priorities['count']}|{priorities['newest']}"
