"""What the public may see of goal sets: published sets and the priorities of their newest adopted
version (localgoals/versions.py), never the working goals of a set under revision. The report,
the alignment and the national overview all count priorities through here."""

from collections.abc import Iterable

from django.db.models import QuerySet

from lokalmaal.localgoals import versions
from lokalmaal.localgoals.models import Workspace


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
