"""Sign-up, confirmation and log-in in nynorsk: the pages and e-mails are nynorsk (django-allauth
has no nynorsk of its own; ours is in locale/nn) and e-mails are signed Lokalmål with the
address from settings, never the host and port the request came to."""

import re

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

# Words that give bokmål away in a nynorsk text (allauth's bokmål fallback used all of these).
BOKMAAL = re.compile(
    r"\b(ikke|allerede|Vennligst|fra|bekreft\w*|e-postadressen|søppelpostmappen|"
    r"deg for å|noen|en konto|mottar|Hei fra|bruker|Husk meg|Glemt)\b",
    re.IGNORECASE,
)
PASSWORD = "Eit-langt-passord-2026"


def _text(html: str) -> str:
    """The visible words of <main>, without tags."""
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def test_sign_up_confirm_and_log_in_in_nynorsk_without_bokmaal(settings):
    settings.SITE_URL = "https://lokalmaal.example.no"
    client = Client()
    page = client.get("/konto/signup/?lang=nn").text
    assert "Registrer deg" in page
    assert BOKMAAL.findall(_text(page)) == []

    response = client.post(
        "/konto/signup/",
        {"email": "ny@volda.kommune.no", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert "Stadfest e-postadressa di" in response.text
    assert BOKMAAL.findall(_text(response.text)) == []

    (message,) = mail.outbox
    assert message.subject == "[Lokalmål] Stadfest e-postadressa di"
    body = str(message.body)
    assert body.startswith("Hei frå Lokalmål!")
    assert "Takk for at du brukar Lokalmål!\nhttps://lokalmaal.example.no" in body
    link = re.search(r"http://testserver(/konto/confirm-email/[^\s]+)", body)
    assert link is not None
    without_link = body.replace(link.group(0), "")
    assert "testserver" not in without_link
    assert "127.0.0.1" not in without_link
    assert not re.search(r":\d{2,5}\b", without_link)  # no port anywhere
    assert BOKMAAL.findall(without_link) == []

    confirm = client.get(link.group(1)).text
    assert "Stadfest e-postadressa" in confirm
    assert BOKMAAL.findall(_text(confirm)) == []
    client.post(link.group(1), follow=True)
    client.post("/konto/logout/")

    login = client.get("/konto/login/").text
    assert "Hugs meg" in login
    assert BOKMAAL.findall(_text(login)) == []
    response = client.post(
        "/konto/login/", {"login": "ny@volda.kommune.no", "password": PASSWORD}, follow=True
    )
    assert response.wsgi_request.user.is_authenticated


def test_the_password_reset_pages_and_mail_are_nynorsk(settings):
    from conftest import make_user

    settings.SITE_URL = "https://lokalmaal.example.no"
    make_user("gloymt@volda.kommune.no")
    client = Client()
    page = client.get("/konto/password/reset/?lang=nn").text
    assert "Nullstill passordet" in page
    assert BOKMAAL.findall(_text(page)) == []
    done = client.post(
        "/konto/password/reset/", {"email": "gloymt@volda.kommune.no"}, follow=True
    ).text
    assert BOKMAAL.findall(_text(done)) == []
    (message,) = mail.outbox
    assert message.subject.startswith("[Lokalmål] ")
    assert "Hei frå Lokalmål!" in message.body
    assert BOKMAAL.findall(re.sub(r"http\S+", "", str(message.body))) == []
