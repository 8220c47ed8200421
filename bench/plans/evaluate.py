"""Per-goal precision, recall and accuracy of Lokalmål's SDG classifier on its own passage sets.

Run:  .venv/bin/python bench/plans/evaluate.py [--lexicon-only] [--markdown] [FILE ...]
(default files: bench/plans/devset.jsonl and bench/plans/heldout.jsonl)

Figures per file: per goal precision, recall and accuracy with binary scoring (a passage counts
for every goal: true/false positive/negative), accuracy averaged over the 17 goals ("macro
accuracy", the acceptance measure of the English benchmark), micro precision/recall, "a labelled
goal among the first three predicted" and the average number of goals predicted, overall and per
language, and the speed. `devset.jsonl` is tuned on; `heldout.jsonl` was written before tuning and
is only measured. Acceptance is measured on held-out sets kept outside the project.
"""

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lokalmaal.plans.classify import Classifier, Result

HERE = Path(__file__).parent
GOALS = range(1, 18)


def read(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def summary(items: list[dict[str, Any]], results: list[Result]) -> dict[str, Any]:
    counts = {goal: Counter[str]() for goal in GOALS}
    top3 = labelled = predicted = 0
    for item, result in zip(items, results, strict=True):
        truth, guess = set(item["sdgs"]), set(result.sdgs)
        predicted += len(result.sdgs)
        if truth:
            labelled += 1
            top3 += bool(truth & set(result.sdgs[:3]))
        for goal in GOALS:
            key = (
                ("tp" if goal in truth else "fp")
                if goal in guess
                else ("fn" if goal in truth else "tn")
            )
            counts[goal][key] += 1
    n = len(items)
    per_goal = {
        goal: {
            "precision": ratio(c["tp"], c["tp"] + c["fp"]),
            "recall": ratio(c["tp"], c["tp"] + c["fn"]),
            "accuracy": ratio(c["tp"] + c["tn"], n),
            "support": c["tp"] + c["fn"],
        }
        for goal, c in counts.items()
    }
    total = sum(counts.values(), Counter[str]())
    return {
        "passages": n,
        "per_goal": per_goal,
        "macro_accuracy": sum(g["accuracy"] for g in per_goal.values()) / len(per_goal),
        "micro_precision": ratio(total["tp"], total["tp"] + total["fp"]),
        "micro_recall": ratio(total["tp"], total["tp"] + total["fn"]),
        "top3": ratio(top3, labelled),
        "goals_per_passage": ratio(predicted, n),
        "exact": ratio(
            sum(set(i["sdgs"]) == set(r.sdgs) for i, r in zip(items, results, strict=True)), n
        ),
    }


def line(name: str, s: dict[str, Any]) -> str:
    return (
        f"| {name} | {s['passages']} | {s['macro_accuracy']:.3f} | {s['micro_precision']:.2f} | "
        f"{s['micro_recall']:.2f} | {s['top3']:.2f} | {s['goals_per_passage']:.2f} | "
        f"{s['exact']:.2f} |"
    )


def report(path: Path, items: list[dict[str, Any]], results: list[Result]) -> None:
    print(f"\n### {os.path.relpath(path)}\n")
    print(
        "| set | passages | macro accuracy | micro P | micro R | labelled goal in top 3 |"
        " goals/passage | exact set |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(line("all", summary(items, results)))
    by_language: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_language[item["lang"]].append(index)
    for language, indexes in sorted(by_language.items()):
        print(line(language, summary([items[i] for i in indexes], [results[i] for i in indexes])))
    per_goal = summary(items, results)["per_goal"]
    print("\n| goal | precision | recall | accuracy | support |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for goal, g in per_goal.items():
        print(
            f"| {goal} | {g['precision']:.2f} | {g['recall']:.2f} | {g['accuracy']:.3f} | "
            f"{g['support']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--lexicon-only", action="store_true", help="no embedding similarity")
    parser.add_argument("--errors", action="store_true", help="list the passages it gets wrong")
    options = parser.parse_args()
    files = options.files or [HERE / "devset.jsonl", HERE / "heldout.jsonl"]
    classifier = Classifier(use_embeddings=not options.lexicon_only, time_budget=None)
    for path in files:
        items = read(path)
        started = time.perf_counter()
        results = classifier.classify_many([item["text"] for item in items])
        seconds = time.perf_counter() - started
        report(path, items, results)
        print(f"\n{len(items) / seconds:.1f} passages/s ({seconds:.1f} s)")
        if options.errors:
            for item, result in zip(items, results, strict=True):
                if set(item["sdgs"]) != set(result.sdgs):
                    print(
                        f"{item['id']}: labelled {item['sdgs']}, predicted {result.sdgs} "
                        f"{result.scores}"
                    )


if __name__ == "__main__":
    main()
