"""Combine the term lexicon with embedding similarity to enriched target descriptions.

For each passage the lexicon gives goal scores from the terms it finds (`classify.classify`).
The passage is embedded with multilingual-e5-small (`embed.py`) and compared with every
description of every target; a goal's similarity is that of its closest description. Raw e5
similarities are high for any pair of texts (0.75–0.90), so what counts is how far a goal stands
out from the passage's typical goal: `lift = similarity − median over the 17 goals`. The combined
goal score is

    score = lexicon score + EMBED_WEIGHT × max(0, lift − LIFT_FLOOR)

for every goal the lexicon found at least one term for, and a goal is reported when its score
reaches GOAL_THRESHOLD and RELATIVE_CUTOFF of the best goal's, at most MAX_GOALS of them. So the
embedding confirms or dismisses weak lexical evidence and ranks the goals; it never brings in a
goal no term points to. The constants were chosen on bench/plans/devset.jsonl only.
"""

import time
from collections.abc import Sequence

import numpy as np

from lokalmaal.plans import embed
from lokalmaal.plans.classify import TARGET_THRESHOLD, Result, Similarity

GOAL_THRESHOLD = 2.0
RELATIVE_CUTOFF = 0.6
MAX_GOALS = 3
EMBED_WEIGHT = 80.0
LIFT_FLOOR = 0.0
# Similarity alone (no lexicon term for the goal) never reports a goal: on the development set
# it added as many wrong goals as right ones at every threshold tried (0.04–0.10).
BATCH = 32
FIRST_BATCH = 4  # under a time budget: measure the machine's speed on a few passages first


def needs_embedding(lexical: Result) -> bool:
    """Only a goal with some but not enough lexicon evidence can change by similarity (on the
    development set, embedding only these passages gave the same figures as embedding all)."""
    return any(0 < score < GOAL_THRESHOLD for score in lexical.scores.values())


def _priority(lexical: Result) -> tuple[bool, float]:
    """Under a time budget, passages that would otherwise get no goal at all are embedded first
    (there the embedding can add recall), then those closest to the threshold."""
    reported = any(score >= GOAL_THRESHOLD for score in lexical.scores.values())
    weak = max((s for s in lexical.scores.values() if s < GOAL_THRESHOLD), default=0.0)
    return reported, -weak


def combine(
    texts: Sequence[str],
    lexical: list[Result],
    passages: embed.Vectors | None = None,
    time_budget: float | None = None,
) -> list[Result]:
    """`passages`: the texts' vectors when already computed (the benchmark reuses them).
    `time_budget`: seconds to spend embedding; passages left when it runs out keep their
    lexicon-only result, so a long plan is analysed in bounded time on a slow machine."""
    vectors = embed.target_vectors()
    wanted = sorted(
        (i for i, result in enumerate(lexical) if needs_embedding(result)),
        key=lambda i: _priority(lexical[i]),
    )
    embedded: dict[int, np.ndarray] = {}
    if passages is not None:
        embedded = {i: passages[i] for i in wanted}
    else:
        started = time.monotonic()
        size = FIRST_BATCH if time_budget is not None else BATCH
        while len(embedded) < len(wanted):
            chunk = wanted[len(embedded) : len(embedded) + size]
            batch_started = time.monotonic()
            for i, vector in zip(chunk, embed.embed([texts[i] for i in chunk]), strict=True):
                embedded[i] = vector
            if time_budget is not None:
                # size the next batch to the time left, so the budget is not overrun by much
                per_passage = 1.25 * (time.monotonic() - batch_started) / len(chunk)
                left = time_budget - (time.monotonic() - started)
                size = min(BATCH, int(left / per_passage)) if per_passage > 0 else BATCH
                if size < 1:
                    break
    return [
        _combine_one(embedded[i] @ vectors.vectors.T, result, vectors)
        if i in embedded
        else _combine_one(None, result, vectors)
        for i, result in enumerate(lexical)
    ]


def _goal_of(target: str) -> int:
    return int(target.split(".")[0])


def _closest(row: np.ndarray, vectors: embed.TargetVectors) -> dict[int, int]:
    """goal → the row index of its description closest to the passage."""
    best: dict[int, int] = {}
    for index, target in enumerate(vectors.targets):
        goal = _goal_of(target)
        if goal not in best or row[index] > row[best[goal]]:
            best[goal] = index
    return best


def _combine_one(row: np.ndarray | None, lexical: Result, vectors: embed.TargetVectors) -> Result:
    closest = _closest(row, vectors) if row is not None else {}
    median = float(np.median([row[i] for i in closest.values()])) if row is not None else 0.0
    scores: dict[int, float] = {}
    for goal_text, lexicon_score in lexical.scores.items():
        goal = int(goal_text)
        if lexicon_score <= 0:
            continue
        lift = float(row[closest[goal]]) - median if row is not None else 0.0
        scores[goal] = lexicon_score + EMBED_WEIGHT * max(0.0, lift - LIFT_FLOOR)
    best = max(scores.values(), default=0.0)
    cutoff = max(GOAL_THRESHOLD, RELATIVE_CUTOFF * best)
    sdgs = sorted((g for g, s in scores.items() if s >= cutoff), key=lambda g: (-scores[g], g))
    sdgs = sdgs[:MAX_GOALS]
    targets = sorted(
        (
            t
            for t, s in lexical.target_scores.items()
            if _goal_of(t) in sdgs and s >= TARGET_THRESHOLD
        ),
        key=lambda t: (sdgs.index(_goal_of(t)), -lexical.target_scores[t], t),
    )
    similar = [
        Similarity(
            target=vectors.targets[closest[goal]],
            description=vectors.texts[closest[goal]],
            kind=vectors.kinds[closest[goal]],
            similarity=round(float(row[closest[goal]]), 3),
        )
        for goal in sdgs
        if row is not None
    ]
    return Result(
        sdgs=sdgs,
        targets=targets,
        scores={str(g): round(s, 2) for g, s in sorted(scores.items())},
        target_scores=lexical.target_scores,
        evidence=lexical.evidence,
        similar=similar,
    )
