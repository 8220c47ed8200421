"""One JSON line per request: method, path, status and duration, for a log collector.

Nothing that identifies a person is logged: no query string (searches, e-mail addresses in
links), no IP address, no user, and secret parts of a path (invitation tokens, e-mail
confirmation and password-reset keys) are replaced by "…".
"""

import json
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger("lokalmaal.requests")

# URL parameters that are secrets in themselves.
SECRET_PARAMETERS = frozenset({"token", "key", "uidb36", "uidb64"})


class JsonFormatter(logging.Formatter):
    """The record's fields as one JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        else:
            entry["message"] = record.getMessage()
        return json.dumps(entry, ensure_ascii=False)


def loggable_path(request: HttpRequest) -> str:
    """The path without query string, with secret URL parameters blanked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name in SECRET_PARAMETERS and isinstance(value, str) and value:
                path = path.replace(value, "…")
    return path


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.enabled = settings.REQUEST_LOG

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self.enabled:
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        fields = {
            "method": request.method,
            "path": loggable_path(request),
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
        logger.info("request", extra={"fields": fields})
        return response
