"""Whole pages for anonymous visitors, rendered once per data version.

Pages that show only loaded data (a municipality's dashboard, an indicator across the country, a
county with its map) are the same for every anonymous visitor of a URL in a language, until the
data version changes. They are kept in Django's cache: the local-memory cache unless CACHES says
otherwise, which is bounded (at most 300 entries a process), so odd query strings only push out
other pages instead of growing the process. Logged-in people (their menu differs) and anyone with
a pending message get theirs rendered.
"""

import hashlib
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from lokalmaal.indicators.reads import data_version

PAGE_SECONDS = 24 * 3600  # a cached page is also dropped when the data version changes


def anonymous_page(
    request: HttpRequest, render_page: Callable[[], HttpResponse], variant: str = ""
) -> HttpResponse:
    """The page `render_page` makes, from the cache for anonymous visitors. Only a complete page
    (200) is kept. A page that also shows something other than loaded data passes `variant`, a
    cheap fingerprint of that part, so a change there is a new cache entry."""
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return render_page()
    page = hashlib.sha256(f"{variant}\n{request.get_full_path()}".encode()).hexdigest()
    key = f"page:{data_version()}:{get_language()}:{page}"
    content = cache.get(key)
    if content is None:
        response = render_page()
        if response.status_code != 200:
            return response
        content = response.content
        cache.set(key, content, PAGE_SECONDS)
    return HttpResponse(content)
