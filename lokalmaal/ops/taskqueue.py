"""The task queue shared fairly, and tasks of dead workers taken back.

Tasks sit in django-tasks-db's table. Each organisation's plan analyses are queued under their
own queue name (`queue_for`), platform tasks under "default". A worker takes the next task from
the queue that was served longest ago, preferring queues with nothing running, so one
organisation's twenty uploads wait their turn behind one upload of each other organisation
instead of blocking them.

A worker writes a heartbeat while it lives (models.WorkerHeartbeat). A task still "running" when
its worker has gone silent is put back once; a second loss, or a task running longer than
LOKALMAAL_TASK_TIMEOUT, is failed with a message. Nothing stays "running" for ever.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.tasks.base import Task, TaskResultStatus
from django.tasks.signals import task_finished
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from lokalmaal.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2  # the first run and one retry after its worker died


def queue_for(organisation_id: int) -> str:
    """The queue of one organisation's tasks (django-tasks-db allows 32 characters)."""
    return f"org-{organisation_id}"


def for_organisation[**P, T](task: Task[P, T], organisation_id: int) -> Task[P, T]:
    """The task queued under the organisation's own queue, when the backend takes any queue
    name (the database backend as configured does; a test's immediate backend may not)."""
    queue = queue_for(organisation_id)
    queues = task.get_backend().queues
    return task.using(queue_name=queue) if not queues or queue in queues else task


def next_task(ready: DBTaskResultQuerySet) -> "DBTaskResult[Any, Any] | None":
    """Lock and return the next task to run, round-robin over queues; None when none is ready.
    Call inside a transaction."""
    queues = set(ready.order_by().values_list("queue_name", flat=True).distinct())
    if not queues:
        return None
    busy = set(
        DBTaskResult.objects.running()
        .filter(queue_name__in=queues)
        .order_by()
        .values_list("queue_name", flat=True)
    )
    candidates = (queues - busy) or queues
    last_served: dict[str, datetime] = dict(
        DBTaskResult.objects.filter(queue_name__in=candidates, started_at__isnull=False)
        .order_by()
        .values("queue_name")
        .annotate(last=Max("started_at"))
        .values_list("queue_name", "last")
    )
    # Never served first, then the one served longest ago; the name settles ties.
    for queue in sorted(candidates, key=lambda q: (q in last_served, last_served.get(q), q)):
        task = ready.filter(queue_name=queue).get_locked()
        if task is not None:  # another worker may hold the only ready row of this queue
            return task
    return None


class WorkerLostError(Exception):
    """Recorded on a task whose worker stopped, or that ran too long."""


@dataclass(frozen=True)
class Reaped:
    retried: list[str]
    failed: list[str]


def reap_stale_tasks(now: datetime | None = None) -> Reaped:
    """Put back or fail the running tasks whose worker died or that ran too long."""
    now = now or timezone.now()
    stale_after = now - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    too_old = now - timedelta(seconds=settings.TASK_TIMEOUT)
    beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "seen_at"))
    retried, failed = [], []
    for task in DBTaskResult.objects.running().order_by():
        worker = task.worker_ids[-1] if task.worker_ids else ""
        seen = beats.get(worker)
        # A worker with no heartbeat at all (an old-style db_worker) only loses its task to
        # the time limit.
        lost = seen is not None and seen < stale_after
        timed_out = task.started_at is not None and task.started_at < too_old
        if not (lost or timed_out):
            continue
        if lost and not timed_out and len(task.worker_ids) < MAX_ATTEMPTS:
            put_back = DBTaskResult.objects.filter(
                pk=task.pk, status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY, started_at=None)
            if put_back:
                logger.warning("Task %s lost its worker %s; queued again", task.pk, worker)
                retried.append(str(task.pk))
            continue
        reason = (
            f"The task ran longer than {settings.TASK_TIMEOUT} s and was stopped."
            if timed_out
            else f"The worker running this task ({worker}) stopped twice; it is not retried."
        )
        _fail(task, WorkerLostError(reason))
        failed.append(str(task.pk))
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return Reaped(retried, failed)


def _fail(task: "DBTaskResult[Any, Any]", error: WorkerLostError) -> None:
    updated = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).exists()
    if not updated:
        return
    task.set_failed(error)
    logger.warning("Task %s failed: %s", task.pk, error)
    try:
        backend = type(task.task.get_backend())
        result = task.task_result
    except ImportError:  # the task's code is gone; the row says enough
        return
    # Receivers (e.g. plans/tasks.py) record the failure on what the task was working on.
    task_finished.send(sender=backend, task_result=result)
