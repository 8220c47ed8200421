"""A newcomer gets in without anyone using the admin or a shell: they ask to join, or ask KS to
create their municipality's organisation, and the right people answer."""

import pytest
from django.core import mail
from django.test import Client

from conftest import make_user, member_client
from lokalmaal.accounts.models import (
    AccessRequest,
    Membership,
    Organisation,
    RequestStatus,
    Role,
    User,
)
from lokalmaal.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST and run what the view left for after the commit (the e-mails)."""

    def send(client: Client, url: str, data: dict[str, object]):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return send


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ks_staff() -> Client:
    user = make_user("stab@ks.no")
    User.objects.filter(pk=user.pk).update(is_platform_admin=True)
    user.refresh_from_db()
    return logged_in(user)


def test_a_planner_in_a_municipality_without_an_organisation_gets_in_through_ks(ks_staff, post):
    planner = make_user("planleggar@volda.kommune.no")
    client = logged_in(planner)
    volda = Region.objects.get(code="1577")
    assert client.get("/organisasjoner/mine/").status_code == 200
    response = post(
        client,
        "/organisasjoner/bli-med/",
        {"region": volda.pk, "reason": "Planleggar i Volda, samfunnsdelen."},
    )
    assert response.status_code == 302, response.content
    assert [m.to for m in mail.outbox] == [["stab@ks.no"]]  # KS staff are told
    assert "Planleggar i Volda" in mail.outbox[0].body

    waiting = ks_staff.get("/organisasjoner/foresporsler/")
    assert "planleggar@volda.kommune.no" in waiting.text
    request = AccessRequest.objects.get(user=planner)
    answer = post(
        ks_staff,
        f"/organisasjoner/foresporsler/{request.pk}/",
        {"decision": "accept", "note": "Velkomen"},
    )
    assert answer.status_code == 302
    organisation = Organisation.objects.get(region=volda)
    assert Membership.objects.get(user=planner, organisation=organisation).role == Role.ADMIN
    assert mail.outbox[-1].to == ["planleggar@volda.kommune.no"]
    assert "Velkomen" in mail.outbox[-1].body
    mine = client.get("/organisasjoner/mine/").text
    assert organisation.name in mine
    # The new admin can start a workspace at once.
    created = client.post(
        f"/organisasjoner/{organisation.slug}/arbeidsrom/ny/",
        {"title": "Samfunnsdelen 2026–2038", "plan_type": "samfunnsdel"},
    )
    assert created.status_code == 302


def test_the_organisations_admin_answers_a_request_to_join(bergen, bergen_admin, post):
    newcomer = make_user("ny@bergen.kommune.no")
    client = logged_in(newcomer)
    post(client, "/organisasjoner/bli-med/", {"organisation": bergen.pk, "reason": "Rådgiver."})
    assert mail.outbox[0].to == ["admin@bergen.kommune.no"]  # not KS: Bergen has an admin
    request = AccessRequest.objects.get(user=newcomer)
    bergen_admin.post(
        f"/organisasjoner/foresporsler/{request.pk}/", {"decision": "accept", "role": "editor"}
    )
    assert Membership.objects.get(user=newcomer, organisation=bergen).role == Role.EDITOR


def test_a_declined_request_gives_no_membership_and_says_so(bergen, bergen_admin, post):
    newcomer = make_user("ny@example.no")
    logged_in(newcomer).post(
        "/organisasjoner/bli-med/", {"organisation": bergen.pk, "reason": "Nysgjerrig."}
    )
    request = AccessRequest.objects.get(user=newcomer)
    post(
        bergen_admin,
        f"/organisasjoner/foresporsler/{request.pk}/",
        {"decision": "decline", "note": "Vi kjenner deg ikke."},
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert not Membership.objects.filter(user=newcomer).exists()
    assert "Vi kjenner deg ikke." in mail.outbox[-1].body
    assert "Vi kjenner deg ikke." in logged_in(newcomer).get("/organisasjoner/mine/").text


def test_only_admins_of_the_organisation_or_ks_may_answer(bergen, bergen_admin, volda_admin):
    newcomer = make_user("ny@example.no")
    logged_in(newcomer).post(
        "/organisasjoner/bli-med/", {"organisation": bergen.pk, "reason": "Rådgiver."}
    )
    request = AccessRequest.objects.get(user=newcomer)
    url = f"/organisasjoner/foresporsler/{request.pk}/"
    reader = member_client(bergen, Role.READER, "leser@bergen.kommune.no")
    editor = member_client(bergen, Role.EDITOR, "redaktor@bergen.kommune.no")
    for outsider in (reader, editor, volda_admin, logged_in(newcomer)):
        assert outsider.post(url, {"decision": "accept", "role": "admin"}).status_code == 404
    assert Client().post(url, {"decision": "accept"}).status_code == 302  # to the login
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_request_for_a_new_organisation_is_answered_only_by_ks(volda_admin):
    newcomer = make_user("ny@haram.kommune.no")
    haram = Region.objects.get(code="1580")
    logged_in(newcomer).post("/organisasjoner/bli-med/", {"region": haram.pk, "reason": "Plan."})
    request = AccessRequest.objects.get(user=newcomer)
    url = f"/organisasjoner/foresporsler/{request.pk}/"
    assert volda_admin.post(url, {"decision": "accept"}).status_code == 404
    assert not Organisation.objects.filter(region=haram).exists()


def test_an_unconfirmed_e_mail_cannot_ask_yet():
    user = User.objects.create_user("ubekreftet@example.no", "Et-langt-passord-123")
    client = logged_in(user)
    page = client.get("/organisasjoner/bli-med/")
    assert (
        "Confirm your e-mail address first" in page.text
        or "Stadfest" in page.text
        or ("Bekreft" in page.text)
    )
    volda = Region.objects.get(code="1577")
    client.post("/organisasjoner/bli-med/", {"region": volda.pk, "reason": "Plan."})
    assert not AccessRequest.objects.exists()


def test_asking_twice_or_for_nothing_is_a_clear_error(bergen):
    client = logged_in(make_user("ny@example.no"))
    empty = client.post("/organisasjoner/bli-med/", {"reason": "Plan."})
    assert empty.status_code == 400
    client.post("/organisasjoner/bli-med/", {"organisation": bergen.pk, "reason": "Plan."})
    again = client.post("/organisasjoner/bli-med/", {"organisation": bergen.pk, "reason": "Plan."})
    assert again.status_code == 400
    assert AccessRequest.objects.count() == 1


def test_ks_creates_an_organisation_and_names_its_first_admin(ks_staff, post):
    haram = Region.objects.get(code="1580")
    response = post(
        ks_staff,
        "/organisasjoner/ny/",
        {"region": haram.pk, "first_admin": "plan@haram.kommune.no"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(region=haram)
    invitation = organisation.invitations.get()
    assert (invitation.email, invitation.role) == ("plan@haram.kommune.no", Role.ADMIN)
    assert mail.outbox[-1].to == ["plan@haram.kommune.no"]


def test_the_sign_up_page_says_how_to_get_in():
    page = Client().get("/konto/signup/?lang=nn")
    assert page.status_code == 200
    assert "KS" in page.text
