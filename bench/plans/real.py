"""The SDG classifier on text Lokalmål did not write, before and after a change, in one run.

Run:  .venv/bin/python bench/plans/real.py [--baseline REV] [--real FILE.jsonl ...] [--errors N]

Sets (each reported on its own; figures per language and per goal):

- **KS indicator vocabularies** (`indicator-frameworks/ks_indicator_vocabularies_flat.csv` in the
  data bundle): the titles of 1,844 indicators that KS and the publishers of the source statistics
  (SSB, FHI, Ungdata, Udir, DSB, Arkivverket, OECD, EU JRC, U4SSC …) linked to SDGs themselves. The
  label is the publisher's own goal list. "UN SDG indicators" is left out: its titles are the UN
  wording the target descriptions are made from. The schemes are split in two halves by a fixed
  hash of the scheme's name (`half()`): constants may be chosen on the *tune* half only; the
  *report* half (De norske målepunktene, OECD, EU JRC 2022, U4SSC, Ungdata, Barnevern
  kommunemonitor, Barnefattigdom, Åpenhetsbarometeret, …) is only measured.
- **Real plan passages** (`--real FILE`): JSON Lines `{"id", "lang", "text", "sdgs", "publisher",
  "url"}` of passages from published municipal and county plans and web pages. Such a file quotes
  third-party text and is kept outside the repository (see bench/plans/README.md).
- **Lokalmål's own passages** (`devset.jsonl`, tuned on, and `heldout.jsonl`), reported apart: the
  people who wrote them wrote the lexicon, so they are not a fair test.

Measures, as in `evaluate.py`: "top 3" = share of labelled items whose labelled goal (any of
them) is among the first three predicted; micro precision and recall over all (item, goal) pairs;
goals predicted per item; share of items with no goal; per-goal precision and recall.

`--baseline REV` runs the classifier of git revision REV (its `lokalmaal/plans` unpacked into a
temporary folder, in a child process) on the same items in the same run and prints both.
Passage vectors are cached in var/bench/ by the text's hash, so a rerun does not embed again.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).parent
BUNDLE = Path(os.environ.get("LOKALMAAL_DATA_DIR", ROOT.parent / "shared" / "data"))
KS_FILE = Path("indicator-frameworks") / "ks_indicator_vocabularies_flat.csv"
CACHE = ROOT / "var" / "bench"
GOALS = range(1, 18)
ENGLISH_SCHEMES = ("OECD", "The EU-JRC", "U4SSC", "UN SDG")
LEFT_OUT = {"UN SDG indicators"}
NUMBERING = re.compile(r"^\s*(?:[A-Z]{1,3}[:.]\s*)*(?:\d+(?:\.\w+)*\.?\s+)?")


@dataclass
class Item:
    id: str
    lang: str
    text: str
    sdgs: list[int]
    publisher: str = ""
    half: str = ""
    url: str = ""


@dataclass
class Prediction:
    sdgs: list[int]
    scores: dict[str, float] = field(default_factory=dict)


def half(scheme: str) -> str:
    """A fixed split of the KS schemes: tune on one half, report the other."""
    return "tune" if hashlib.sha256(scheme.encode()).digest()[0] % 2 == 0 else "report"


def ks_items(bundle: Path = BUNDLE) -> list[Item]:
    items: list[Item] = []
    seen: set[tuple[str, str]] = set()
    with (bundle / KS_FILE).open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            scheme = row["scheme"]
            goals = sorted({int(g.split(".")[0]) for g in row["sdg_goals"].split(";") if g.strip()})
            text = NUMBERING.sub("", row["title"]).strip()
            if scheme in LEFT_OUT or not goals or len(text) < 4 or (scheme, text) in seen:
                continue
            seen.add((scheme, text))
            lang = "en" if scheme.startswith(ENGLISH_SCHEMES) else "no"
            uri = row["uri"].rsplit("/", 1)[-1]
            items.append(Item(f"ks:{uri}", lang, text, goals, scheme, half(scheme), row["uri"]))
    return items


def jsonl_items(path: Path, default_half: str = "") -> list[Item]:
    """Items of a JSON Lines file; real passages are split into tune/report halves by their
    publisher (`half()`), so no publisher's wording is both tuned on and reported."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            items.append(
                Item(
                    str(row["id"]),
                    row["lang"],
                    row["text"],
                    sorted(row["sdgs"]),
                    row.get("publisher", "Lokalmål"),
                    row.get("half") or default_half or half(row.get("publisher", "")),
                    row.get("url", ""),
                )
            )
    return items


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def summary(items: list[Item], predictions: list[Prediction]) -> dict[str, Any]:
    counts = {goal: Counter[str]() for goal in GOALS}
    top3 = labelled = predicted = empty = 0
    for item, prediction in zip(items, predictions, strict=True):
        truth, guess = set(item.sdgs), set(prediction.sdgs)
        predicted += len(guess)
        empty += not guess
        if truth:
            labelled += 1
            top3 += bool(truth & set(prediction.sdgs[:3]))
        for goal in GOALS:
            if goal in guess:
                counts[goal]["tp" if goal in truth else "fp"] += 1
            elif goal in truth:
                counts[goal]["fn"] += 1
    total = sum(counts.values(), Counter[str]())
    n = len(items)
    return {
        # per-goal binary accuracy averaged over the 17 goals (the expert benchmark's scoring)
        "accuracy": ratio(sum(n - c["fp"] - c["fn"] for c in counts.values()), 17 * n),
        "n": n,
        "top3": ratio(top3, labelled),
        "precision": ratio(total["tp"], total["tp"] + total["fp"]),
        "recall": ratio(total["tp"], total["tp"] + total["fn"]),
        "per_item": ratio(predicted, len(items)),
        "empty": ratio(empty, len(items)),
        "per_goal": {
            g: (
                ratio(c["tp"], c["tp"] + c["fp"]),
                ratio(c["tp"], c["tp"] + c["fn"]),
                c["tp"] + c["fn"],
            )
            for g, c in counts.items()
        },
    }


def cached_vectors(texts: list[str]) -> Any:
    """Passage vectors from `hybrid.passage_vectors` (each text with its model), cached by the
    texts' hash and the model settings."""
    import numpy as np

    from lokalmaal.plans import embed, english, hybrid

    settings = (
        f"|{embed.MAX_CHARS}|{english.MAX_CHARS}|{english.available()}|{english.WEIGHTS_SHA256}"
    )
    key = hashlib.sha256(("\x1e".join(texts) + settings).encode()).hexdigest()[:20]
    path = CACHE / f"vectors-{key}.npy"
    if path.exists():
        return np.load(path)
    vectors = hybrid.passage_vectors(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def predict_current(texts: list[str], lexicon_only: bool = False) -> list[Prediction]:
    from lokalmaal.plans import hybrid
    from lokalmaal.plans.classify import Classifier, classify

    classifier = Classifier(use_embeddings=False)
    lexical = [classify(text, classifier.lexicon) for text in texts]
    if lexicon_only:
        results = lexical
    else:
        results = hybrid.combine(texts, lexical, passages=cached_vectors(texts))
    return [Prediction(r.sdgs, r.scores) for r in results]


CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from lokalmaal.plans.classify import Classifier
texts = json.load(sys.stdin)
results = Classifier(time_budget=None).classify_many(texts)
json.dump([[r.sdgs, r.scores] for r in results], sys.stdout)
"""


def predict_revision(revision: str, texts: list[str]) -> list[Prediction]:
    """The classifier of a git revision, in a child process (its own imports, its own lexicon)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "lokalmaal/plans"],
        check=True,
        capture_output=True,
    ).stdout
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        (Path(folder) / "lokalmaal" / "__init__.py").write_text("")
        answer = subprocess.run(
            [sys.executable, "-c", CHILD, folder],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
            cwd=folder,
        ).stdout
    return [Prediction(sdgs, scores) for sdgs, scores in json.loads(answer)]


def row(name: str, s: dict[str, Any]) -> str:
    return (
        f"| {name} | {s['n']} | {s['top3']:.3f} | {s['precision']:.3f} | {s['recall']:.3f} | "
        f"{s['per_item']:.2f} | {s['empty']:.2f} | {s['accuracy']:.3f} |"
    )


def groups(items: list[Item]) -> dict[str, list[int]]:
    by: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by["all"].append(index)
        by[f"lang {item.lang}"].append(index)
        if item.half and item.publisher != "Lokalmål":
            by[f"{item.half} half"].append(index)
    return dict(by)


def report(title: str, items: list[Item], variants: dict[str, list[Prediction]]) -> None:
    print(f"\n### {title}\n")
    print(
        "| subset · classifier | items | top 3 | micro P | micro R | goals/item | no goal "
        "| mean per-goal accuracy |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for group, indexes in groups(items).items():
        for name, predictions in variants.items():
            chosen = [items[i] for i in indexes]
            print(row(f"{group} · {name}", summary(chosen, [predictions[i] for i in indexes])))
    print("\n| goal | n | " + " | ".join(f"{name} P | {name} R" for name in variants) + " |")
    print("| ---: | ---: |" + " ---: | ---: |" * len(variants))
    per = {name: summary(items, p)["per_goal"] for name, p in variants.items()}
    for goal in GOALS:
        n = next(iter(per.values()))[goal][2]
        cells = " | ".join(f"{per[v][goal][0]:.2f} | {per[v][goal][1]:.2f}" for v in variants)
        print(f"| {goal} | {n} | {cells} |")


def show_errors(items: list[Item], predictions: list[Prediction], count: int) -> None:
    wrong = [
        (i, p)
        for i, p in zip(items, predictions, strict=True)
        if (i.sdgs and not set(i.sdgs) & set(p.sdgs[:3])) or (not i.sdgs and p.sdgs)
    ]
    print(f"\n{len(wrong)} items missed (no labelled goal in the top 3, or a goal for an item")
    print(f"labelled with none); the first {count}:")
    for item, prediction in wrong[:count]:
        print(f"- {item.id} {item.sdgs} → {prediction.sdgs} {item.text[:110]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", help="git revision to compare with, e.g. HEAD or a hash")
    parser.add_argument("--real", type=Path, action="append", default=[], help="real passages")
    parser.add_argument("--half", choices=("tune", "report", "both", "none"), default="report")
    parser.add_argument("--lexicon-only", action="store_true")
    parser.add_argument("--errors", type=int, default=0, help="list this many misses per set")
    parser.add_argument("--own", action="store_true", help="also Lokalmål's own passage sets")
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    ks = [i for i in ks_items() if options.half in ("both", i.half)]
    sets: list[tuple[str, list[Item]]] = []
    if ks:
        sets.append((f"KS indicator vocabularies, {options.half} half", ks))
    for path in options.real:
        sets.append((f"real plan passages: {path.name}", jsonl_items(path)))
    if options.own:
        sets.append(("Lokalmål's own devset.jsonl (tuned on)", jsonl_items(HERE / "devset.jsonl")))
        sets.append(("Lokalmål's own heldout.jsonl", jsonl_items(HERE / "heldout.jsonl")))
    for title, items in sets:
        texts = [item.text for item in items]
        variants: dict[str, list[Prediction]] = {}
        if options.baseline:
            started = time.perf_counter()
            variants["before"] = predict_revision(options.baseline, texts)
            print(f"{title}: baseline {options.baseline} in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        variants["after" if options.baseline else "now"] = predict_current(
            texts, options.lexicon_only
        )
        print(f"{title}: current classifier in {time.perf_counter() - started:.0f} s")
        report(title, items, variants)
        if options.errors:
            show_errors(items, list(variants.values())[-1], options.errors)


if __name__ == "__main__":
    main()
