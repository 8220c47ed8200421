"""Which language a page is in: bokmål, nynorsk or English.

Order: `?lang=` in the URL (remembered in a cookie), then the cookie, then — for a municipality's
page only — the municipality's own written standard (see `use_region_language`), then the
browser's Accept-Language, then bokmål. `request.language_chosen` says whether the visitor chose.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def normalise(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower()
    aliases = {"no": "nb", "nb-no": "nb", "nn-no": "nn", "en-gb": "en", "en-us": "en"}
    value = aliases.get(value, value)
    return value if value in SUPPORTED else None


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from_url = normalise(request.GET.get("lang"))
        chosen = from_url or normalise(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        request.language_chosen = chosen is not None  # type: ignore[attr-defined]
        language = chosen or translation.get_language_from_request(request) or "nb"
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        response.headers["Vary"] = ", ".join(
            filter(None, [response.headers.get("Vary", ""), "Accept-Language, Cookie"])
        )
        if from_url and not request.path.startswith("/api/"):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                from_url,
                max_age=365 * 24 * 3600,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                samesite="Lax",
                httponly=True,
            )
        translation.deactivate()
        return response


def use_region_language(request: HttpRequest, written_standard: str) -> None:
    """A municipality's page speaks its own written standard unless the visitor chose."""
    if getattr(request, "language_chosen", False) or written_standard not in SUPPORTED:
        return
    translation.activate(written_standard)
    request.LANGUAGE_CODE = written_standard
