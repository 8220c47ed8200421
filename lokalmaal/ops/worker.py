"""A task worker that shares fairly, says it is alive, and takes over the tasks of dead ones.

It is django-tasks-db's worker with a different choice of the next task (taskqueue.next_task), a
heartbeat thread, and a periodic sweep for tasks whose worker died (taskqueue.reap_stale_tasks).
"""

import logging
import os
import socket
import threading
import time
from typing import Any

from django.db import OperationalError, close_old_connections, connections
from django.tasks.base import DEFAULT_TASK_BACKEND_ALIAS
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from lokalmaal.ops import taskqueue
from lokalmaal.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
REAP_SECONDS = 15.0


class Heartbeat:
    """Writes the worker's heartbeat from a thread of its own, so a long task keeps it alive
    and a dead process (or machine) stops it."""

    def __init__(self, worker_id: str, interval: float = HEARTBEAT_SECONDS) -> None:
        self.worker_id = worker_id
        self.interval = interval
        self.task_id = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": now, "task_id": self.task_id},
            create_defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "seen_at": now,
                "task_id": self.task_id,
            },
        )

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except OperationalError:  # a busy database: the next beat will do
                    logger.warning("Heartbeat of %s not written", self.worker_id)
        finally:
            connections.close_all()

    def start(self) -> None:
        self.beat()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 1)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


def refresh_connections() -> None:
    """Drop broken or expired database connections between tasks, as Django does between
    requests; never inside a transaction (a test's, or a caller's), whose connection is in use."""
    if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        close_old_connections()


class FairWorker(Worker):
    def __init__(self, *, worker_id: str, interval: float = 1.0, batch: bool = False) -> None:
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.heartbeat = Heartbeat(worker_id)
        self._last_reap = 0.0

    def claim_next(self) -> "DBTaskResult[Any, Any] | None":
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        with exclusive_transaction(ready.db):
            try:
                task = taskqueue.next_task(ready)
                if task is not None:
                    task.claim(self.worker_id)
                return task
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return None
                raise

    def reap(self) -> None:
        if time.monotonic() - self._last_reap < REAP_SECONDS:
            return
        self._last_reap = time.monotonic()
        taskqueue.reap_stale_tasks()

    def run(self) -> None:
        # Task modules connect receivers (e.g. a plan marked failed when its task is lost).
        autodiscover_modules("tasks")
        logger.info("Worker %s takes tasks, one organisation at a time", self.worker_id)
        self.heartbeat.start()
        try:
            while self.running:
                refresh_connections()
                self.reap()
                task = self.claim_next()
                if task is not None:
                    self.heartbeat.task_id = str(task.pk)
                    self.run_task(task)
                    self.heartbeat.task_id = ""
                elif self.batch:
                    return
                refresh_connections()
                if self.running and task is None:
                    time.sleep(self.interval)
        finally:
            self.heartbeat.stop()
