"""`lokalmaal security prune`: delete security events older than LOKALMAAL_SECURITY_LOG_DAYS."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from lokalmaal.security.actions import do_prune


class Command(BaseCommand):
    help = (
        "Work with the security event log. `security prune` deletes events older than "
        "LOKALMAAL_SECURITY_LOG_DAYS; run it daily from cron."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "prune",
            help=f"Delete security events older than {settings.SECURITY_LOG_DAYS} days.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "prune":
            deleted = do_prune()
            self.stdout.write(f"Deleted {deleted} security event(s).")
