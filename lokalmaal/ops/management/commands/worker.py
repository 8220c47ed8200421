"""`lokalmaal worker`: run queued tasks in LOKALMAAL_TASK_WORKERS processes."""

import os
import signal
import socket
import subprocess
import sys
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string

from lokalmaal.ops.worker import FairWorker


def _worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"


class Command(BaseCommand):
    help = (
        "Run queued tasks (plan analyses, indicator refreshes), one organisation at a time, in "
        "LOKALMAAL_TASK_WORKERS processes; a process that dies is started again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--processes", type=int, default=settings.TASK_WORKERS, help="worker processes"
        )
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued, then stop (one process)"
        )
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args: Any, processes: int, batch: bool, interval: float, **_: Any) -> None:
        if processes < 1:
            raise CommandError("--processes must be at least 1")
        if processes == 1 or batch:
            worker = FairWorker(worker_id=_worker_id(), interval=interval, batch=batch)
            worker.configure_signals()
            worker.run()
            return
        self.supervise(processes, interval)

    def supervise(self, processes: int, interval: float) -> None:
        """Keep `processes` single workers running until SIGTERM or SIGINT."""
        command = [sys.executable, "-m", "lokalmaal", "worker", "--processes", "1"]
        command += ["--interval", str(interval)]
        children: list[subprocess.Popen[bytes]] = []
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True
            for child in children:
                child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        children.extend(subprocess.Popen(command) for _ in range(processes))
        if stopping:  # a signal came while they were starting: pass it on now
            stop(signal.SIGTERM, None)
        self.stdout.write(f"{processes} task workers started")
        while not stopping:
            time.sleep(1)
            for i, child in enumerate(children):
                if child.poll() is not None and not stopping:
                    self.stderr.write(f"Task worker {child.pid} stopped ({child.returncode}).")
                    children[i] = subprocess.Popen(command)
        for child in children:
            child.wait()
