"""Benchmark: our JSON-stat2 parser against pyjstat + pandas on a 100,000-cell SSB-like table.

Run with `.venv/bin/python bench/bench_jsonstat.py [--repeat N]`. Both sides start from the same
response text and are timed in the same process, alternately, and the medians are compared.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lokalmaal.stats.jsonstat import iter_observations, parse

REGIONS = 357  # municipalities in 2024
YEARS = 10
CONTENTS = 28
STATUS_SHARE = 0.04  # share of cells that are null with an SSB status symbol


def synthetic_table(seed: int = 2024) -> str:
    """A realistic json-stat2 response: 357 regions × 10 years × 28 contents = 99,960 cells."""
    rng = random.Random(seed)
    regions = [f"{3101 + i:04d}" for i in range(REGIONS)]
    years = [str(2015 + i) for i in range(YEARS)]
    contents = [f"KOSTRA{i:02d}" for i in range(CONTENTS)]
    cells = REGIONS * YEARS * CONTENTS
    values: list[float | None] = [round(rng.uniform(0, 50_000), 1) for _ in range(cells)]
    status: dict[str, str] = {}
    for index in rng.sample(range(cells), int(cells * STATUS_SHARE)):
        values[index] = None
        status[str(index)] = rng.choice([".", "..", ":"])
    doc: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": "12345: Kommunale nøkkeltall (syntetisk), etter region, statistikkvariabel og år",
        "source": "Statistisk sentralbyrå",
        "updated": "2025-06-16T06:00:00Z",
        "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [REGIONS, CONTENTS, YEARS],
        "dimension": {
            "Region": _dimension("region", regions, lambda c: f"Kommune {c}"),
            "ContentsCode": _dimension("statistikkvariabel", contents, lambda c: f"Nøkkeltall {c}"),
            "Tid": _dimension("år", years, str),
        },
        "extension": {"px": {"tableid": "12345", "decimals": 1}},
        "value": values,
        "status": status,
    }
    doc["dimension"]["ContentsCode"]["category"]["unit"] = {
        c: {"base": "kr", "decimals": 1} for c in contents
    }
    return json.dumps(doc, ensure_ascii=False)


def _dimension(label: str, codes: list[str], name: Callable[[str], str]) -> dict[str, Any]:
    return {
        "label": label,
        "category": {
            "index": {code: i for i, code in enumerate(codes)},
            "label": {code: name(code) for code in codes},
        },
    }


def ours(text: str) -> int:
    return len(list(iter_observations(parse(text))))


def load_baseline() -> Callable[[str], int] | None:
    try:
        import pandas  # type: ignore[import-untyped]  # noqa: F401
        from pyjstat import pyjstat  # type: ignore[import-untyped]
    except ImportError as error:
        print(f"Baseline skipped: {error.name} is not installed (pip install -e '.[dev]').")
        return None

    def baseline(text: str) -> int:
        return len(pyjstat.Dataset.read(text).write("dataframe"))

    return baseline


def timed(run: Callable[[str], int], text: str) -> float:
    gc.collect()
    start = time.perf_counter()
    run(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per side (default 9)")
    args = parser.parse_args()
    text = synthetic_table()
    baseline = load_baseline()
    cells = ours(text)
    print(f"Table: {cells:,} cells, {len(text.encode()) / 1e6:.1f} MB of json-stat2")
    if baseline is not None and baseline(text) != cells:
        raise SystemExit("the baseline read a different number of cells")
    our_times: list[float] = []
    base_times: list[float] = []
    for _ in range(args.repeat):  # alternate, so both sides see the same machine state
        our_times.append(timed(ours, text))
        if baseline is not None:
            base_times.append(timed(baseline, text))
    ours_median = statistics.median(our_times)
    print(f"ours  (parse + list of observations): median {ours_median * 1000:7.1f} ms")
    if baseline is not None:
        base_median = statistics.median(base_times)
        print(f"pyjstat + pandas (read → dataframe): median {base_median * 1000:7.1f} ms")
        print(f"ratio baseline / ours: {base_median / ours_median:.1f}×  ({args.repeat} runs each)")


if __name__ == "__main__":
    main()
