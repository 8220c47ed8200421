"""Deleting an account leaves no organisation without an admin and no network without a
coordinator, and leaves the person's name nowhere (issue #16)."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client

from conftest import make_user
from lokalmaal.accounts.models import Membership, Organisation, Role, User
from lokalmaal.arena.models import Example, Status
from lokalmaal.localgoals.models import (
    Change,
    ConsultationComment,
    ConsultationInvite,
    Workspace,
)
from lokalmaal.networks.models import Network, NetworkMembership, NetworkRole

PASSWORD = "Et-langt-passord-123"  # conftest.make_user's default
PAGE = "/konto/mine-data/"
DELETE = "/konto/mine-data/slett/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The deletion form is rate-limited per user id, and ids repeat between tests."""
    cache.clear()
    yield
    cache.clear()


def client_for(user: User, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def delete(client: Client, user: User):
    return client.post(DELETE, {"password": PASSWORD, "confirm": user.email})


def ola(organisation: Organisation, role: Role = Role.EDITOR) -> User:
    user = make_user("ola.hansen@bergen.kommune.no")
    user.first_name, user.last_name = "Ola", "Hansen"
    user.save()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


# The last admin, the last coordinator


def test_the_last_admin_of_an_organisation_cannot_delete_their_account(bergen):
    admin = ola(bergen, Role.ADMIN)
    make_user("kollega@bergen.kommune.no")  # not an admin
    client = client_for(admin)
    response = delete(client, admin)
    assert response.status_code == 302
    assert User.objects.filter(pk=admin.pk).exists()
    assert Membership.objects.filter(organisation=bergen, role=Role.ADMIN).count() == 1
    message = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "only admin of Bergen kommune" in message
    assert "Make a colleague admin" in message
    page = client.get(PAGE).content.decode()
    assert "only admin of Bergen kommune" in page
    assert 'action="/konto/mine-data/slett/"' not in page  # no form that cannot succeed


@pytest.mark.parametrize(
    ("language", "words"),
    [("nb", "eneste administrator"), ("nn", "einaste administrator"), ("en", "only admin")],
)
def test_the_refusal_is_in_the_persons_language(bergen, language: str, words: str):
    admin = ola(bergen, Role.ADMIN)
    assert words in client_for(admin, language).get(PAGE).content.decode()


def test_an_admin_with_a_fellow_admin_may_delete(bergen):
    admin = ola(bergen, Role.ADMIN)
    other = make_user("admin2@bergen.kommune.no")
    Membership.objects.create(user=other, organisation=bergen, role=Role.ADMIN)
    assert delete(client_for(admin), admin).status_code == 302
    assert not User.objects.filter(pk=admin.pk).exists()
    assert list(Membership.objects.filter(organisation=bergen, role=Role.ADMIN)) == [
        Membership.objects.get(user=other)
    ]


@pytest.fixture
def network(bergen) -> Network:
    return Network.objects.create(name="Klimanettverket Vest", slug="klima-vest")


def test_the_last_coordinator_of_a_network_cannot_delete_their_account(bergen, network):
    person = ola(bergen)
    NetworkMembership.objects.create(network=network, person=person, role=NetworkRole.COORDINATOR)
    member = make_user("medlem@volda.kommune.no")
    NetworkMembership.objects.create(network=network, person=member, role=NetworkRole.MEMBER)
    client = client_for(person, "nn")
    response = delete(client, person)
    assert User.objects.filter(pk=person.pk).exists()
    message = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "einaste koordinatoren for nettverket Klimanettverket Vest" in message
    # once someone else coordinates, the account may go
    NetworkMembership.objects.filter(person=member).update(role=NetworkRole.COORDINATOR)
    assert delete(client, person).status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    assert NetworkMembership.objects.get(network=network).person == member


# The name, wherever it was shown


def test_the_contact_block_of_a_practice_example_is_removed(bergen):
    person = ola(bergen)
    example = Example.objects.create(
        title="Grøne tak i Bergen",
        summary="Tak med planter",
        status=Status.PUBLISHED,
        author=make_user("forfattar@bergen.kommune.no"),
        contact_name="Ola Hansen",
        contact_role="Planleggjar",
        contact_email="Ola.Hansen@bergen.kommune.no",
        contact_phone="+47 55 55 55 55",
    )
    example.organisations.add(bergen)
    assert delete(client_for(person), person).status_code == 302
    example.refresh_from_db()
    assert (example.contact_name, example.contact_role, example.contact_email) == ("", "", "")
    assert example.contact_phone == ""
    reader = client_for(make_user("lesar@volda.kommune.no"))
    page = reader.get(f"/erfaringar/{example.pk}/").content.decode()
    assert "Ola Hansen" not in page
    assert "Planleggjar" not in page


def test_the_name_copied_into_comments_and_history_is_replaced(bergen):
    person = ola(bergen)
    workspace = Workspace.objects.create(
        organisation=bergen, title="Planstrategi 2028", plan_type="planstrategi"
    )
    comment = ConsultationComment.objects.create(
        workspace=workspace, author=person, author_name="Ola Hansen", text="Bra mål."
    )
    change = Change.objects.create(
        workspace=workspace, user=person, action="commented", summary="Planstrategi 2028",
        details={"by": "Ola Hansen", "goal": "Ola Hansen-vegen"},
    )  # fmt: skip
    invite = ConsultationInvite.objects.create(
        workspace=workspace, email="ola.hansen@bergen.kommune.no", name="Ola Hansen", token="t1"
    )
    assert delete(client_for(person), person).status_code == 302
    comment.refresh_from_db()
    change.refresh_from_db()
    assert comment.author is None
    assert comment.author_name == "–"
    assert comment.text == "Bra mål."
    assert change.details == {"by": "–", "goal": "Ola Hansen-vegen"}  # only the exact name
    assert change.summary == "Planstrategi 2028"
    assert not ConsultationInvite.objects.filter(pk=invite.pk).exists()


def test_the_page_says_what_stays(bergen):
    page = client_for(ola(bergen)).get(PAGE).content.decode()
    assert "the whole contact block is removed" in page
    assert "The security log keeps the events of your account" in page
    assert "edit it before you delete your account" in page
