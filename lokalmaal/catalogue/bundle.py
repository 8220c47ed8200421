"""Read and validate the SDG catalogue: the UN English text and bundle bokmål from the data bundle,
Lokalmål's own reviewed bokmål and its nynorsk from `texts/` in this package.

Pure functions over files; nothing here touches the database.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from lokalmaal.catalogue.local import LocalMeaningRecord, read_local_meanings
from lokalmaal.lib.datafiles import DataFileError, Row, read_csv

TEXTS_DIR = Path(__file__).parent / "texts"
CATALOGUE_FILE = Path("sdg") / "sdg_catalogue_en_nb.csv"

GOAL_RE = re.compile(r"^([1-9]|1[0-7])$")
TARGET_RE = re.compile(r"^([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])$")
INDICATOR_RE = re.compile(r"^([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])\.([1-9][0-9]?)$")


@dataclass
class Texts:
    """Title (and for goals short name) per language with provenance per language."""

    title: dict[str, str] = field(default_factory=dict)
    short: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)


@dataclass
class Entry:
    code: str
    parent: str  # goal number for a target, target code for an indicator, "" for a goal
    position: int
    texts: Texts


@dataclass
class Catalogue:
    goals: list[Entry]
    targets: list[Entry]
    indicators: list[Entry]
    local: list[LocalMeaningRecord] = field(default_factory=list)


def read_catalogue(bundle: Path, texts_dir: Path = TEXTS_DIR) -> Catalogue:
    catalogue = _read_un_catalogue(bundle / CATALOGUE_FILE)
    for language in ("nb", "nn"):
        _apply_own_texts(catalogue, texts_dir / language, language)
    catalogue.local = read_local_meanings({t.code for t in catalogue.targets})
    return catalogue


def _read_un_catalogue(path: Path) -> Catalogue:
    columns = {"level", "id", "goal", "target", "short_en", "short_nb", "title_en", "title_nb"}
    goals: list[Entry] = []
    targets: list[Entry] = []
    indicators: list[Entry] = []
    seen: set[str] = set()
    for row in read_csv(path, columns):
        level, code = row["level"], row.required("id")
        if code in seen:
            raise row.error(f"id {code!r} appears twice")
        seen.add(code)
        texts = Texts(
            title={"en": row.required("title_en"), "nb": row.required("title_nb")},
            provenance={"en": "un", "nb": "bundle"},
        )
        if level == "goal":
            _check_code(row, GOAL_RE, code)
            texts.short = {"en": row.required("short_en"), "nb": row.required("short_nb")}
            goals.append(Entry(code, "", len(goals) + 1, texts))
        elif level == "target":
            match = _check_code(row, TARGET_RE, code)
            _require_known(row, match.group(1), {g.code for g in goals}, "goal")
            position = sum(1 for t in targets if t.parent == match.group(1)) + 1
            targets.append(Entry(code, match.group(1), position, texts))
        elif level == "indicator":
            match = _check_code(row, INDICATOR_RE, code)
            target = f"{match.group(1)}.{match.group(2)}"
            _require_known(row, target, {t.code for t in targets}, "target")
            position = sum(1 for i in indicators if i.parent == target) + 1
            indicators.append(Entry(code, target, position, texts))
        else:
            raise row.error(f"level is {level!r}; expected goal, target or indicator")
    if [g.code for g in goals] != [str(n) for n in range(1, 18)]:
        raise DataFileError(path, 0, f"expected goals 1–17, found {len(goals)}")
    if len(targets) != 169:
        raise DataFileError(path, 0, f"expected 169 targets, found {len(targets)}")
    return Catalogue(goals, targets, indicators)


def _check_code(row: Row, pattern: re.Pattern[str], code: str) -> re.Match[str]:
    match = pattern.match(code)
    if match is None:
        raise row.error(f"id {code!r} is not a valid SDG number for its level")
    return match


def _require_known(row: Row, code: str, known: set[str], what: str) -> None:
    if code not in known:
        raise row.error(f"{what} {code!r} must come before the rows that belong to it")


def _apply_own_texts(catalogue: Catalogue, folder: Path, language: str) -> None:
    """Lokalmål's own texts replace the bundle's; every id must exist in the UN catalogue (goals,
    targets and, in indicators.csv, global indicators whose bundle text has errors)."""
    by_code = {e.code: e for e in (*catalogue.goals, *catalogue.targets, *catalogue.indicators)}
    if not folder.is_dir():
        raise DataFileError(folder, 0, "folder of Lokalmål's own texts is missing")
    for path in sorted(folder.glob("*.csv")):
        for row in read_csv(path, {"id", "short", "title"}):
            entry = by_code.get(row.required("id"))
            if entry is None:
                raise row.error(f"id {row['id']!r} is not a goal or target in the UN catalogue")
            entry.texts.title[language] = row.required("title")
            entry.texts.provenance[language] = "lokalmaal"
            if GOAL_RE.match(entry.code):
                entry.texts.short[language] = row.required("short")
