"""Lokalmål's rules for allauth: login limits an attacker cannot turn against the owner, and
two-factor authentication that people with a privileged role cannot switch off.

Failed password logins are counted per client address and per account *and* address (the
`login_failed` rates in settings.ACCOUNT_RATE_LIMITS), so someone who knows an e-mail address
cannot lock its owner out from elsewhere; the tiers of that rate (5 in 5 minutes, 10 an hour,
20 a day) make the wait grow with the guessing. A much higher limit per account from all
addresses together (`login_failed_account`) stops guessing spread over many addresses; the owner
then still gets in with a one-time code sent by e-mail (ACCOUNT_LOGIN_BY_CODE_ENABLED), which
these counters do not block.
"""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

ACCOUNT_WIDE = "login_failed_account"


def _login(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email", credentials.get("username", ""))).lower()


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    error_messages = DefaultAccountAdapter.error_messages | {
        "too_many_login_attempts": _(
            "Too many failed login attempts. Try again later, or log in with a one-time code "
            "sent to your e-mail address."
        ),
    }

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts failures per this key: the account together with the client address.
        site = get_current_site(request)
        return f"{site.domain}:{_login(credentials)}:{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
            account_usage = ratelimit.consume(
                request, app="allauth.account", action=ACCOUNT_WIDE, key=_login(credentials)
            )
            if account_usage is None:
                self._rollback_login_failed_rl_usage()
                raise self.validation_error("too_many_login_attempts")
        except ValidationError:
            self._record_throttled(request, credentials)
            raise
        # A successful login rolls back this attempt's counts, the account-wide one included.
        self._login_failed_rl_usage.usage.extend(account_usage.usage)

    def _record_throttled(self, request: HttpRequest, credentials: dict[str, Any]) -> None:
        from lokalmaal.security.events import client_ip, record_at_most
        from lokalmaal.security.models import EventKind

        login = _login(credentials)
        record_at_most(
            EventKind.LOGIN_THROTTLED,
            f"{login}:{client_ip(request)}",
            300,
            actor_label=login,
            target=login,
            request=request,
        )


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        from lokalmaal.security.twofactor import needs_two_factor

        if authenticator.type == Authenticator.Type.TOTP and needs_two_factor(authenticator.user):
            return False
        return bool(super().can_delete_authenticator(authenticator))
