"""Every view that changes data refuses anonymous people and members of other organisations."""

import pytest
from django.core import mail
from django.test import Client

from conftest import make_user
from lokalmaal.accounts.models import Invitation, Membership, Organisation, Role

pytestmark = pytest.mark.django_db


def admin_membership(organisation: Organisation) -> Membership:
    return Membership.objects.get(organisation=organisation, role=Role.ADMIN)


def writes(organisation: Organisation) -> dict[str, tuple[str, dict[str, str]]]:
    """Each data-changing endpoint for `organisation`, with a valid form."""
    member = admin_membership(organisation)
    invitation = Invitation.objects.create(organisation=organisation, email="ny@example.no")
    slug = organisation.slug
    return {
        "invite": (f"/organisasjoner/{slug}/inviter/", {"email": "x@example.no", "role": "editor"}),
        "change_role": (f"/organisasjoner/{slug}/medlemmer/{member.id}/rolle/", {"role": "reader"}),
        "remove_member": (f"/organisasjoner/{slug}/medlemmer/{member.id}/fjern/", {}),
        "revoke_invitation": (f"/organisasjoner/{slug}/invitasjoner/{invitation.id}/trekk/", {}),
    }


def state(organisation: Organisation) -> tuple[object, ...]:
    return (
        sorted(
            Membership.objects.filter(organisation=organisation).values_list("user__email", "role")
        ),
        sorted(
            Invitation.objects.filter(organisation=organisation).values_list("email", flat=True)
        ),
    )


WRITE_NAMES = ["invite", "change_role", "remove_member", "revoke_invitation"]


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_anonymous_people_are_sent_to_login_and_nothing_changes(bergen, bergen_admin, name):
    url, data = writes(bergen)[name]
    before = state(bergen)
    response = Client().post(url, data)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert state(bergen) == before


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_an_admin_of_another_organisation_is_refused(bergen, bergen_admin, volda_admin, name):
    url, data = writes(bergen)[name]
    before = state(bergen)
    assert volda_admin.post(url, data).status_code == 403
    assert state(bergen) == before


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_a_reader_of_the_same_organisation_is_refused(bergen, bergen_admin, bergen_reader, name):
    url, data = writes(bergen)[name]
    before = state(bergen)
    assert bergen_reader.post(url, data).status_code == 403
    assert state(bergen) == before


def test_get_is_not_allowed_on_write_endpoints(bergen, bergen_admin):
    url, _data = writes(bergen)["invite"]
    assert bergen_admin.get(url).status_code == 405


def test_organisation_admin_invites_a_colleague_who_accepts(
    bergen, bergen_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = bergen_admin.post(
            f"/organisasjoner/{bergen.slug}/inviter/",
            {"email": "Kollega@Bergen.Kommune.no", "role": "editor"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    invitation = Invitation.objects.get(organisation=bergen)
    assert invitation.email == "kollega@bergen.kommune.no"
    assert invitation.token in mail.outbox[0].body

    colleague = make_user("kollega@bergen.kommune.no")
    client = Client()
    client.force_login(colleague)
    assert client.post(f"/invitasjon/{invitation.token}/").status_code == 302
    assert Membership.objects.get(user=colleague, organisation=bergen).role == Role.EDITOR
    # the invitation cannot be used twice
    other = make_user("annan@bergen.kommune.no")
    client.force_login(other)
    client.post(f"/invitasjon/{invitation.token}/")
    assert not Membership.objects.filter(user=other).exists()


def test_an_invitation_is_only_for_the_address_it_was_sent_to(bergen, bergen_admin, volda_admin):
    invitation = Invitation.objects.create(organisation=bergen, email="riktig@bergen.kommune.no")
    response = volda_admin.post(f"/invitasjon/{invitation.token}/", {}, follow=True)
    assert response.status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None
    assert Membership.objects.filter(organisation=bergen).count() == 1


def test_accepting_an_invitation_needs_login(bergen, bergen_admin):
    invitation = Invitation.objects.create(organisation=bergen, email="ny@bergen.kommune.no")
    response = Client().post(f"/invitasjon/{invitation.token}/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_the_last_admin_cannot_be_demoted_or_removed(bergen, bergen_admin):
    member = admin_membership(bergen)
    bergen_admin.post(
        f"/organisasjoner/{bergen.slug}/medlemmer/{member.id}/rolle/", {"role": "reader"}
    )
    bergen_admin.post(f"/organisasjoner/{bergen.slug}/medlemmer/{member.id}/fjern/")
    assert Membership.objects.get(pk=member.pk).role == Role.ADMIN


def test_admin_changes_a_role_and_removes_a_member(bergen, bergen_admin, bergen_reader):
    reader = Membership.objects.get(organisation=bergen, role=Role.READER)
    bergen_admin.post(
        f"/organisasjoner/{bergen.slug}/medlemmer/{reader.id}/rolle/", {"role": "editor"}
    )
    assert Membership.objects.get(pk=reader.pk).role == Role.EDITOR
    bergen_admin.post(f"/organisasjoner/{bergen.slug}/medlemmer/{reader.id}/fjern/")
    assert not Membership.objects.filter(pk=reader.pk).exists()


def test_a_member_id_from_another_organisation_is_not_found(
    bergen, bergen_admin, volda, volda_admin
):
    volda_member = admin_membership(volda)
    url = f"/organisasjoner/{bergen.slug}/medlemmer/{volda_member.id}/fjern/"
    assert bergen_admin.post(url).status_code == 404
    assert Membership.objects.filter(pk=volda_member.pk).exists()


def test_members_are_visible_to_members_only(bergen, bergen_admin):
    page = f"/organisasjoner/{bergen.slug}/"
    assert "admin@bergen.kommune.no" in bergen_admin.get(page).text
    assert "admin@bergen.kommune.no" not in Client().get(page).text
    api = f"/api/v1/organisations/{bergen.slug}/"
    assert Client().get(api).json()["members"] is None
    assert bergen_admin.get(api).json()["members"][0]["email"] == "admin@bergen.kommune.no"


def test_only_platform_admins_create_organisations(volda_admin):
    assert Client().get("/organisasjoner/ny/").status_code == 302
    assert volda_admin.get("/organisasjoner/ny/").status_code == 403
    assert (
        volda_admin.post("/organisasjoner/ny/", {"name": "Ny", "kind": "other"}).status_code == 403
    )
    ks = make_user("stab@ks.no")
    ks.is_platform_admin = True
    ks.save()
    client = Client()
    client.force_login(ks)
    response = client.post("/organisasjoner/ny/", {"name": "KS", "kind": "ks"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name="KS", kind="ks").exists()


def test_platform_admin_creates_a_municipality_organisation_from_its_region(db):
    from lokalmaal.regions.models import Region

    ks = make_user("stab@ks.no")
    ks.is_platform_admin = True
    ks.save()
    client = Client()
    client.force_login(ks)
    region = Region.objects.get(code="1577")
    client.post("/organisasjoner/ny/", {"region": region.pk})
    organisation = Organisation.objects.get(region=region)
    assert organisation.name == "Volda kommune"
    # a region gets one organisation only
    response = client.post("/organisasjoner/ny/", {"region": region.pk})
    assert response.status_code == 200
    assert Organisation.objects.filter(region=region).count() == 1
