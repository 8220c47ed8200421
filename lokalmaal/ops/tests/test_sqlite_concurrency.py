"""20 people saving ratings at once on the default (file) SQLite database: no "database is
locked", no 500. The child process gets a copy of the test database in a file, with the
settings a laptop gets (WAL, busy timeout, immediate transactions)."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from django.db import connection

PEOPLE = 20


@pytest.mark.django_db
def test_twenty_people_saving_ratings_at_once_all_succeed(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: the SQLite run of the suite covers it")
    name = str(connection.settings_dict["NAME"])
    copy = tmp_path / "concurrent.sqlite3"
    source = sqlite3.connect(name, uri=name.startswith("file:"))
    try:
        source.execute("VACUUM INTO ?", (str(copy),))  # schema and the loaded bundle
    finally:
        source.close()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{copy}", "LOKALMAAL_CACHE_URL": ""}
    result = subprocess.run(
        [sys.executable, "-m", "lokalmaal.ops.tests.concurrent_ratings", str(PEOPLE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["statuses"] == [302] * PEOPLE
    assert outcome["ratings"] == 2 * PEOPLE
    journal = sqlite3.connect(copy).execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "wal"
