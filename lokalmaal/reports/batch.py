"""Reports for many regions at once, written to a folder: `lokalmaal report all --to DIR`.

Each report is written to a temporary name and renamed, so an interrupted run leaves only whole
files, and a rerun skips what is already there (unless forced). Progress goes to a callback.
"""

import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lokalmaal.regions.models import Region, RegionKind
from lokalmaal.reports import pdf, word
from lokalmaal.reports.content import Report, build_report, report_language

WRITERS: dict[str, Callable[[Report], bytes]] = {"pdf": pdf.to_pdf, "docx": word.to_docx}


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    code: str
    name: str
    seconds: float  # since the start
    skipped: bool

    @property
    def remaining_seconds(self) -> float:
        return self.seconds / self.done * (self.total - self.done) if self.done else 0.0


def regions(which: str) -> list[Region]:
    """ "all" (the 357 municipalities), "counties", "everything", or codes separated by commas."""
    found = Region.objects.select_related("parent").order_by("code")
    if which == "all":
        return list(found.filter(kind=RegionKind.MUNICIPALITY))
    if which == "counties":
        return list(found.filter(kind=RegionKind.COUNTY))
    if which == "everything":
        return list(found.filter(kind__in=[RegionKind.MUNICIPALITY, RegionKind.COUNTY]))
    codes = [c.strip() for c in which.split(",") if c.strip()]
    chosen = list(
        found.filter(code__in=codes, kind__in=[RegionKind.MUNICIPALITY, RegionKind.COUNTY])
    )
    unknown = sorted(set(codes) - {r.code for r in chosen})
    if unknown:
        raise ValueError(f"Unknown municipality or county: {', '.join(unknown)}")
    return chosen


def file_name(region: Region, language: str, fmt: str) -> str:
    return f"{region.code}-{region.slug.split('-', 1)[-1]}-{language}.{fmt}"


def write_reports(
    targets: Iterable[Region],
    folder: Path,
    formats: tuple[str, ...],
    language: str | None = None,
    force: bool = False,
    progress: Callable[[Progress], None] = lambda p: None,
) -> int:
    """Writes each region's report in each format; returns how many files were written."""
    folder.mkdir(parents=True, exist_ok=True)
    chosen = list(targets)
    start = time.monotonic()
    written = 0
    for index, region in enumerate(chosen, start=1):
        lang = report_language(region, language)
        paths = {fmt: folder / file_name(region, lang, fmt) for fmt in formats}
        todo = [fmt for fmt, path in paths.items() if force or not path.exists()]
        if todo:
            report = build_report(region.code, lang)
            for fmt in todo:
                _write(paths[fmt], WRITERS[fmt](report))
                written += 1
        progress(
            Progress(
                index, len(chosen), region.code, region.name, time.monotonic() - start, not todo
            )
        )
    return written


def _write(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(content)
    os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the reports from a web server
    Path(temporary).replace(path)
