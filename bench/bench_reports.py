"""How long SDG reports take: the report's data, the PDF (typst) and the Word file, per region,
in wall-clock and CPU seconds, for a sample of municipalities spread over the code list, and the
357-municipality batch (`lokalmaal report all`) extrapolated from it.

Run: .venv/bin/python bench/bench_reports.py [--sample 20] [--everything]
Uses the development database (run `lokalmaal data load` first). `--everything` runs the real
batch into a temporary folder instead of a sample (about 7 CPU minutes on this machine's core).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalmaal.config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--everything", action="store_true")
    options = parser.parse_args()

    import django

    django.setup()
    from lokalmaal.reports import batch
    from lokalmaal.reports.content import build_report, report_language
    from lokalmaal.reports.pdf import to_pdf
    from lokalmaal.reports.word import to_docx

    municipalities = batch.regions("all")
    if options.everything:
        with tempfile.TemporaryDirectory() as folder:
            wall, cpu = time.perf_counter(), time.process_time()
            batch.write_reports(municipalities, Path(folder), ("pdf", "docx"))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{len(municipalities)} municipalities, PDF and Word: {wall:.0f} s wall, {cpu:.0f} s CPU"
        )
        return
    step = max(1, len(municipalities) // options.sample)
    sample = municipalities[::step][: options.sample]
    build_report(sample[0].code, "nb")  # warm the memos (series, profiles) and the fonts
    to_pdf(build_report(sample[0].code, "nb"))
    totals = {"data": 0.0, "pdf": 0.0, "docx": 0.0}
    cpu_start = time.process_time()
    for region in sample:
        language = report_language(region, None)
        start = time.perf_counter()
        report = build_report(region.code, language)
        totals["data"] += time.perf_counter() - start
        start = time.perf_counter()
        to_pdf(report)
        totals["pdf"] += time.perf_counter() - start
        start = time.perf_counter()
        to_docx(report)
        totals["docx"] += time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    count = len(sample)
    each = {key: value / count for key, value in totals.items()}
    per_region = sum(each.values())
    print(
        f"{count} municipalities: data {each['data']:.2f} s, PDF {each['pdf']:.2f} s, "
        f"Word {each['docx']:.2f} s per report (wall); {cpu / count:.2f} s CPU each"
    )
    print(
        f"357 municipalities, PDF and Word: about {per_region * 357 / 60:.1f} min wall, "
        f"{cpu / count * 357 / 60:.1f} min CPU"
    )


if __name__ == "__main__":
    main()
