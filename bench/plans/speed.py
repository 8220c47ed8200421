"""Time the classifier on a plan-sized input: 1,500 passages of 400–800 characters, made by
joining consecutive passages of the development set (a real plan mixes boilerplate, tables and
substantive text in about these proportions).

Run: .venv/bin/python bench/plans/speed.py [passages] [budget seconds | none] [nb | nn | en]
(default 1,500 passages of all three languages and the platform's time budget; OMP_NUM_THREADS
limits the cores used). English passages go through the English model (english.py), the others
through e5, so `en` and `nb` in one session compare the two.
"""

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lokalmaal.plans import hybrid
from lokalmaal.plans.classify import TIME_BUDGET, Classifier


def plan_like(count: int, language: str | None = None) -> list[str]:
    lines = Path(__file__).with_name("devset.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    texts = [row["text"] for row in rows if language in (None, row["lang"])]
    passages: list[str] = []
    index = 0
    while len(passages) < count:
        passage = ""
        while len(passage) < 400:
            passage = f"{passage} {texts[index % len(texts)]}".strip()
            index += 1
        passages.append(passage[:800])
    return passages


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    passages = plan_like(count, sys.argv[3] if len(sys.argv) > 3 else None)
    started = time.perf_counter()
    budget = sys.argv[2] if len(sys.argv) > 2 else str(TIME_BUDGET)
    classifier = Classifier(time_budget=None if budget == "none" else float(budget))
    embedded = sum(hybrid.needs_embedding(text) for text in passages)
    classifier.classify_many(passages[:1])  # load the model and the target vectors
    loaded = time.perf_counter()
    results = classifier.classify_many(passages)
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count} passages, mean {sum(map(len, passages)) / count:.0f} characters")
    english = sum(hybrid.uses_english_model(text) for text in passages)
    print(f"{embedded} ({embedded / count:.0%}) need an embedding model, {english} the English one")
    print(
        f"load {loaded - started:.1f} s; classify {done - loaded:.1f} s "
        f"= {count / (done - loaded):.1f} passages/s; peak memory {peak:.0f} MB"
    )
    print(f"embedded within the budget: {sum(bool(r.similar) for r in results)} with a goal")
    print(f"goals per passage {sum(len(r.sdgs) for r in results) / count:.2f}")


if __name__ == "__main__":
    main()
