"""With LOKALMAAL_ENV=production, `lokalmaal serve` refuses to start while something it needs is
missing, and says everything that is missing at once."""

import os
import subprocess
import sys

from lokalmaal.config.production import ProductionSettings, missing


def serve(**env: str) -> subprocess.CompletedProcess[str]:
    given = {k: v for k, v in os.environ.items() if not k.startswith(("LOKALMAAL_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "lokalmaal", "serve", "--bind", "127.0.0.1:1"],
        env={**given, "LOKALMAAL_ENV": "production", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_serve_lists_everything_missing_and_does_not_start(tmp_path):
    result = serve(LOKALMAAL_SECRET_KEY="k" * 50, LOKALMAAL_VAR_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "LOKALMAAL_SECRET_KEY" not in result.stderr  # given
    for needed in (
        "LOKALMAAL_ALLOWED_HOSTS",
        "DATABASE_URL",
        "LOKALMAAL_CACHE_URL",
        "collectstatic",
    ):
        assert needed in result.stderr
    assert "serves http" not in result.stdout


def test_production_needs_no_postgresql_or_redis_on_one_host_but_still_static_files(tmp_path):
    settings = ProductionSettings(
        secret_key="k" * 50,
        hosts_given=True,
        database_engine="django.db.backends.sqlite3",
        cache_url="",
        single_host=True,
        static_manifest=tmp_path / "staticfiles.json",
    )
    assert len(missing(settings)) == 1
    (tmp_path / "staticfiles.json").write_text("{}")
    assert missing(settings) == []
    shared = ProductionSettings(
        "k" * 50, True, "django.db.backends.postgresql", "redis://r:6379/0", False, tmp_path
    )
    assert missing(shared, check_static=False) == []
