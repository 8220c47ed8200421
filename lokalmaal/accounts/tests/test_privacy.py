"""My data: a person downloads everything Lokalmål keeps about them, then deletes it."""

import io
import json
import zipfile
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.test import Client

from conftest import make_user, member_client
from lokalmaal.accounts import privacy
from lokalmaal.accounts.models import Invitation, Membership, Organisation, Role, User
from lokalmaal.arena.models import Attachment, Example, Status
from lokalmaal.catalogue.models import Target
from lokalmaal.discussion.models import Answer, Question
from lokalmaal.indicators.models import Proposal
from lokalmaal.localgoals.models import Rating, Workspace

PASSWORD = "Et-langt-passord-123"  # conftest.make_user's default
PAGE = "/konto/mine-data/"
JSON = "/konto/mine-data/lokalmaal-data.json"
ZIP = "/konto/mine-data/lokalmaal-data.zip"
DELETE = "/konto/mine-data/slett/"


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def person(bergen: Organisation) -> User:
    """A Bergen editor with rows in several apps, and a colleague with rows of their own."""
    user = make_user("kari@bergen.kommune.no")
    user.first_name, user.last_name = "Kari", "Nordmann"
    user.save()
    Membership.objects.create(user=user, organisation=bergen, role=Role.EDITOR)
    colleague = make_user("ola@bergen.kommune.no")
    Membership.objects.create(user=colleague, organisation=bergen, role=Role.ADMIN)
    target = Target.objects.get(code="11.6")
    workspace = Workspace.objects.create(
        organisation=bergen, title="Planstrategi 2028", plan_type="planstrategi", created_by=user
    )
    Rating.objects.create(workspace=workspace, target=target, rater=user, importance=5, influence=4)
    Rating.objects.create(
        workspace=workspace, target=target, rater=colleague, importance=1, influence=1
    )
    proposal = Proposal.objects.create(
        title="Andel grøne tak", what="Kor mykje", why="Overvatn", target=target, created_by=user
    )
    proposal.supporters.add(user, colleague)
    Proposal.objects.create(
        title="Kollegaens forslag", what="x", why="y", target=target, created_by=colleague
    )
    example = Example.objects.create(
        title="Grøne tak i Bergen", summary="Kva vi gjorde", status=Status.PUBLISHED, author=user
    )
    example.organisations.add(bergen)
    Attachment.objects.create(
        example=example,
        name="rapport.pdf",
        kind="PDF",
        size=8,
        content=b"%PDF-1.4",
        uploaded_by=user,
    )
    question = Question.objects.create(author=colleague, title="Korleis?", target=target)
    Answer.objects.create(question=question, author=user, body="Slik gjorde vi det.")
    Invitation.objects.create(
        organisation=bergen, email="KARI@bergen.kommune.no", invited_by=colleague
    )
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP-SECRET"}
    )
    return user


def download(user: User) -> dict[str, Any]:
    response = login(user).get(JSON)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data: dict[str, Any] = json.loads(response.content)
    return data


# --- Download --------------------------------------------------------------------------------


def test_the_download_holds_the_persons_rows_from_every_app(person):
    data = download(person)
    assert data["account"]["email"] == "kari@bergen.kommune.no"
    assert data["account"]["first_name"] == "Kari"
    records = data["records"]
    assert [r["role"] for r in records["accounts.membership.user"]] == ["editor"]
    assert [r["importance"] for r in records["localgoals.rating.rater"]] == [5]
    assert [r["title"] for r in records["localgoals.workspace.created_by"]] == ["Planstrategi 2028"]
    assert [r["title"] for r in records["indicators.proposal.created_by"]] == ["Andel grøne tak"]
    assert [r["title"] for r in records["indicators.proposal.supporters"]] == ["Andel grøne tak"]
    assert [r["title"] for r in records["arena.example.author"]] == ["Grøne tak i Bergen"]
    assert [r["body"] for r in records["discussion.answer.author"]] == ["Slik gjorde vi det."]
    assert [r["email"] for r in records["account.emailaddress.user"]] == ["kari@bergen.kommune.no"]
    assert [r["type"] for r in records["mfa.authenticator.user"]] == ["totp"]
    invitations = data["mentions_of_your_email"]["accounts.invitation.email"]
    assert [i["email"] for i in invitations] == ["KARI@bergen.kommune.no"]


def test_the_download_holds_no_secrets(person):
    text = login(person).get(JSON).content.decode()
    stored_hash = User.objects.get(pk=person.pk).password
    assert stored_hash not in text
    assert "password" not in json.loads(text)["account"]
    assert "JBSWY3DPEHPK3PXP" not in text  # the TOTP secret
    invitation = Invitation.objects.get(email="KARI@bergen.kommune.no")
    assert invitation.token not in text
    assert '"token"' not in text
    assert '"data"' not in text


def test_the_download_never_includes_another_persons_data(person):
    text = login(person).get(JSON).content.decode()
    assert "ola@bergen.kommune.no" not in text
    assert "Kollegaens forslag" not in text
    data = json.loads(text)
    assert [r["importance"] for r in data["records"]["localgoals.rating.rater"]] == [5]
    supporters = data["records"]["indicators.proposal.supporters"][0]["supporters"]
    assert sorted(supporters) == [privacy.SOMEONE_ELSE, privacy.YOU]
    assert data["mentions_of_your_email"]["accounts.invitation.email"][0]["invited_by"] == (
        privacy.SOMEONE_ELSE
    )
    colleague = User.objects.get(email="ola@bergen.kommune.no")
    theirs = download(colleague)
    assert "kari@bergen.kommune.no" not in json.dumps(theirs)
    assert "Grøne tak i Bergen" not in json.dumps(theirs)


def test_the_zip_holds_the_json_and_the_files_the_person_uploaded(person):
    response = login(person).get(ZIP)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "lokalmaal-data.json" in names
    files = [n for n in names if n.startswith("files/arena.attachment/")]
    assert len(files) == 1
    assert archive.read(files[0]) == b"%PDF-1.4"


def test_every_relation_to_a_person_is_found_generically():
    labels = {r.label for r in privacy.relations()}
    # hidden relations (related_name="+") and many-to-many ones too
    assert {
        "localgoals.rating.rater",
        "localgoals.change.user",
        "indicators.proposal.supporters",
    } <= labels
    assert "socialaccount.socialtoken.account" not in labels


@pytest.mark.parametrize("path", [PAGE, JSON, ZIP])
def test_anonymous_visitors_are_sent_to_the_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_the_page_explains_and_warns_a_sole_admin(db, bergen):
    admin = member_client(bergen, Role.ADMIN, "eineadmin@bergen.kommune.no")
    page = admin.get(PAGE, {"lang": "en"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "What we keep and why" in html
    assert "You are the only admin of Bergen kommune" in html
    assert "accounts.membership.user" in html


# --- Delete ----------------------------------------------------------------------------------


def confirm(user: User, password: str = PASSWORD) -> dict[str, str]:
    return {"password": password, "confirm": user.email}


def test_deleting_removes_the_person_and_keeps_shared_content(person, bergen):
    client = login(person)
    response = client.post(DELETE, confirm(person))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=person.pk).exists()
    assert not Membership.objects.filter(user_id=person.pk).exists()
    assert not Rating.objects.filter(rater_id=person.pk).exists()
    assert Rating.objects.count() == 1  # the colleague's rating stays
    assert not Authenticator.objects.filter(user_id=person.pk).exists()
    assert not Invitation.objects.filter(email__iexact=person.email).exists()
    example = Example.objects.get(title="Grøne tak i Bergen")
    assert example.author is None
    assert Answer.objects.get(body="Slik gjorde vi det.").author is None
    proposal = Proposal.objects.get(title="Andel grøne tak")
    assert proposal.created_by is None
    assert [u.email for u in proposal.supporters.all()] == ["ola@bergen.kommune.no"]
    assert Workspace.objects.get(title="Planstrategi 2028").created_by is None
    assert Membership.objects.filter(organisation=bergen).count() == 1  # the colleague
    assert SESSION_KEY not in client.session  # logged out
    assert client.get(PAGE).status_code == 302


def test_a_person_downloads_and_then_deletes_their_data(person):
    client = login(person)
    data = json.loads(client.get(JSON).content)
    assert data["records"]["arena.example.author"]
    assert client.post(DELETE, confirm(person)).status_code == 302
    assert not User.objects.filter(email="kari@bergen.kommune.no").exists()


def test_deleting_needs_the_right_password(person):
    response = login(person).post(DELETE + "?lang=en", confirm(person, password="feil-passord"))
    assert response.status_code == 400
    assert User.objects.filter(pk=person.pk).exists()
    assert "The password is not right." in response.content.decode()


def test_deleting_needs_the_email_typed_out(person):
    response = login(person).post(DELETE, {"password": PASSWORD, "confirm": "ja"})
    assert response.status_code == 400
    assert User.objects.filter(pk=person.pk).exists()


def test_deleting_is_a_post(person):
    assert login(person).get(DELETE).status_code == 405
    assert User.objects.filter(pk=person.pk).exists()


def test_anonymous_cannot_delete(client, person):
    response = client.post(DELETE, confirm(person))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
    assert User.objects.filter(pk=person.pk).exists()


def test_deleting_is_protected_against_cross_site_requests(person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.post(DELETE, confirm(person)).status_code == 403
    assert User.objects.filter(pk=person.pk).exists()


def test_one_person_cannot_delete_another(person):
    colleague = User.objects.get(email="ola@bergen.kommune.no")
    response = login(colleague).post(DELETE, confirm(person))
    assert response.status_code == 400  # the form checks the logged-in person's own password
    assert User.objects.filter(pk=person.pk).exists()
    assert User.objects.filter(pk=colleague.pk).exists()


def test_guessing_the_password_is_rate_limited(person):
    from django.core.cache import cache

    cache.clear()
    client = login(person)
    statuses = [
        client.post(DELETE, confirm(person, password=f"gjett-{n}")).status_code for n in range(6)
    ]
    assert statuses == [400] * 5 + [429]
    cache.clear()


def test_an_event_organiser_can_delete_their_account_and_the_event_stays(person):
    """Events outlive their organiser (SET_NULL): the network or organisation still manages them."""
    from datetime import timedelta

    from django.utils import timezone

    from lokalmaal.networks.models import Event

    start = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        title="Nettverkssamling", start=start, end=start + timedelta(hours=3), capacity=40,
        organiser=person,
    )  # fmt: skip
    client = login(person)
    page = client.get(PAGE, {"lang": "en"}).content.decode()
    assert 'action="/konto/mine-data/slett/"' in page
    response = client.post(DELETE, confirm(person))
    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    event.refresh_from_db()
    assert event.organiser is None


def test_a_protected_row_stops_the_deletion_and_changes_nothing(person, monkeypatch):
    """Should a future relation PROTECT the account, the deletion is refused as a whole."""
    from django.db.models.deletion import ProtectedError

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ProtectedError("protected", set())

    monkeypatch.setattr(User, "delete", refuse)
    client = login(person)
    response = client.post(DELETE, confirm(person))
    assert response.status_code in (200, 302, 400)
    assert User.objects.filter(pk=person.pk).exists()
    assert Membership.objects.filter(user=person).exists()
    assert Invitation.objects.filter(email__iexact=person.email).exists()  # rolled back
