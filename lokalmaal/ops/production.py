"""Refuse to serve in production while something it needs is missing."""

from django.conf import settings
from django.core.management.base import CommandError

from lokalmaal.config import production


def problems() -> list[str]:
    if not settings.PRODUCTION:
        return []
    return production.missing(settings.PRODUCTION_SETTINGS)


def require_ready() -> None:
    """CommandError listing every missing setting, when there is one."""
    found = problems()
    if found:
        raise CommandError(production.message(found), returncode=2)
