"""What production needs before it may serve: checked without Django, so settings can use it.

A production server that guesses (a development key, SQLite on a disk only one app server sees,
a cache in each process, static files never collected) fails later and less clearly; instead it
refuses to start and lists everything that is missing at once.
"""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProductionSettings:
    secret_key: str
    hosts_given: bool
    database_engine: str
    cache_url: str
    single_host: bool
    static_manifest: Path


def missing(s: ProductionSettings, *, check_static: bool = True) -> list[str]:
    """One line per missing setting, saying which variable to set."""
    problems = []
    if not s.secret_key:
        problems.append("LOKALMAAL_SECRET_KEY must be set (a long random string, or *_FILE).")
    if not s.hosts_given:
        problems.append("LOKALMAAL_ALLOWED_HOSTS must name the host names the platform answers to.")
    if s.database_engine.endswith("sqlite3") and not s.single_host:
        problems.append(
            "DATABASE_URL must point to PostgreSQL (e.g. postgres://user@host:5432/lokalmaal); "
            "set LOKALMAAL_SINGLE_HOST=true to run on SQLite on one machine."
        )
    if not s.cache_url and not s.single_host:
        problems.append(
            "LOKALMAAL_CACHE_URL must point to the shared cache (e.g. redis://host:6379/0); "
            "set LOKALMAAL_SINGLE_HOST=true to keep the cache on one machine."
        )
    if check_static and not s.static_manifest.is_file():
        problems.append(
            f"Static files are not collected ({s.static_manifest} is missing): run "
            "`LOKALMAAL_ENV=production lokalmaal collectstatic --noinput` (scripts/setup does)."
        )
    return problems


def message(problems: list[str]) -> str:
    lines = "\n".join(f"  - {p}" for p in problems)
    return f"Lokalmål cannot start with LOKALMAAL_ENV=production:\n{lines}"
