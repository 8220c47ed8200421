"""A login ends after LOKALMAAL_SESSION_IDLE_HOURS without a request and
LOKALMAAL_SESSION_MAX_DAYS after it began."""

import time

from django.conf import settings

from conftest import make_user
from lokalmaal.security import sessions
from lokalmaal.security.models import EventKind, SecurityEvent

from .conftest import logged_in

PAGE = "/organisasjoner/mine/"


def set_times(client, *, started: float, seen: float) -> None:
    session = client.session
    session[sessions.STARTED] = int(started)
    session[sessions.SEEN] = int(seen)
    session.save()


def test_the_defaults_are_eight_hours_idle_and_fourteen_days_in_all():
    assert settings.SESSION_IDLE_HOURS == 8
    assert settings.SESSION_MAX_DAYS == 14
    assert settings.SESSION_COOKIE_AGE == 14 * 86400


def test_an_active_session_goes_on(db):
    client = logged_in(make_user("kari@bergen.kommune.no"))
    now = time.time()
    set_times(client, started=now - 13 * 86400, seen=now - 7 * 3600)
    assert client.get(PAGE).status_code == 200
    assert client.session[sessions.SEEN] >= int(now)


def test_an_idle_session_ends(db):
    client = logged_in(make_user("kari@bergen.kommune.no"))
    now = time.time()
    set_times(client, started=now - 9 * 3600, seen=now - 8 * 3600 - 60)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
    assert "_auth_user_id" not in client.session
    event = SecurityEvent.objects.get(kind=EventKind.LOGOUT_EXPIRED)
    assert event.details == {"reason": "idle"}


def test_a_session_ends_after_its_lifetime_however_active(db):
    client = logged_in(make_user("kari@bergen.kommune.no"))
    now = time.time()
    set_times(client, started=now - 14 * 86400 - 60, seen=now - 10)
    assert client.get(PAGE).status_code == 302
    assert SecurityEvent.objects.get(kind=EventKind.LOGOUT_EXPIRED).details == {
        "reason": "lifetime"
    }


def test_a_login_starts_the_clock(db):
    make_user("kari@bergen.kommune.no", "Riktig-passord-123")
    from django.test import Client

    client = Client()
    client.post(
        "/konto/login/", {"login": "kari@bergen.kommune.no", "password": "Riktig-passord-123"}
    )
    assert abs(client.session[sessions.STARTED] - time.time()) < 60
