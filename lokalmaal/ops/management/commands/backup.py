"""`lokalmaal backup --to DIR`: the database and the uploaded files, with checksums."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lokalmaal.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up every row of the database and every uploaded file into a new folder."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--to", required=True, type=Path, help="a new or empty folder")

    def handle(self, *args: Any, to: Path, **_: Any) -> None:
        try:
            summary = backup(to)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(summary.rows.values())
        self.stdout.write(f"Backed up {rows} rows and {len(summary.files)} files to {to}")
