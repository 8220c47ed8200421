"""Per-goal precision, recall and accuracy of `lokalmaal plan classify` on the development set.

Run: .venv/bin/python bench/plans/evaluate.py [bench/plans/devset.jsonl]
The set is Lokalmål's own, written for development; acceptance is measured on held-out sets kept
outside the project.
"""

import json
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lokalmaal.plans.classify import classify, read_lexicon


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "devset.jsonl")
    items = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    lexicon = read_lexicon()
    counts = {goal: Counter() for goal in range(1, 18)}
    by_language: dict[str, Counter[str]] = {}
    for item in items:
        predicted = set(classify(item["text"], lexicon).sdgs)
        truth = set(item["sdgs"])
        language = by_language.setdefault(item.get("lang", "?"), Counter())
        language["exact"] += predicted == truth
        language["n"] += 1
        for goal in range(1, 18):
            if goal in predicted:
                counts[goal]["tp" if goal in truth else "fp"] += 1
            else:
                counts[goal]["fn" if goal in truth else "tn"] += 1
    print(f"{len(items)} passages from {os.path.relpath(path)}")
    print(f"{'goal':>4} {'precision':>9} {'recall':>7} {'accuracy':>8} {'support':>7}")
    for goal, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        accuracy = (c["tp"] + c["tn"]) / len(items)
        print(f"{goal:>4} {precision:>9.2f} {recall:>7.2f} {accuracy:>8.2f} {c['tp'] + c['fn']:>7}")
    for language, c in sorted(by_language.items()):
        print(f"{language}: exact goal set {c['exact']}/{c['n']}")


if __name__ == "__main__":
    main()
