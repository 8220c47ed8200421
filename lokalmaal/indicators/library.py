"""Read and validate the indicator library (`library/*.toml`). Pure functions; no database."""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lokalmaal.lib.datafiles import DataFileError, open_text

LIBRARY_DIR = Path(__file__).parent / "library"
DIRECTIONS = ("higher", "lower", "neutral")
EVALUATION_TYPES = ("input", "activity", "output", "outcome", "impact")
QUALITY_CLASSES = ("A", "B", "C")
LEVELS = ("municipality", "county", "country")
SOURCE_KINDS = ("ssb", "bundle", "other")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TEXTS = tuple(f"{f}_{lang}" for f in ("name", "definition", "unit") for lang in ("nb", "nn", "en"))


@dataclass(frozen=True)
class IndicatorRecord:
    id: str
    texts: dict[str, str]
    direction: str
    sdg_targets: tuple[str, ...]
    evaluation_type: str
    quality_class: str
    levels: tuple[str, ...]
    kostra: bool
    source_kind: str
    source: dict[str, Any]
    computation: dict[str, Any]
    target_2030: float | None = None
    target_citation: str = ""
    position: int = 0
    file: str = field(default="", compare=False)


def read_library(known_targets: set[str], folder: Path = LIBRARY_DIR) -> list[IndicatorRecord]:
    records: list[IndicatorRecord] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(open_text(path))
        except tomllib.TOMLDecodeError as error:
            raise DataFileError(path, 0, f"not valid TOML: {error}") from None
        for number, item in enumerate(data.get("indicator", []), start=1):
            record = _record(path, number, item, known_targets, len(records))
            if record.id in seen:
                raise DataFileError(path, 0, f"indicator {record.id!r} is defined twice")
            seen.add(record.id)
            records.append(record)
    return records


def _record(
    path: Path, number: int, item: dict[str, Any], known: set[str], position: int
) -> IndicatorRecord:
    def fail(reason: str) -> DataFileError:
        return DataFileError(path, 0, f"indicator {number} ({item.get('id', '?')}): {reason}")

    def choice(name: str, allowed: tuple[str, ...]) -> str:
        if item.get(name) not in allowed:
            raise fail(f"{name} is {item.get(name)!r}; expected one of {', '.join(allowed)}")
        return str(item[name])

    indicator_id = str(item.get("id", ""))
    if not ID_RE.match(indicator_id):
        raise fail("id must be lowercase letters, digits and hyphens")
    texts = {name: str(item.get(name, "")).strip() for name in TEXTS}
    empty = [name for name, text in texts.items() if not text]
    if empty:
        raise fail(f"missing {', '.join(empty)}")
    targets = tuple(str(t) for t in item.get("sdg_targets", []))
    unknown = [t for t in targets if t not in known]
    if not targets or unknown:
        raise fail(f"sdg_targets must name known targets; unknown: {unknown or 'none given'}")
    levels = tuple(item.get("levels", []))
    if not levels or any(level not in LEVELS for level in levels):
        raise fail(f"levels must be some of {', '.join(LEVELS)}")
    source = dict(item.get("source", {}))
    kind = str(source.get("kind", ""))
    if kind not in SOURCE_KINDS:
        raise fail(f"source.kind is {kind!r}; expected one of {', '.join(SOURCE_KINDS)}")
    if kind == "ssb" and not (str(source.get("table", "")).isdigit() and source.get("selection")):
        raise fail("an SSB source needs a numeric table id and a selection")
    if kind != "ssb" and not source.get("publisher"):
        raise fail("a bundle or other source needs a publisher")
    if kind == "bundle" and not (source.get("file") and source.get("description")):
        raise fail("a bundle source needs its file and a description")
    if item.get("kostra") and kind != "ssb":
        raise fail("kostra = true needs an SSB source that names its table")
    target = item.get("target_2030") or {}
    if target and not target.get("citation"):
        raise fail("target_2030 needs a citation")
    return IndicatorRecord(
        id=indicator_id,
        texts=texts,
        direction=choice("direction", DIRECTIONS),
        sdg_targets=targets,
        evaluation_type=choice("evaluation_type", EVALUATION_TYPES),
        quality_class=choice("quality_class", QUALITY_CLASSES),
        levels=levels,
        kostra=bool(item.get("kostra", False)),
        source_kind=kind,
        source=source,
        computation=dict(item.get("computation", {})),
        target_2030=float(target["value"]) if target.get("value") is not None else None,
        target_citation=str(target.get("citation", "")),
        position=position,
        file=path.name,
    )
