"""Accounts: sign-up needs a verified e-mail address; password reset works by e-mail."""

import re

import pytest
from django.core import mail
from django.test import Client

from conftest import make_user
from lokalmaal.accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "Berekraft-2030-Volda"


def link_in(message: object) -> str:
    match = re.search(r"https?://testserver(/\S+)", str(message))
    assert match, message
    return match.group(1)


def test_signup_requires_a_verified_email_before_login():
    client = Client()
    response = client.post(
        "/konto/signup/",
        {"email": "planlegger@volda.kommune.no", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.filter(email="planlegger@volda.kommune.no").exists()
    assert len(mail.outbox) == 1
    # not logged in before the address is confirmed
    assert client.get("/organisasjoner/mine/").status_code == 302
    confirm = link_in(mail.outbox[0].body)
    client.post(confirm)
    assert client.get("/organisasjoner/mine/").status_code == 200


def test_login_with_email_and_password():
    make_user("radgjevar@volda.kommune.no", PASSWORD)
    client = Client()
    response = client.post(
        "/konto/login/", {"login": "radgjevar@volda.kommune.no", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/organisasjoner/mine/").status_code == 200


def test_a_wrong_password_is_refused_with_a_clear_message():
    make_user("radgjevar@volda.kommune.no", PASSWORD)
    response = Client().post(
        "/konto/login/",
        {"login": "radgjevar@volda.kommune.no", "password": "feil"},
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 200
    assert "passord" in response.text.lower()


def test_password_reset_sends_a_link_that_sets_a_new_password():
    make_user("radgjevar@volda.kommune.no", PASSWORD)
    client = Client()
    client.post("/konto/password/reset/", {"email": "radgjevar@volda.kommune.no"})
    assert len(mail.outbox) == 1
    reset = link_in(mail.outbox[0].body)
    response = client.get(reset, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset
    new = "Nytt-passord-for-2030"
    client.post(form_url, {"password1": new, "password2": new})
    assert Client().login(email="radgjevar@volda.kommune.no", password=new)
