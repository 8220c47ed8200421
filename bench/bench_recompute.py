"""Time recomputing status, trend and peers for every indicator and municipality, and how the
time grows with the number of municipalities. Run: .venv/bin/python bench/bench_recompute.py

Uses the loaded development database (run `lokalmaal data load` first). Reports seconds for 50,
100, 200 and all 357 municipalities and the time per municipality relative to the 50-run, so the
figures are ratios measured in the same run on this (shared, noisy) machine.
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalmaal.config.settings")

import django

django.setup()

from lokalmaal.indicators import analysis, peers  # noqa: E402
from lokalmaal.indicators.models import Indicator  # noqa: E402
from lokalmaal.indicators.reads import _profiles, _series  # noqa: E402


def recompute(codes: list[str]) -> int:
    series = _series()
    profiles = [p for p in _profiles() if p.code in set(codes)]
    assessed = 0
    for indicator in Indicator.objects.all():
        for code in codes:
            analysis.assess_progress(
                series.get((indicator.id, code), {}), indicator.direction, indicator.target_2030
            )
            assessed += 1
    for code in codes:
        peers.similar(profiles, code, k=10)
    return assessed


def main() -> None:
    all_codes = [p.code for p in _profiles()]
    results = []
    for size in (50, 100, 200, len(all_codes)):
        codes = all_codes[:size]
        times = []
        for _ in range(3):
            started = time.perf_counter()
            recompute(codes)
            times.append(time.perf_counter() - started)
        results.append((size, statistics.median(times)))
    base_size, base_time = results[0]
    print(f"{'municipalities':>15} {'seconds':>9} {'per municipality vs 50':>24}")
    for size, seconds in results:
        ratio = (seconds / size) / (base_time / base_size)
        print(f"{size:>15} {seconds:>9.3f} {ratio:>24.2f}")


if __name__ == "__main__":
    main()
