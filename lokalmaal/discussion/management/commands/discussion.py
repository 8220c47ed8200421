"""`lokalmaal discussion digest --period daily|weekly`: e-mail each person who chose that period
their unread notifications since their last digest. Run it from cron once a day (daily) and once
a week (weekly); running it twice sends nothing new."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from lokalmaal.discussion.digest import send_digests
from lokalmaal.discussion.models import DigestPeriod


class Command(BaseCommand):
    help = "Questions and notifications. `discussion digest --period daily|weekly` e-mails digests."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        digest = sub.add_parser("digest", help="E-mail the notification digests of one period.")
        digest.add_argument(
            "--period", choices=[DigestPeriod.DAILY, DigestPeriod.WEEKLY], required=True
        )

    def handle(self, *args: Any, **options: Any) -> None:
        emails, carried = send_digests(DigestPeriod(options["period"]))
        self.stdout.write(f"Sent {emails} digest e-mails with {carried} notifications.")
