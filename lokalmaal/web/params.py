"""Query parameters that several pages read the same way."""

from typing import Annotated

from django.http import HttpRequest
from pydantic import Field

GOALS = range(1, 18)  # the 17 SDGs
# An API filter by goal: 1–17, else 422 (a number no database integer holds overflowed SQLite).
GoalNumber = Annotated[int, Field(ge=1, le=17)]


def goal_param(request: HttpRequest, name: str = "mal") -> int | None:
    """The goal number chosen in a filter, or None when none (or nonsense, such as a number no
    database integer holds) is given."""
    try:
        number = int(request.GET[name]) if request.GET.get(name) else None
    except ValueError:
        return None
    return number if number in GOALS else None
