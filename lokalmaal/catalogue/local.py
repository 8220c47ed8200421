"""Read and validate Lokalmål's own account of what each SDG target means locally
(`local/NN.toml`, one file per goal). Pure functions over files; no database."""

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lokalmaal.lib.datafiles import DataFileError, open_text

LOCAL_DIR = Path(__file__).parent / "local"

RELEVANCE = ("high", "medium", "low", "not_local")
ROLES = (
    "tjenesteyter",
    "samfunnsutvikler",
    "myndighetsutover",
    "arbeidsgiver",
    "innkjoper_og_eier",
    "demokratisk_arena",
)
MUNICIPAL_SERVICE_AREAS = (
    "barnehage",
    "grunnskole",
    "helse_og_omsorg",
    "sosialtjenester",
    "barnevern",
    "kommunehelse",
    "kultur_og_idrett",
    "plan_byggesak_miljo",
    "samferdsel",
    "vann_avlop_renovasjon",
    "brann_og_ulykkesvern",
    "naering",
    "eiendom",
    "administrasjon_og_styring",
)
COUNTY_SERVICE_AREAS = (
    "videregaende_opplaering",
    "kollektivtransport",
    "fylkesveg",
    "regional_utvikling",
    "tannhelse",
    "kulturminner",
)
SERVICE_AREAS = MUNICIPAL_SERVICE_AREAS + COUNTY_SERVICE_AREAS
PLAN_LEVELS = ("planstrategi", "samfunnsdel", "arealdel", "handlingsdel", "sektorplan")
TEXT_FIELDS = ("reason_nb", "reason_nn", "meaning_nb", "meaning_nn")


@dataclass(frozen=True)
class LocalMeaningRecord:
    target: str
    relevance_municipality: str
    relevance_county: str
    reason_nb: str
    reason_nn: str
    roles: tuple[str, ...]
    service_areas: tuple[str, ...]
    plan_levels: tuple[str, ...]
    meaning_nb: str
    meaning_nn: str
    measures_nb: tuple[str, ...]
    measures_nn: tuple[str, ...]
    legal_basis: tuple[str, ...]


def read_local_meanings(
    known_targets: set[str], folder: Path = LOCAL_DIR
) -> list[LocalMeaningRecord]:
    records: list[LocalMeaningRecord] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(open_text(path))
        except tomllib.TOMLDecodeError as error:
            raise DataFileError(path, _line_of(error), f"not valid TOML: {error}") from None
        for number, item in enumerate(data.get("target", []), start=1):
            record = _record(path, number, item, known_targets)
            if record.target in seen:
                raise DataFileError(path, 0, f"target {record.target} is described twice")
            seen.add(record.target)
            records.append(record)
    return records


def _line_of(error: tomllib.TOMLDecodeError) -> int:
    return getattr(error, "lineno", 0) or 0


def _record(path: Path, number: int, item: dict[str, Any], known: set[str]) -> LocalMeaningRecord:
    def fail(reason: str) -> DataFileError:
        return DataFileError(path, 0, f"target entry {number} ({item.get('id', '?')}): {reason}")

    target = str(item.get("id", ""))
    if target not in known:
        raise fail("id is not an SDG target")

    def choice(field: str, allowed: tuple[str, ...]) -> str:
        value = item.get(field)
        if value not in allowed:
            raise fail(f"{field} is {value!r}; expected one of {', '.join(allowed)}")
        return str(value)

    def text(field: str) -> str:
        value = item.get(field)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{field} is missing or empty")
        return value.strip()

    def keys(field: str, allowed: tuple[str, ...], *, required: bool = True) -> tuple[str, ...]:
        values = item.get(field, [])
        if not isinstance(values, list) or (required and not values):
            raise fail(f"{field} must be a non-empty list")
        unknown = [v for v in values if allowed and v not in allowed]
        if unknown:
            raise fail(f"{field} has unknown value(s) {unknown}; allowed: {', '.join(allowed)}")
        return tuple(str(v).strip() for v in values)

    measures_nb = keys("measures_nb", ())
    measures_nn = keys("measures_nn", ())
    if len(measures_nb) != len(measures_nn):
        raise fail("measures_nb and measures_nn must have the same number of items")
    return LocalMeaningRecord(
        target=target,
        relevance_municipality=choice("relevance_municipality", RELEVANCE),
        relevance_county=choice("relevance_county", RELEVANCE),
        reason_nb=text("reason_nb"),
        reason_nn=text("reason_nn"),
        roles=keys("roles", ROLES),
        service_areas=keys("service_areas", SERVICE_AREAS),
        plan_levels=keys("plan_levels", PLAN_LEVELS),
        meaning_nb=text("meaning_nb"),
        meaning_nn=text("meaning_nn"),
        measures_nb=measures_nb,
        measures_nn=measures_nn,
        legal_basis=keys("legal_basis", (), required=False),
    )
