"""`lokalmaal report all --to DIR`: the SDG report of every municipality as PDF and Word, with
progress on standard error; also `report counties`, `report everything` or `report 4601,46`."""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lokalmaal.reports import batch


class Command(BaseCommand):
    help = (
        "Write SDG reports to a folder: `report all --to DIR` (the 357 municipalities), "
        "`counties`, `everything`, or codes separated by commas. Reruns skip finished files."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("which", help='"all", "counties", "everything" or e.g. "4601,1577,46"')
        parser.add_argument("--to", type=Path, required=True, help="Folder to write to")
        parser.add_argument(
            "--format", default="pdf,docx", help="pdf, docx or both (default: pdf,docx)"
        )
        parser.add_argument(
            "--lang", choices=["nb", "nn", "en"], help="Default: each region's written standard"
        )
        parser.add_argument("--force", action="store_true", help="Rewrite files that exist")

    def handle(self, *args: Any, **options: Any) -> None:
        formats = tuple(f.strip() for f in options["format"].split(",") if f.strip())
        unknown = [f for f in formats if f not in batch.WRITERS]
        if unknown or not formats:
            raise CommandError(f"Unknown format: {', '.join(unknown) or '(none)'}; use pdf,docx")
        try:
            targets = batch.regions(options["which"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        written = batch.write_reports(
            targets, options["to"], formats, options["lang"], options["force"], self._progress
        )
        self.stdout.write(f"{written} files written to {options['to']}")

    @staticmethod
    def _progress(p: batch.Progress) -> None:
        elapsed, left = _clock(p.seconds), _clock(p.remaining_seconds)
        note = " (already there)" if p.skipped else ""
        sys.stderr.write(
            f"[{p.done}/{p.total}] {p.code} {p.name}{note}: {elapsed} elapsed, about {left} left\n"
        )
        sys.stderr.flush()


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"
