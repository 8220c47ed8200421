"""Login attempts are limited by allauth (settings.ACCOUNT_RATE_LIMITS), counted in the cache."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from conftest import make_user

LOGIN = "/konto/login/?lang=en"
REFUSED = "Too many failed login attempts. Try again later."


@pytest.fixture(autouse=True)
def fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def attempt(client: Client, email: str, password: str) -> str:
    response = client.post(LOGIN, {"login": email, "password": password})
    return response.content.decode()


def test_the_policy_is_written_out_in_the_settings():
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/300s/key"


def test_too_many_failed_logins_for_one_account_are_refused(db):
    make_user("kari@bergen.kommune.no", "Riktig-passord-123")
    client = Client()
    pages = [attempt(client, "kari@bergen.kommune.no", f"feil-{n}") for n in range(5)]
    assert all(REFUSED not in page for page in pages)
    assert REFUSED in attempt(client, "kari@bergen.kommune.no", "feil-6")
    # Even the right password is refused while the account is locked.
    assert REFUSED in attempt(client, "kari@bergen.kommune.no", "Riktig-passord-123")
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account(db):
    make_user("kari@bergen.kommune.no", "Riktig-passord-123")
    make_user("ola@bergen.kommune.no", "Riktig-passord-456")
    client = Client()
    for n in range(6):
        attempt(client, "kari@bergen.kommune.no", f"feil-{n}")
    response = client.post(
        LOGIN, {"login": "ola@bergen.kommune.no", "password": "Riktig-passord-456"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
