"""Typed settings read from the environment, declared as data so the README can list them all.

Every setting is registered in SETTINGS with its default and help text; a test fails when one is
missing from the README's table, so the documentation cannot drift from the code.
"""

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {}


def _read(name: str, default: str, help: str) -> str:
    SETTINGS[name] = Setting(name, default, help)
    # NAME_FILE lets a secret come from a file (Docker/Kubernetes secrets), not the environment.
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_str(name: str, default: str, help: str) -> str:
    return _read(name, default, help)


def env_bool(name: str, default: bool, help: str) -> bool:
    value = _read(name, "true" if default else "false", help)
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, help: str) -> int:
    value = _read(name, str(default), help)
    try:
        return int(value)
    except ValueError as error:
        raise ValueError(f"Setting {name} must be a whole number, got {value!r}") from error


def env_list(name: str, default: list[str], help: str) -> list[str]:
    value = _read(name, ",".join(default), help)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_given(name: str) -> bool:
    """Whether the setting was given at all (in the environment or as NAME_FILE)."""
    return bool(os.environ.get(name) or os.environ.get(f"{name}_FILE"))
