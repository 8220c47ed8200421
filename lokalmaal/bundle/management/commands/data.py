"""`lokalmaal data load [--from PATH]`: load the offline data bundle.
`lokalmaal data fetch [--to PATH]`: build the bundle from the original public sources."""

import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lokalmaal.bundle import fetch
from lokalmaal.bundle.load import do_load_bundle, read_bundle
from lokalmaal.lib.datafiles import DataFileError


class Command(BaseCommand):
    help = (
        "Work with Lokalmål's data. `data load` loads the offline data bundle; `data fetch` "
        "builds it from the original public sources (needs internet)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Validate and load the data bundle in one transaction.")
        load.add_argument(
            "--from",
            dest="folder",
            type=Path,
            default=None,
            help=f"Data folder (default: LOKALMAAL_DATA_DIR, now {settings.DATA_DIR}).",
        )
        update = sub.add_parser(
            "update", help="Refresh the SSB indicators from StatBank (needs internet)."
        )
        which = update.add_mutually_exclusive_group()
        which.add_argument("--indicator", help="Only this indicator (its id in the library).")
        which.add_argument("--table", help="Only the indicators from this SSB table.")
        update.add_argument(
            "--resume", action="store_true", help="Carry on after an interrupted run."
        )
        fetch_parser = sub.add_parser(
            "fetch",
            help="Download the bundle's originals at the recorded commits and derive the bundle.",
        )
        fetch_parser.add_argument(
            "--to",
            dest="to",
            metavar="PATH",
            type=Path,
            default=None,
            help=f"Folder to write (default: {default_fetch_folder()}). It is replaced only "
            "when every file has been fetched.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "update":
            self.update(options["indicator"], options["table"], options["resume"])
        elif options["action"] == "load":
            self.load(options["folder"] or Path(settings.DATA_DIR))
        elif options["action"] == "fetch":
            self.fetch(options["to"] or default_fetch_folder())

    def load(self, folder: Path) -> None:
        started = time.monotonic()
        self.stdout.write(f"Reading and validating {folder} …")
        try:
            bundle = read_bundle(folder, self.progress)
        except DataFileError as error:
            raise CommandError(f"Nothing was loaded. {error}") from None
        self.stdout.write("Valid. Writing in one transaction …")
        results = do_load_bundle(bundle, self.progress)
        for table, result in results.items():
            self.stdout.write(f"  {table:<12} {result}")
        self.stdout.write(self.style.SUCCESS(f"Loaded in {time.monotonic() - started:.1f} s."))

    def fetch(self, folder: Path) -> None:
        started = time.monotonic()
        try:
            count = fetch.fetch_bundle(folder, get=fetch.http_get, log=self.stdout.write)
        except fetch.FetchError as error:
            raise CommandError(f"Nothing was changed in {folder}. {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Fetched {count} files into {folder} in {time.monotonic() - started:.1f} s. "
                f"Load them with `lokalmaal data load --from {folder}`."
            )
        )

    def progress(self, step: str, done: int, total: int) -> None:
        """A counter that rewrites its line on a terminal and prints only the last in a log."""
        if sys.stderr.isatty():
            sys.stderr.write(f"\r  {step}: {done}/{total}" + ("\n" if done == total else ""))
        elif done == total:
            self.stdout.write(f"  {step}: {done}/{total}")

    def update(self, indicator: str | None, table: str | None, resume: bool) -> None:
        from lokalmaal.indicators.models import Indicator
        from lokalmaal.indicators.update import update
        from lokalmaal.stats.pxweb import PxWebV2Client
        from lokalmaal.stats.transport import ApiError

        chosen = [i for i in Indicator.objects.filter(source_kind="ssb") if i.ssb_table]
        if indicator:
            chosen = [i for i in chosen if i.id == indicator]
        if table:
            chosen = [i for i in chosen if i.ssb_table == table]
        if not chosen:
            raise CommandError("No SSB indicator matches. See /indikatorar/ for the library.")
        cache = Path(settings.VAR_DIR) / "ssb-cache"
        client = PxWebV2Client(cache_dir=cache)
        try:
            written = update(
                client, chosen, Path(settings.VAR_DIR) / "update-state.json", resume, self.progress
            )
        except (ApiError, ValueError) as error:
            raise CommandError(
                f"Stopped: {error}. Indicators already finished keep their new figures; "
                "the rest keep their old ones. Run again with --resume."
            ) from None
        for indicator_id, rows in written.items():
            self.stdout.write(f"  {indicator_id:<50} {rows} figures")


def default_fetch_folder() -> Path:
    return Path(settings.REPO_DIR) / "var" / "data"
