"""`lokalmaal search rebuild`: index every example, question and event again from scratch."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from lokalmaal.arena.indexing import rebuild


class Command(BaseCommand):
    help = (
        "Work with the search index. `search rebuild` indexes every example, question and event "
        "again, in one transaction; run it once after an upgrade that changes how words are "
        "matched (entries made before keep the old terms until their item changes)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="Index every example, question and event again.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            with transaction.atomic():
                entries = rebuild()
            self.stdout.write(f"The search index holds {entries} entries.")
