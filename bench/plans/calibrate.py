"""Choose the hybrid classifier's constants on development data and write
lokalmaal/plans/calibration.json.

Run:  .venv/bin/python bench/plans/calibrate.py [--real FILE.jsonl ...] [--dry-run]

Development data only: the *tune* half of the KS indicator vocabularies (`real.half()`), the
*tune* half (by publisher) of the real plan passages given with --real, and Lokalmål's own
devset.jsonl. Never a report half or heldout.jsonl.

What it chooses, by the mean over the sets (each counts equally, so the 800 short KS titles do
not drown the passages) of the mean of micro-F1 and top-3 recall, with at most 2.0 goals per item
on average in every set and 1.5 averaged over the sets:
1. EMBED_WEIGHT, RELATIVE_CUTOFF and the fill rule (how many of the nearest goals by similarity
   get the lower threshold, and that threshold) on a small grid, with one shared similarity-alone
   threshold;
2. then each goal's own similarity-alone threshold, goal by goal, two rounds (coordinate ascent).
Per language thresholds were tried and not kept: the nynorsk and English tune items are too few.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import real

from lokalmaal.plans import embed, english, hybrid
from lokalmaal.plans.classify import GENERAL_WEIGHT, classify, read_lexicon

# Above 240 similarity outvotes a passage's plain words: at 480 "redusere klimagassutslippene med
# 60 prosent … fossilfrie byggeplasser" went to 12 before 13 (test_classify_hybrid's clear
# passages), for 0.007 more on the objective. The lexicon keeps that much say.
WEIGHTS = (80.0, 160.0, 240.0)
CUTOFFS = (0.4, 0.5, 0.6, 0.7)
SHARED = (0.02, 0.03, 0.04, 0.05, 0.06, 0.08)
PER_GOAL = (0.025, 0.03, 0.035, 0.04, 0.045, 0.05, 0.06, 0.07, 0.08, 0.1, 9.0)
FILLS = (hybrid.NO_FILL, *((1, lift) for lift in (0.005, 0.01, 0.015, 0.02)),
         *((2, lift) for lift in (0.01, 0.015, 0.02)))  # fmt: skip
MAX_PER_ITEM = 2.0
# Averaged over the sets. Their labels average 1.0–2.0 goals per item; predicting many more makes
# coverage meaningless and costs precision (with a cap of 2.0 alone the best setting predicted
# 1.5–1.9 goals per item and real passages' micro precision fell from 0.78 to 0.70).
MAX_MEAN_PER_ITEM = 1.5


@dataclass
class Prepared:
    truth: list[set[int]]
    lexical: list[dict[str, float]]
    lifts: np.ndarray  # items × 17
    substantive: list[bool]  # long enough for the fill rule (hybrid.substantive)


def english_lift_scale(items: list[real.Item]) -> float:
    """How much wider MiniLM's lifts spread than e5's on the same English texts: the standard
    deviation of e5's lifts over MiniLM's, so one set of thresholds serves both models."""
    texts = [item.text for item in items if hybrid.uses_english_model(item.text)]
    e5 = embed.target_vectors()
    e5_lifts = [hybrid.goal_lifts(e5.vectors @ v, e5)[0] for v in embed.embed(texts)]
    minilm = embed.english_target_vectors()
    minilm_lifts = [hybrid.goal_lifts(minilm.vectors @ v, minilm)[0] for v in english.embed(texts)]
    return round(float(np.std(e5_lifts) / np.std(minilm_lifts)), 3)


def prepare(items: list[real.Item], general_weight: float = GENERAL_WEIGHT) -> Prepared:
    lexicon = read_lexicon(general_weight=general_weight)
    texts = [item.text for item in items]
    vectors = real.cached_vectors(texts)
    lifts = np.array([hybrid.passage_lifts(t, v)[0] for t, v in zip(texts, vectors, strict=True)])
    return Prepared(
        [set(item.sdgs) for item in items],
        [classify(text, lexicon).scores for text in texts],
        lifts,
        [hybrid.substantive(text) for text in texts],
    )


@dataclass(frozen=True)
class Setting:
    weight: float
    cutoff: float
    fill: tuple[int, float]
    alone: dict[int, float]


def predict(p: Prepared, s: Setting) -> list[list[int]]:
    return [
        hybrid.choose(
            hybrid.goal_scores(
                lifts, lexical, s.weight, s.alone, s.fill if substantive else hybrid.NO_FILL
            ),
            lexical,
            s.cutoff,
        )
        for lexical, lifts, substantive in zip(p.lexical, p.lifts, p.substantive, strict=True)
    ]


def measure(p: Prepared, predictions: list[list[int]]) -> tuple[float, float, float]:
    """micro-F1, top-3 recall of the labelled goals, goals per item."""
    pairs = list(zip(p.truth, predictions, strict=True))
    tp = sum(len(t & set(g)) for t, g in pairs)
    fp = sum(len(set(g) - t) for t, g in pairs)
    fn = sum(len(t - set(g)) for t, g in pairs)
    labelled = [(t, g) for t, g in pairs if t]
    top3 = sum(bool(t & set(g[:3])) for t, g in labelled) / len(labelled)
    per_item = sum(map(len, predictions)) / len(predictions)
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), top3, per_item


def objective(sets: list[Prepared], setting: Setting) -> float:
    total = goals = 0.0
    for p in sets:
        f1, top3, per_item = measure(p, predict(p, setting))
        if per_item > MAX_PER_ITEM:
            return -1.0
        total += (f1 + top3) / 2
        goals += per_item
    return total / len(sets) if goals / len(sets) <= MAX_MEAN_PER_ITEM else -1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the file")
    parser.add_argument("--real", type=Path, action="append", default=[], help="real passages")
    options = parser.parse_args()
    names = ["KS tune half", "devset"]
    ks = [item for item in real.ks_items() if item.half == "tune"]
    own = real.jsonl_items(real.HERE / "devset.jsonl")
    tunes = [ks, own]
    for path in options.real:
        tune = [item for item in real.jsonl_items(path) if item.half == "tune"]
        names.append(f"{path.name} tune half ({len(tune)})")
        tunes.append(tune)
    scale = english_lift_scale([item for items in tunes for item in items])
    print(f"English lift scale: {scale}")
    # passage_lifts reads the scale from the calibration; the new one applies from here on
    hybrid.calibration()["english_lift_scale"] = scale
    sets = [prepare(items) for items in tunes]
    # Differences under 0.005 in the objective are noise on 1,100 items: near-ties (to 2 decimals)
    # go to the smallest weight, so the lexicon keeps as much say as the data allows (F1 creeps up by
    # 0.001–0.002 per doubling past 240, as the lexicon turns into a mere gate).
    best: tuple[float, float, float, tuple[int, float], float]
    best = (-2.0, 0.0, 0.0, hybrid.NO_FILL, 0.0)
    for weight in WEIGHTS:
        for cutoff in CUTOFFS:
            for fill in FILLS:
                for shared in SHARED:
                    setting = Setting(weight, cutoff, fill, dict.fromkeys(range(1, 18), shared))
                    value = objective(sets, setting)
                    best = max(best, (round(value, 2), -weight, cutoff, fill, shared))
    value, weight, cutoff, fill, shared = best[0], -best[1], best[2], best[3], best[4]
    print(f"grid: {value:.3f} with weight {weight}, cutoff {cutoff}, fill {fill}, shared {shared}")
    alone = dict.fromkeys(range(1, 18), shared)
    for _ in range(2):
        for goal in range(1, 18):
            trials = [
                (objective(sets, Setting(weight, cutoff, fill, {**alone, goal: t})), -t)
                for t in PER_GOAL
            ]
            value, negative = max(trials)
            alone[goal] = -negative
    print(f"per goal: {value:.3f}; thresholds {alone}")
    for name, p in zip(names, sets, strict=True):
        f1, top3, per_item = measure(p, predict(p, Setting(weight, cutoff, fill, alone)))
        print(f"  {name}: micro-F1 {f1:.3f}, top 3 {top3:.3f}, goals/item {per_item:.2f}")
    data = {
        "note": (
            "Chosen by bench/plans/calibrate.py on the tune halves of the KS indicator "
            "vocabularies and of the real plan passages, and bench/plans/devset.jsonl only; 9.0 "
            "means similarity never adds the goal alone."
        ),
        "english_lift_scale": scale,
        "embed_weight": weight,
        "relative_cutoff": cutoff,
        "fill": {"rank": fill[0], "lift": fill[1]},
        "alone": {str(goal): alone[goal] for goal in range(1, 18)},
    }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if options.dry_run:
        print(text)
    else:
        hybrid.CALIBRATION_FILE.write_text(text, encoding="utf-8")
        print(f"written to {hybrid.CALIBRATION_FILE}")


if __name__ == "__main__":
    main()
