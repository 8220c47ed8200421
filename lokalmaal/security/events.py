"""Writing the security event log: one function, `record`, used by the receivers and middleware.

The request being served is kept in a context variable (set by SecurityEventMiddleware), so a
signal receiver deep inside an action knows who did it and from which address without every
action taking a `request` argument. Outside a request (commands, the worker) the actor is unknown
unless given.
"""

import ipaddress
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import HttpRequest

from lokalmaal.accounts.models import User

from .models import EventKind, SecurityEvent

logger = logging.getLogger(__name__)

_current_request: ContextVar[HttpRequest | None] = ContextVar("security_request", default=None)
# People whose account is being deleted right now: an event about them is written without the
# link to the account (a link to a row deleted in the same transaction would break its commit).
_deleting: ContextVar[frozenset[int]] = ContextVar("security_deleting", default=frozenset())

# Keys that must never reach the log, however a caller builds `details`.
SECRET_WORDS = ("password", "token", "secret", "code", "key", "session", "otp", "csrf")


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def current_request() -> HttpRequest | None:
    return _current_request.get()


def deleting(user_id: int, *, done: bool = False) -> None:
    ids = _deleting.get()
    _deleting.set(ids - {user_id} if done else ids | {user_id})


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the login limits see it (allauth honours
    ALLAUTH_TRUSTED_PROXY_COUNT), truncated to /24 or /48 when LOKALMAAL_SECURITY_LOG_TRUNCATE_IP."""
    from allauth.account.adapter import get_adapter

    try:
        raw = get_adapter(request).get_client_ip(request)
        address = ipaddress.ip_address(raw)
    except (PermissionDenied, ValueError):  # no usable address: log the event without one
        return None
    if settings.SECURITY_LOG_TRUNCATE_IP:
        prefix = 24 if address.version == 4 else 48
        return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)
    return str(address)


def _clean(details: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in details.items()
        if not any(word in key.lower() for word in SECRET_WORDS)
    }


def record(
    kind: EventKind,
    *,
    actor: User | None = None,
    actor_label: str = "",
    target: str = "",
    details: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> SecurityEvent | None:
    """Write one event. The actor and address default to the request being served. A failure to
    write is logged, never raised: the log must not break what it watches."""
    request = request or current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            actor = user
    if actor is not None and not actor_label:
        actor_label = actor.email
    if actor is not None and actor.pk in _deleting.get():
        actor = None
    try:
        with transaction.atomic():  # a savepoint: a failed write leaves the caller's work intact
            return SecurityEvent.objects.create(
                kind=kind,
                actor=actor if actor is not None and actor.pk else None,
                actor_label=actor_label[:254],
                ip=client_ip(request) if request is not None else None,
                target=target[:300],
                details=_clean(details or {}),
            )
    except DatabaseError:
        logger.exception("Could not write the security event %s", kind)
        return None


def record_at_most(
    kind: EventKind, once_per: str, seconds: int, limit: int = 1, **fields: Any
) -> SecurityEvent | None:
    """Record an event that an attacker can repeat at will (throttled logins, 403s) at most
    `limit` times per `seconds` for `once_per`, so hammering cannot flood the table."""
    key = f"security-log:{kind}:{once_per}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    if count > limit:
        return None
    return record(kind, **fields)
