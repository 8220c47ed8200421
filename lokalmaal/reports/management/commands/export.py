"""`lokalmaal export opensdg --to DIR`: every indicator figure as open data in Open SDG's format
(data/indicator_*.csv, meta/*.md and a Frictionless datapackage.json); see reports/opensdg.py."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from lokalmaal.reports import opensdg


class Command(BaseCommand):
    help = "Export open data: `export opensdg --to DIR` writes Open SDG's data and metadata files."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=["opensdg"])
        parser.add_argument("--to", type=Path, required=True, help="Folder to write to")
        parser.add_argument("--lang", choices=["nb", "nn", "en"], default="nb")

    def handle(self, *args: Any, **options: Any) -> None:
        count = opensdg.write(options["to"], options["lang"])
        self.stdout.write(f"{count} files written to {options['to']}")
