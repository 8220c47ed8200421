"""What operations keep in the database: each task worker's last sign of life."""

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """Written by each task worker every few seconds (lokalmaal/ops/worker.py), so the health
    page can tell whether tasks are being run and the other workers can take over the task of
    one that died."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    task_id = models.CharField(max_length=64, blank=True)  # the task it is running, if any

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
