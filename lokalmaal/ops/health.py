"""The state of each part an app server depends on, for /helse/ and the load balancer."""

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from lokalmaal.indicators.models import DataVersion
from lokalmaal.ops.models import WorkerHeartbeat

PARTS = ("database", "cache", "worker")


@dataclass
class Part:
    ok: bool
    detail: dict[str, object] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"ok": self.ok, **self.detail}


def check_database() -> Part:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "not well"; the kind is enough to act on
        return Part(False, {"error": type(error).__name__})
    return Part(True, {"ms": round((time.perf_counter() - started) * 1000, 1)})


def check_cache() -> Part:
    """Write and read back a short-lived key, so a cache that accepts nothing is noticed."""
    started = time.perf_counter()
    key, token = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, token, 10)
        ok = cache.get(key) == token
        cache.delete(key)
    except Exception as error:
        return Part(False, {"error": type(error).__name__})
    backend = str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]
    detail: dict[str, object] = {"backend": backend, "shared": settings.SHARED_CACHE}
    detail["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return Part(ok, detail)


def check_worker(now: datetime | None = None) -> Part:
    """Well when some task worker wrote its heartbeat within LOKALMAAL_WORKER_STALE_SECONDS."""
    now = now or timezone.now()
    try:
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)
        seen = last.first()
        alive = WorkerHeartbeat.objects.filter(
            seen_at__gte=now - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        ).count()
    except Exception as error:
        return Part(False, {"error": type(error).__name__})
    if seen is None:
        return Part(False, {"last_heartbeat": None, "workers": 0})
    age = (now - seen).total_seconds()
    return Part(
        alive > 0,
        {"last_heartbeat": seen.isoformat(), "age_seconds": round(age, 1), "workers": alive},
    )


def check_data_version() -> int | None:
    try:
        return DataVersion.current()
    except Exception:
        return None


def report(parts: tuple[str, ...] = PARTS) -> tuple[bool, dict[str, object]]:
    """Whether every asked-for part is well, and the JSON body of /helse/."""
    checks = {"database": check_database, "cache": check_cache, "worker": check_worker}
    results = {name: checks[name]() for name in parts}
    ok = all(part.ok for part in results.values())
    body: dict[str, object] = {"status": "ok" if ok else "error"}
    body.update({name: part.as_json() for name, part in results.items()})
    body["data_version"] = check_data_version()
    return ok, body
