"""`lokalmaal backup` and `lokalmaal restore`: a round trip into an empty database gives the same
rows and the same files, and a damaged backup or a database in use is refused."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lokalmaal.ops.backup import MANIFEST

KEEP = {"django_migrations", "django_content_type", "auth_permission"}


def empty_copy(source: str, target: Path) -> None:
    """A migrated database without rows: the test database's schema."""
    db = sqlite3.connect(source, uri=source.startswith("file:"))
    try:
        db.execute("VACUUM INTO ?", (str(target),))
    finally:
        db.close()
    db = sqlite3.connect(target)
    tables = [
        name
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if name not in KEEP and not name.startswith("sqlite_") and "_fts_" not in name
    ]
    for name in tables:
        db.execute(f'DELETE FROM "{name}"')
    db.commit()
    db.close()


def run(step: str, database: Path, media: Path, folder: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "LOKALMAAL_MEDIA_DIR": str(media),
        "LOKALMAAL_CACHE_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-m", "lokalmaal.ops.tests.backup_roundtrip", step, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return outcome


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connection.vendor != "sqlite":
            pytest.skip("the round trip runs on SQLite files; dumpdata/loaddata are portable")
        name = str(connection.settings_dict["NAME"])
    root = tmp_path_factory.mktemp("backup")
    empty_copy(name, root / "empty.sqlite3")
    shutil.copy(root / "empty.sqlite3", root / "source.sqlite3")
    shutil.copy(root / "empty.sqlite3", root / "target.sqlite3")
    before = run("backup", root / "source.sqlite3", root / "media-a", root / "backup")
    after = run("restore", root / "target.sqlite3", root / "media-b", root / "backup")
    return root, before, after


def test_restore_into_an_empty_database_gives_the_same_rows_and_files(round_trip):
    root, before, after = round_trip
    assert before["rows"]["plans.plandocument"] == 2
    assert before["rows"]["accounts.user"] == 2
    assert after["rows"] == before["rows"]
    assert len(before["files"]) == 2
    assert after["files"] == before["files"]
    manifest = json.loads((root / "backup" / MANIFEST).read_text())
    assert manifest["files"] == before["files"]
    assert (root / "media-b" / next(iter(before["files"]))).is_file()


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_data(round_trip):
    root, _before, _after = round_trip
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", "--from", str(root / "backup"))


def test_restore_refuses_a_file_whose_checksum_changed(round_trip, tmp_path):
    root, before, _after = round_trip
    damaged = tmp_path / "damaged"
    shutil.copytree(root / "backup", damaged)
    name = next(iter(before["files"]))
    with (damaged / "files" / name).open("ab") as file:
        file.write(b"!")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", "--from", str(damaged))
