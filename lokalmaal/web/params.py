"""Query parameters that several pages read the same way."""

from django.http import HttpRequest


def goal_param(request: HttpRequest, name: str = "mal") -> int | None:
    """The goal number chosen in a filter, or None when none (or nonsense) is given."""
    try:
        return int(request.GET[name]) if request.GET.get(name) else None
    except ValueError:
        return None
