"""Request hygiene and caching rules that hold for every page, file and API answer.

- `ControlCharacterMiddleware`: a NUL byte or another control character in the path or a query
  parameter is answered 400 before any view or database sees it (PostgreSQL refuses NUL in text
  and the view would fail with a 500 instead).
- `NoStoreMiddleware`: a response that depends on the logged-in person, or carries personal
  data, must not be kept by a browser or a proxy: `Cache-Control: no-store` unless the view said
  the response is public. Anonymous pages (web/pagecache.py) are untouched.
"""

import logging
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from lokalmaal.web.language import SUPPORTED, normalise

type GetResponse = Callable[[HttpRequest], HttpResponseBase]

log = logging.getLogger("django.security.ControlCharacters")

# C0 controls and DEL anywhere in the path; in query values tab and line breaks are text a form
# may send (a pasted search phrase), the rest are not.
_PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUERY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(request: HttpRequest) -> bool:
    if _PATH_CONTROL.search(request.path):
        return True
    return any(
        _QUERY_CONTROL.search(key) or any(_QUERY_CONTROL.search(value) for value in values)
        for key, values in request.GET.lists()
    )


def _language(request: HttpRequest) -> str:
    """The visitor's language without running LanguageMiddleware (this answer comes first)."""
    from django.conf import settings

    chosen = normalise(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    language = chosen or translation.get_language_from_request(request)
    return language if language in SUPPORTED else settings.LANGUAGE_CODE


class ControlCharacterMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not has_control_characters(request):
            return self.get_response(request)
        # The path only: a query string may hold a search or an e-mail address.
        log.warning("Control character in %s %r (or its query)", request.method, request.path[:200])
        with translation.override(_language(request)):
            message = _(
                "The address contains a control character (such as %00), which no page of "
                "Lokalmål accepts. Check the link or remove the character and try again."
            )
        response: HttpResponseBase
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=400)
        else:
            response = HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return response


def is_public(response: HttpResponseBase) -> bool:
    return "public" in response.headers.get("Cache-Control", "")


def no_store[R: HttpResponseBase](response: R) -> R:
    """Mark a response with personal data: no browser or proxy may keep it."""
    patch_cache_control(response, no_store=True, private=True)
    return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a logged-in person (their menu, their
    data, their downloads) unless the view marked it public. Exports with personal data also
    call `no_store` themselves, so the rule holds wherever they are served from."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not is_public(response):
            no_store(response)
        return response
