"""Template context shared by every page: the language switch and the site's name."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


def language_links(request: HttpRequest) -> list[dict[str, object]]:
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        params = request.GET.copy()
        params["lang"] = code
        links.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "url": f"{request.path}?{urlencode(sorted(params.items()))}",
                "current": code == current,
            }
        )
    return links


def site(request: HttpRequest) -> dict[str, object]:
    return {"language_links": language_links(request), "site_name": "Lokalmål"}
