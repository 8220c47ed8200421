"""Make a table hold exactly a given set of rows, touching only what differs.

Imports use this so that loading the same data twice writes nothing and reports every row as
unchanged. Callers run it inside their own transaction.
"""

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return (
            f"{self.total} rows ({self.created} new, {self.updated} changed, "
            f"{self.deleted} removed, {self.unchanged} unchanged)"
        )


def sync_table[M: models.Model, K: Hashable](
    queryset: "models.QuerySet[M]",
    key: Callable[[M], K],
    wanted: Mapping[K, dict[str, Any]],
    build: Callable[[dict[str, Any]], M],
) -> SyncResult:
    """Create, update and delete rows of `queryset` so that it matches `wanted` (key → fields)."""
    result = SyncResult()
    existing = {key(obj): obj for obj in queryset}
    to_update: list[M] = []
    changed_fields: set[str] = set()
    for item_key, fields in wanted.items():
        obj = existing.get(item_key)
        if obj is None:
            continue
        diff = {name for name, value in fields.items() if getattr(obj, name) != value}
        if diff:
            for name in diff:
                setattr(obj, name, fields[name])
            changed_fields |= diff
            to_update.append(obj)
        else:
            result.unchanged += 1
    stale = [obj.pk for item_key, obj in existing.items() if item_key not in wanted]
    if stale:
        queryset.model._default_manager.filter(pk__in=stale).delete()
        result.deleted = len(stale)
    if to_update:
        queryset.model._default_manager.bulk_update(to_update, sorted(changed_fields), 500)
        result.updated = len(to_update)
    new = [build(fields) for item_key, fields in wanted.items() if item_key not in existing]
    if new:
        queryset.model._default_manager.bulk_create(new, 500)
        result.created = len(new)
    return result
