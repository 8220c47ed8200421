"""Site-wide pages: home, the API's documentation and error pages."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import get_language

from lokalmaal.web.pagecache import anonymous_page
from lokalmaal.web.reads import get_home


def home(request: HttpRequest) -> HttpResponse:
    # Only loaded data (the catalogue, counts of regions): the same for every anonymous visitor.
    return anonymous_page(
        request, lambda: render(request, "web/home.html", {"home": get_home(get_language())})
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (JSON, downloads)."""
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))


def api_docs(request: HttpRequest) -> HttpResponse:
    from lokalmaal.api.views import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    endpoints = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "parameters": [p["name"] for p in operation.get("parameters", [])],
        }
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    return render(request, "web/api_docs.html", {"endpoints": endpoints})
