"""Template context for every page: the number of unread notifications, counted only when a
template asks for it (templates call callables), and at most once per page."""

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from lokalmaal.discussion.reads import unread_count


def notifications(request: HttpRequest) -> dict[str, Callable[[], int]]:
    return {"unread_notifications": cache(lambda: unread_count(request.user))}
