"""`lokalmaal networks remind`: remind participants of events that start soon."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from lokalmaal.networks.actions import do_send_reminders


class Command(BaseCommand):
    help = (
        "Work with networks and events. `networks remind` sends each registered participant "
        "of an event starting within LOKALMAAL_EVENT_REMINDER_HOURS one reminder by e-mail; "
        "running it again sends nothing twice."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "remind",
            help=f"Remind participants of events starting within "
            f"{settings.EVENT_REMINDER_HOURS} hours (once each).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "remind":
            sent = do_send_reminders()
            self.stdout.write(f"Reminded {sent} participant(s).")
