"""Backup and restore of the database and the uploaded files, portable between SQLite and
PostgreSQL.

A backup is a folder: `database.jsonl.gz` (Django's serialisation of every row, natural keys for
content types and permissions, so it loads into any freshly migrated database), `files/` (every
file a FileField names, read through the storage API, so a folder or an S3 bucket alike) and
`manifest.json` with the row count of each model and the sha256 of every file. Restore checks
the checksums first, refuses a database that already holds data, loads everything in one
transaction and rebuilds what is derived (the SQLite full-text index).
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, models, transaction
from django.utils import timezone

FORMAT = 1
DATABASE_FILE = "database.jsonl.gz"
MANIFEST = "manifest.json"
# Rebuilt by migrate (content types, permissions) or worthless after a restore (sessions,
# heartbeats, finished tasks keep their rows: they are history). Passage vectors are a cache that
# the next analysis rebuilds (1.5 kB a passage).
EXCLUDED = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "ops.workerheartbeat",
    "plans.passagevector",
)


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Summary:
    rows: dict[str, int]
    files: dict[str, str]  # stored name → sha256


def _sha256(stream: Any) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def backed_up_models() -> list[type[models.Model]]:
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    excluded_models = {e for e in EXCLUDED if "." in e}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded_models
        and model._meta.managed
        and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}


def stored_files() -> Iterator[str]:
    """The name of every file a FileField points to."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names = model._base_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                )
                yield from (name for name in names if name)


def backup(target: Path) -> Summary:
    """Write a backup into `target` (created; it must be empty or new)."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    excludes = [f"--exclude={e}" for e in EXCLUDED]
    with transaction.atomic():  # rows and files as of one moment (one snapshot on PostgreSQL)
        rows = row_counts()
        call_command(
            "dumpdata",
            "--natural-foreign",
            "--natural-primary",
            "--format=jsonl",
            f"--output={target / DATABASE_FILE}",
            *excludes,
            verbosity=0,
        )
        files = {}
        for name in sorted(set(stored_files())):
            destination = target / "files" / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            with default_storage.open(name, "rb") as source, destination.open("wb") as out:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    out.write(chunk)
            with destination.open("rb") as written:
                files[name] = _sha256(written)
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": connection.vendor,
        "rows": rows,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return Summary(rows, files)


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{source / MANIFEST} cannot be read: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a backup this version can restore")
    return manifest


def verify(source: Path, manifest: dict[str, Any]) -> None:
    """Every file present with the checksum it was backed up with."""
    if not (source / DATABASE_FILE).is_file():
        raise BackupError(f"{source / DATABASE_FILE} is missing")
    for name, expected in manifest["files"].items():
        path = source / "files" / name
        if not path.is_file():
            raise BackupError(f"{path} is missing")
        with path.open("rb") as stream:
            if _sha256(stream) != expected:
                raise BackupError(f"{path} does not match its checksum")


def restore(source: Path) -> Summary:
    """Restore a backup into this (migrated, empty) database and the default storage."""
    manifest = read_manifest(source)
    verify(source, manifest)
    occupied = {label: n for label, n in row_counts().items() if n}
    if occupied:
        listed = ", ".join(f"{label} ({n})" for label, n in sorted(occupied.items()))
        raise BackupError(f"The database is not empty: {listed}. Restore into a new database.")
    for name, expected in manifest["files"].items():
        _put_file(name, source / "files" / name, expected)
    with transaction.atomic():
        # JSON Lines are read line by line, so a large database does not fill memory.
        call_command("loaddata", str(source / DATABASE_FILE), verbosity=0)
        _rebuild_search_index()
    return Summary(row_counts(), dict(manifest["files"]))


def _put_file(name: str, path: Path, expected: str) -> None:
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as present:
            if _sha256(present) == expected:
                return
        default_storage.delete(name)
    with path.open("rb") as stream:
        saved = default_storage.save(name, File(stream, name=name))
    if saved != name:
        default_storage.delete(saved)
        raise BackupError(f"{name} could not be stored under its own name")


def _rebuild_search_index() -> None:
    """The SQLite full-text table is not a model, so it is filled again from the entries."""
    if connection.vendor != "sqlite":
        return
    from lokalmaal.arena.models import SearchEntry
    from lokalmaal.arena.search import FTS_TABLE, fts_terms

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        for pk, title, body in SearchEntry.objects.values_list("pk", "title", "body"):
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                [pk, fts_terms(title), fts_terms(body)],
            )
