"""Query parameters that several pages read the same way."""

from django.http import HttpRequest

GOALS = range(1, 18)  # the 17 SDGs


def goal_param(request: HttpRequest, name: str = "mal") -> int | None:
    """The goal number chosen in a filter, or None when none (or nonsense, such as a number no
    database integer holds) is given."""
    try:
        number = int(request.GET[name]) if request.GET.get(name) else None
    except ValueError:
        return None
    return number if number in GOALS else None
