"""`lokalmaal plan classify`: JSON Lines {"id", "text"} on standard input → one line
{"id", "sdgs", "targets", "scores"} per input on standard output."""

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lokalmaal.plans.classify import classify, read_lexicon


class Command(BaseCommand):
    help = "Plan analysis. `plan classify` maps passages (JSON Lines on stdin) to SDGs and targets."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "classify", help='Read {"id", "text"} lines on stdin, write results on stdout.'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lexicon = read_lexicon()
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                text = str(item["text"])
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise CommandError(
                    f'Line {number} is not {{"id": …, "text": …}}: {error}'
                ) from None
            result = classify(text, lexicon)
            out = {
                "id": item.get("id"),
                "sdgs": result.sdgs,
                "targets": result.targets,
                "scores": result.scores,
            }
            self.stdout.write(json.dumps(out, ensure_ascii=False))
