"""Login limits (settings.ACCOUNT_RATE_LIMITS, accounts/adapter.py), counted in the cache: per
client address and per account and address, so an attacker cannot lock the owner out, and a
one-time e-mail code that lets the owner in while the attacker stays throttled."""

import re
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client

from conftest import make_user
from lokalmaal.security.models import EventKind, SecurityEvent

LOGIN = "/konto/login/?lang=en"
REQUEST_CODE = "/konto/login/code/?lang=en"
CONFIRM_CODE = "/konto/login/code/confirm/?lang=en"
REFUSED = "Too many failed login attempts."
OWNER = "kari@bergen.kommune.no"
PASSWORD = "Riktig-passord-123"


@pytest.fixture(autouse=True)
def fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_hashes(settings) -> None:
    """Dozens of logins per test: a fast hash keeps them quick; the limits do not depend on it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def attempt(client: Client, password: str, email: str = OWNER) -> str:
    response = client.post(LOGIN, {"login": email, "password": password})
    return response.content.decode()


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_policy_is_written_out_in_the_settings():
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits["login_failed"] == "20/m/ip,100/h/ip,5/5m/key,10/h/key,20/d/key"
    assert limits["login_failed_account"] == "100/h/key"
    assert "key" not in limits["request_login_code"]  # nobody can block the owner's code
    assert settings.ACCOUNT_LOGIN_BY_CODE_ENABLED


def test_too_many_failures_from_one_address_are_refused_even_with_the_right_password(db):
    make_user(OWNER, PASSWORD)
    attacker = client_at("198.51.100.9")
    pages = [attempt(attacker, f"feil-{n}") for n in range(5)]
    assert all(REFUSED not in page for page in pages)
    assert REFUSED in attempt(attacker, "feil-6")
    assert REFUSED in attempt(attacker, PASSWORD)
    assert not logged_in(attacker)
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN_THROTTLED, target=OWNER).count() == 1


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(db):
    make_user(OWNER, PASSWORD)
    attacker = client_at("198.51.100.9")
    for n in range(8):
        attempt(attacker, f"feil-{n}")
    assert REFUSED in attempt(attacker, "feil-9")
    owner = client_at("192.0.2.10")
    response = owner.post(LOGIN, {"login": OWNER, "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in(owner)
    assert REFUSED in attempt(client_at("198.51.100.9"), "feil-10")  # still throttled


def test_the_wait_grows_with_the_guessing(db, monkeypatch):
    """Five failures cost five minutes; after ten the address waits out the hour, after twenty
    the day, however patiently it sits out each five minutes. The clock is moved, not slept."""
    make_user(OWNER, PASSWORD)
    attacker = client_at("198.51.100.9")
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])

    def tries_allowed(count: int) -> bool:
        return all(REFUSED not in attempt(attacker, f"feil-{n}") for n in range(count))

    assert tries_allowed(5)
    assert REFUSED in attempt(attacker, "feil")
    now[0] += 5 * 60 + 1
    assert tries_allowed(5)
    assert REFUSED in attempt(attacker, "feil")  # ten within the hour
    now[0] += 5 * 60 + 1
    assert REFUSED in attempt(attacker, "feil")  # five minutes are no longer enough
    now[0] += 3600
    assert tries_allowed(5)
    now[0] += 5 * 60 + 1
    assert tries_allowed(5)
    assert REFUSED in attempt(attacker, "feil")  # twenty within the day
    now[0] += 3600
    assert REFUSED in attempt(attacker, "feil")  # an hour is no longer enough
    assert REFUSED not in attempt(client_at("192.0.2.10"), "feil")  # the owner's address is free


def test_a_locked_out_owner_gets_in_with_an_emailed_code_while_the_attacker_stays_throttled(
    db, settings
):
    # Guessing spread over many addresses trips the account-wide limit (lowered here so the test
    # needs few password hashes); then even the owner's password is refused.
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed_account": "3/h/key",
    }
    make_user(OWNER, PASSWORD)
    for n in range(3):
        attempt(client_at(f"198.51.100.{n + 1}"), "feil")
    owner = client_at("192.0.2.10")
    assert REFUSED in attempt(owner, PASSWORD)
    assert "one-time code" in attempt(owner, PASSWORD)
    assert not logged_in(owner)

    mail.outbox.clear()
    response = owner.post(REQUEST_CODE, {"email": OWNER})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [OWNER]
    code = next(
        line.strip()
        for line in message.body.splitlines()
        if re.fullmatch(r"[A-Z0-9-]{4,12}", line.strip())
    )
    response = owner.post(CONFIRM_CODE, {"code": code})
    assert response.status_code == 302
    assert logged_in(owner)
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN, actor_label=OWNER).exists()

    attacker = client_at("198.51.100.1")
    assert REFUSED in attempt(attacker, PASSWORD)
    assert not logged_in(attacker)


def test_an_attacker_cannot_use_up_the_owners_codes(db):
    make_user(OWNER, PASSWORD)
    attacker = client_at("198.51.100.9")
    for _n in range(6):
        attacker.post(REQUEST_CODE, {"email": OWNER})
    mail.outbox.clear()
    response = client_at("192.0.2.10").post(REQUEST_CODE, {"email": OWNER})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_behind_a_proxy_each_client_address_counts_on_its_own(db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    make_user(OWNER, PASSWORD)
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")
    for n in range(5):
        attempt(attacker, f"feil-{n}")
    assert REFUSED in attempt(attacker, "feil")
    owner = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert owner.post(LOGIN, {"login": OWNER, "password": PASSWORD}).status_code == 302
    failed = SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED).first()
    assert failed is not None
    assert failed.ip == "198.51.100.9"
