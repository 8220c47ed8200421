"""Security middleware: the request context for the event log (with 403s, 429s and data exports
recorded on the way out), the session lifetime and mandatory two-factor authentication."""

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from lokalmaal.accounts.models import User

from . import sessions, twofactor
from .events import client_ip, record, record_at_most, serving
from .models import EventKind

type GetResponse = Callable[[HttpRequest], HttpResponseBase]

# Downloads of public data: not a data export worth a line in the log.
PUBLIC_DOWNLOADS = frozenset({"indicators:download", "networks:ics"})


def _user(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def _who(request: HttpRequest) -> str:
    user = _user(request)
    return f"user:{user.pk}" if user else f"ip:{client_ip(request)}"


class SecurityEventMiddleware:
    """Makes the request known to `record`, and logs permission denials (403), throttling (429)
    and file downloads by logged-in people (data exports) from whichever view they come."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with serving(request):
            response = self.get_response(request)
            self._after(request, response)
        return response

    def _after(self, request: HttpRequest, response: HttpResponseBase) -> None:
        details = {"method": request.method, "path": request.path[:250]}
        if response.status_code == 403:
            # At most 20 a minute per person or address: probing must not flood the table.
            record_at_most(
                EventKind.PERMISSION_DENIED, _who(request), 60, limit=20,
                target=request.path[:300], details=details,
            )  # fmt: skip
        elif response.status_code == 429:
            record_at_most(
                EventKind.THROTTLED, _who(request), 60, limit=5,
                target=request.path[:300], details=details,
            )  # fmt: skip
        elif response.status_code == 200 and _user(request) is not None:
            disposition = response.get("Content-Disposition", "")
            match = getattr(request, "resolver_match", None)
            name = match.view_name if match else ""
            if disposition.startswith("attachment") and name not in PUBLIC_DOWNLOADS:
                filename = disposition.partition("filename=")[2].strip('"')[:200]
                record(
                    EventKind.EXPORT, target=request.path[:300],
                    details={"view": name, "file": filename},
                )  # fmt: skip


class SessionLifetimeMiddleware:
    """Logs a person out after LOKALMAAL_SESSION_IDLE_HOURS idle or LOKALMAAL_SESSION_MAX_DAYS
    after login; the request then goes on as anonymous (login-only pages send them to log in)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = _user(request)
        if user is not None:
            reason = sessions.expired(request)
            if reason is not None:
                record(EventKind.LOGOUT_EXPIRED, actor=user, details={"reason": reason})
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after a long time without activity.")
                    if reason == "idle"
                    else _("You were logged out because your login is too old. Log in again."),
                )
        return self.get_response(request)


# Pages open to someone who must set up two-factor authentication first: allauth's own (log out,
# reauthenticate, e-mail, the two-factor pages) and static files.
_ALLOWED_PREFIXES = ("account_", "mfa_")
_SESSION_KEY = "lokalmaal_2fa"
_RECHECK_SECONDS = 300


class TwoFactorMiddleware:
    """Sends people whose role requires two-factor authentication to set it up once their grace
    period is over; until then `request.two_factor_deadline` feeds a reminder on every page."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        user = _user(request)
        if user is None:
            return None
        due = _deadline(request, user)
        request.two_factor_deadline = due  # type: ignore[attr-defined]
        if due is None or timezone.now() < due:
            return None
        match = request.resolver_match
        if match is not None and (match.url_name or "").startswith(_ALLOWED_PREFIXES):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Set up two-factor authentication before you go on.")}, status=403
            )
        messages.warning(
            request,
            _(
                "Your role needs two-factor authentication. Set it up with an authenticator app "
                "before you go on."
            ),
        )
        response: HttpResponse = redirect("mfa_activate_totp")
        return response


def _deadline(request: HttpRequest, user: User) -> datetime | None:
    """The person's two-factor deadline, remembered in the session for a few minutes while it is
    not yet passed (so most requests cost no query)."""
    remembered = request.session.get(_SESSION_KEY)
    now = time.time()
    if (
        remembered
        and remembered.get("user") == user.pk
        and now - remembered["at"] < _RECHECK_SECONDS
    ):
        value = remembered.get("deadline")
        due = parse_datetime(value) if value else None
        if due is None or timezone.now() < due:
            return due
    due = twofactor.deadline(user)
    request.session[_SESSION_KEY] = {
        "user": user.pk,
        "at": now,
        "deadline": due.isoformat() if due else None,
    }
    return due


def forget_two_factor_check(request: HttpRequest) -> None:
    """After a change of authenticators: check again on the next request."""
    if hasattr(request, "session"):
        request.session.pop(_SESSION_KEY, None)
