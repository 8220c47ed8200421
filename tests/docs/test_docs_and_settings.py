"""Docs that cannot drift, production settings that pass Django's deploy check, and
translations that are complete and compiled."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import get_commands

from lokalmaal.config.env import SETTINGS

README = (Path(settings.REPO_DIR) / "README.md").read_text(encoding="utf-8")
LOCALE = Path(settings.PACKAGE_DIR) / "locale"


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_setting_is_in_the_readme_table(name):
    assert re.search(rf"^\| `{name}` \|", README, re.MULTILINE), f"{name} is not documented"


def test_every_project_command_is_in_the_readme():
    ours = [name for name, app in get_commands().items() if app.startswith("lokalmaal")]
    assert ours
    for name in ours:
        assert f"`lokalmaal {name}" in README, f"command {name} is not documented"


def test_readme_gives_the_two_commands():
    block = README.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["scripts/serve", "scripts/test"]
    ci = (Path(settings.REPO_DIR) / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nscripts/test\n" in ci


def test_production_settings_pass_the_deploy_check_without_warnings():
    env = {
        **os.environ,
        "LOKALMAAL_ENV": "production",
        "LOKALMAAL_SECRET_KEY": "t3st-" + "x7Qp9" * 12,
        "LOKALMAAL_ALLOWED_HOSTS": "lokalmaal.example.no",
    }
    env.pop("LOKALMAAL_DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "lokalmaal", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "LOKALMAAL_ENV": "production", "LOKALMAAL_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-m", "lokalmaal", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "LOKALMAAL_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_interface_text_is_translated(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as file:
        catalog = read_po(file)
    missing = [
        m.id
        for m in catalog
        if m.id and (not m.string or m.fuzzy or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert missing == []


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_compiled_translations_match_the_po_files(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.po").open("rb") as file:
        po = {_key(m): _text(m.string) for m in read_po(file) if m.id and m.string and not m.fuzzy}
    with (folder / "django.mo").open("rb") as file:
        mo = {_key(m): _text(m.string) for m in read_mo(file) if m.id}
    assert po == mo, "run: cd lokalmaal && django-admin compilemessages"


def _text(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def _key(message: object) -> object:
    return (getattr(message, "context", None), _text(getattr(message, "id", None)))
