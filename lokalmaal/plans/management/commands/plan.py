"""`lokalmaal plan classify`: JSON Lines {"id", "text"} on standard input → one line
{"id", "sdgs", "targets", "scores"} per input on standard output.
`lokalmaal plan analyse FILE [--format md|json]`: one document's analysis (see plans/report.py)."""

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lokalmaal.plans.classify import Classifier
from lokalmaal.plans.report import analyse_command

CLASSIFY_BATCH = 256


class Command(BaseCommand):
    help = "Plan analysis. `plan classify` maps passages (JSON Lines on stdin) to SDGs and targets."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "classify", help='Read {"id", "text"} lines on stdin, write results on stdout.'
        )
        analyse = sub.add_parser(
            "analyse", help="Analyse one plan document (PDF, DOCX, HTML or text) and print it."
        )
        analyse.add_argument("file", type=Path)
        analyse.add_argument("--format", choices=["md", "json"], default="md")
        analyse.add_argument("--lang", choices=["nb", "nn", "en"], default="nb")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "analyse":
            self.stdout.write(analyse_command(options["file"], options["format"], options["lang"]))
            return
        self._classify()

    def _classify(self) -> None:
        # Lines are classified in batches: the embedding model is fastest on many texts at once,
        # and a batch keeps memory bounded on any input length. No time budget: every passage
        # that needs the embedding gets it (the platform's analysis limits the time instead).
        classifier = Classifier(time_budget=None)
        batch: list[tuple[Any, str]] = []
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                batch.append((item.get("id"), str(item["text"])))
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
                self._write_results(classifier, batch)  # earlier lines still get answers
                raise CommandError(
                    f'Line {number} is not {{"id": …, "text": …}}: {error}'
                ) from None
            if len(batch) >= CLASSIFY_BATCH:
                self._write_results(classifier, batch)
                batch = []
        self._write_results(classifier, batch)

    def _write_results(self, classifier: Classifier, batch: list[tuple[Any, str]]) -> None:
        results = classifier.classify_many([text for _, text in batch])
        for (identifier, _), result in zip(batch, results, strict=True):
            out = {
                "id": identifier,
                "sdgs": result.sdgs,
                "targets": result.targets,
                "scores": result.scores,
            }
            self.stdout.write(json.dumps(out, ensure_ascii=False))
