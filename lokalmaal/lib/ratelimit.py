"""Rate limits on posting: at most `limit` actions of one kind per person (or address) per window.

Counts live in Django's cache (fixed windows keyed by the window's start), so they are shared by
every process that shares the cache. Login attempts are limited by allauth itself
(ACCOUNT_RATE_LIMITS in settings); this module covers what members post.
"""

import time
from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class RateLimitedError(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            _("You have posted a lot in a short time. Please wait a while and try again.")
        )
        self.retry_after = retry_after


def _who(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    # The client's address as the login limits see it (through LOKALMAAL_TRUSTED_PROXY_COUNT
    # proxies), so people behind one reverse proxy do not share one limit.
    from allauth.core.internal.ratelimit import get_ip

    return f"ip:{get_ip(request)}"


def check_rate(request: HttpRequest, scope: str, limit: int, window: int) -> None:
    """Count one action of `scope`; RateLimitedError when this one goes over the limit."""
    now = int(time.time())
    start = now - now % window
    key = f"ratelimit:{scope}:{_who(request)}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise RateLimitedError(retry_after=start + window - now)


type View[**P] = Callable[Concatenate[HttpRequest, P], HttpResponse]


def rate_limited[**P](scope: str, limit: int, window: int) -> Callable[[View[P]], View[P]]:
    """Limit the POSTs to a view; other methods pass. Over the limit: 429 with a clear page."""

    def decorate(view: View[P]) -> View[P]:
        def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if request.method == "POST":
                try:
                    check_rate(request, scope, limit, window)
                except RateLimitedError as error:
                    response = render(
                        request, "web/rate_limited.html", {"message": str(error)}, status=429
                    )
                    response["Retry-After"] = str(error.retry_after)
                    return response
            return view(request, *args, **kwargs)

        update_wrapper(wrapper, view)
        return wrapper

    return decorate
