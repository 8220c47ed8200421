"""`lokalmaal restore --from DIR`: a backup into a new, migrated database."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lokalmaal.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `lokalmaal backup` into an empty, migrated database (run "
        "`lokalmaal migrate` first) and the file storage; checksums are verified first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--from", required=True, type=Path, dest="source")

    def handle(self, *args: Any, source: Path, **_: Any) -> None:
        try:
            summary = restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(summary.rows.values())
        self.stdout.write(f"Restored {rows} rows and {len(summary.files)} files from {source}")
