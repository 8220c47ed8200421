"""`lokalmaal serve`: Lokalmål under gunicorn, as it runs in production."""

import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lokalmaal.ops.production import require_ready


def gunicorn_command(bind: str, workers: int, threads: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "lokalmaal.config.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        "--timeout=120",  # a request slower than this is a bug; the worker is replaced
        "--graceful-timeout=30",
        "--keep-alive=5",
        "--worker-tmp-dir=/dev/shm" if os.path.isdir("/dev/shm") else "--worker-tmp-dir=/tmp",
        # Requests are logged by the app as JSON lines (ops/requestlog.py), without personal data.
        "--error-logfile=-",
        "--forwarded-allow-ips=127.0.0.1,::1",
    ]


class Command(BaseCommand):
    help = (
        "Serve Lokalmål with gunicorn (the production server): LOKALMAAL_WEB_WORKERS processes of "
        "LOKALMAAL_WEB_THREADS threads. With LOKALMAAL_ENV=production it refuses to start while "
        "a needed setting or the collected static files are missing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT to listen on")
        parser.add_argument("--workers", type=int, default=settings.WEB_WORKERS)
        parser.add_argument("--threads", type=int, default=settings.WEB_THREADS)

    def handle(self, *args: Any, bind: str, workers: int, threads: int, **_: Any) -> None:
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        require_ready()
        if not settings.PRODUCTION:
            self.stderr.write(
                "Note: LOKALMAAL_ENV is not production; static files are served only in "
                "production (after collectstatic)."
            )
        self.stdout.write(f"Lokalmål serves http://{bind} ({workers} × {threads} threads)")
        sys.stdout.flush()
        command = gunicorn_command(bind, workers, threads)
        os.execv(command[0], command)
