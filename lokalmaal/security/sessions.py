"""How long a login lasts: it ends after LOKALMAAL_SESSION_IDLE_HOURS without a request, and
LOKALMAAL_SESSION_MAX_DAYS after the login whatever happens in between.

The times live in the session itself. The last-seen time is written at most once a minute, so an
active person does not cost a session write on every request.
"""

import time

from django.conf import settings
from django.http import HttpRequest

STARTED = "lokalmaal_login_at"
SEEN = "lokalmaal_seen_at"
SEEN_PRECISION = 60  # seconds: how stale the last-seen time may get before it is rewritten


def start_session(request: HttpRequest) -> None:
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now


def expired(request: HttpRequest, now: float | None = None) -> str | None:
    """'idle' or 'lifetime' when the session of this logged-in request has ended, else None
    (and the last-seen time is brought up to date)."""
    now = int(now if now is not None else time.time())
    session = request.session
    started = session.get(STARTED)
    if started is None:  # a session from before these limits: they start counting now
        start_session(request)
        return None
    if now - int(started) > settings.SESSION_MAX_DAYS * 86400:
        return "lifetime"
    if now - int(session.get(SEEN, started)) > settings.SESSION_IDLE_HOURS * 3600:
        return "idle"
    if now - int(session.get(SEEN, started)) >= SEEN_PRECISION:
        session[SEEN] = now
    return None
