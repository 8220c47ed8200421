"""The security event log: what is recorded, that it holds no secrets, the platform admins' page
(in their language, filtered) and pruning."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone

from conftest import make_user, member_client
from lokalmaal.accounts import actions as account_actions
from lokalmaal.accounts.models import Membership, Organisation, Role
from lokalmaal.accounts.permissions import MODERATORS_GROUP
from lokalmaal.arena import actions as arena_actions
from lokalmaal.arena.models import Example
from lokalmaal.catalogue.models import Target
from lokalmaal.security.models import EventKind, SecurityEvent, TwoFactorGrace
from lokalmaal.security.tasks import prune_security_log

from .conftest import logged_in

LOG = "/sikkerheit/logg/"


def submitted_example(organisation: Organisation) -> Example:
    author = make_user("forfattar@bergen.kommune.no")
    Membership.objects.create(user=author, organisation=organisation, role=Role.EDITOR)
    data = arena_actions.ExampleInput(
        title="Skulehagar i alle skular",
        summary="Elevane dyrkar grønsaker.",
        organisations=[organisation],
        sections={"problem": "Lite kunnskap om mat."},
        targets=list(Target.objects.filter(code__in=["4.7"])),
        service_areas=["grunnskole"],
    )
    example = arena_actions.do_create_example(author, data)
    arena_actions.do_submit_example(example, author)
    return example


def events(kind: EventKind) -> "QuerySet[SecurityEvent]":
    return SecurityEvent.objects.filter(kind=kind)


def test_the_log_shows_a_failed_login_a_denial_and_a_moderator_action_in_the_admins_language(
    bergen, platform_admin, moderator_user
):
    Client(REMOTE_ADDR="198.51.100.7").post(
        "/konto/login/", {"login": "ola@bergen.kommune.no", "password": "Hemmeleg-gjetting-1"}
    )
    reader = member_client(bergen, Role.READER, "lesar@bergen.kommune.no")
    denied = reader.post(
        f"/organisasjoner/{bergen.slug}/inviter/", {"email": "x@example.no", "role": "admin"}
    )
    assert denied.status_code == 403
    example = submitted_example(bergen)
    moderated = logged_in(moderator_user).post(
        f"/erfaringar/{example.pk}/moderer/", {"action": "publish", "comment": ""}
    )
    assert moderated.status_code == 302

    client = logged_in(platform_admin)
    nynorsk = client.get(LOG + "?lang=nn").text
    for text in [
        "Sikkerheitslogg", "Mislukka innlogging", "Tilgang nekta", "Moderatorhandling",
        "Rolle endra", "<dt>Metode</dt>", "<dt>Moderator</dt><dd>ja</dd>",
    ]:  # fmt: skip
        assert text in nynorsk, text
    assert "198.51.100.7" in nynorsk
    assert "ola@bergen.kommune.no" in nynorsk
    assert f"/organisasjoner/{bergen.slug}/inviter/" in nynorsk
    assert "Skulehagar i alle skular" in nynorsk
    english = client.get(LOG + "?lang=en").text
    for text in ["Security log", "Failed login", "Permission denied", "Moderator action"]:
        assert text in english, text
    bokmaal = client.get(LOG + "?lang=nb").text
    for text in ["Sikkerhetslogg", "Mislykket innlogging", "Tilgang nektet"]:
        assert text in bokmaal, text
    # No password, in any form, anywhere in the log.
    assert "Hemmeleg-gjetting-1" not in nynorsk
    assert not SecurityEvent.objects.filter(details__icontains="Hemmeleg").exists()


def test_the_log_can_be_filtered(platform_admin):
    Client(REMOTE_ADDR="198.51.100.7").post(
        "/konto/login/", {"login": "ola@bergen.kommune.no", "password": "feil"}
    )
    Client(REMOTE_ADDR="203.0.113.5").post(
        "/konto/login/", {"login": "kari@volda.kommune.no", "password": "feil"}
    )
    client = logged_in(platform_admin)
    page = client.get(LOG, {"person": "volda", "lang": "en"}).text
    assert "kari@volda.kommune.no" in page
    assert "ola@bergen.kommune.no" not in page
    page = client.get(LOG, {"ip": "198.51.100.", "kind": "login_failed"}).text
    assert "ola@bergen.kommune.no" in page
    assert "kari@volda.kommune.no" not in page
    page = client.get(LOG, {"kind": "moderation", "lang": "en"}).text
    assert "No events match" in page
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "No events match" in client.get(LOG, {"since": tomorrow, "lang": "en"}).text
    bad = client.get(LOG, {"since": tomorrow, "until": "2020-01-01", "lang": "en"})
    assert bad.status_code == 400
    assert "The from date must come before the to date" in bad.text


def test_only_platform_admins_may_read_the_log(bergen, moderator_user):
    assert Client().get(LOG).status_code == 302
    assert logged_in(moderator_user).get(LOG).status_code == 403
    admin = member_client(bergen, Role.ADMIN, "admin@bergen.kommune.no")
    assert admin.get(LOG).status_code == 403
    assert events(EventKind.PERMISSION_DENIED).filter(target=LOG).count() == 2


def test_logins_are_recorded_without_secrets(db):
    make_user("kari@bergen.kommune.no", "Riktig-passord-123")
    client = Client()
    client.post(
        "/konto/login/", {"login": "kari@bergen.kommune.no", "password": "Riktig-passord-123"}
    )
    event = events(EventKind.LOGIN).get()
    assert event.actor is not None
    assert event.actor.email == "kari@bergen.kommune.no"
    assert event.ip == "127.0.0.1"
    assert "Riktig-passord-123" not in str(event.details)


def test_role_changes_are_recorded_with_who_made_them(bergen):
    admin_client = member_client(bergen, Role.ADMIN, "admin@bergen.kommune.no")
    member = make_user("lesar@bergen.kommune.no")
    membership = Membership.objects.create(user=member, organisation=bergen, role=Role.READER)
    response = admin_client.post(
        f"/organisasjoner/{bergen.slug}/medlemmer/{membership.pk}/rolle/", {"role": "editor"}
    )
    assert response.status_code == 302
    event = events(EventKind.ROLE_CHANGED).filter(target__startswith="lesar@").first()
    assert event is not None
    assert event.details == {"from": "reader", "to": "editor"}
    assert event.actor_label == "admin@bergen.kommune.no"
    account_actions.do_remove_member(membership)
    assert events(EventKind.ROLE_CHANGED).filter(details__to=None).exists()


def test_becoming_moderator_or_platform_admin_is_recorded(db):
    person = make_user("ny@ks.no")
    person.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    assert events(EventKind.ROLE_CHANGED).filter(target="ny@ks.no", details={"moderator": True})
    person.is_platform_admin = True
    person.save()
    assert events(EventKind.ROLE_CHANGED).filter(details={"is_platform_admin": True}).exists()
    person.save(update_fields=["last_login"])  # no change of privilege: nothing new
    assert events(EventKind.ROLE_CHANGED).filter(target="ny@ks.no").count() == 2


def test_exports_are_recorded_but_public_data_downloads_are_not(bergen):
    client = member_client(bergen, Role.READER, "lesar@bergen.kommune.no")
    assert client.get("/konto/mine-data/lokalmaal-data.json").status_code == 200
    event = events(EventKind.EXPORT).get()
    assert event.actor_label == "lesar@bergen.kommune.no"
    assert event.details["view"] == "privacy:download"


def test_deleting_an_account_is_recorded_and_keeps_the_log_intact(db):
    from lokalmaal.accounts import privacy

    person = make_user("borte@example.no", "Riktig-passord-123")
    client = logged_in(person)
    client.get("/konto/mine-data/lokalmaal-data.json")
    privacy.do_delete_account(person)
    event = events(EventKind.ACCOUNT_DELETED).get()
    assert event.target == "borte@example.no"
    assert events(EventKind.EXPORT).get().actor is None  # the link goes, the label stays
    assert not TwoFactorGrace.objects.exists()


def test_old_events_are_pruned(db, settings):
    settings.SECURITY_LOG_DAYS = 30
    old = SecurityEvent.objects.create(kind=EventKind.LOGIN_FAILED)
    SecurityEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = SecurityEvent.objects.create(kind=EventKind.LOGIN_FAILED)
    call_command("security", "prune")
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    SecurityEvent.objects.filter(pk=recent.pk).update(at=timezone.now() - timedelta(days=40))
    assert prune_security_log.call() == 1  # the task twin for a scheduler


@pytest.mark.parametrize("truncate", [False, True])
def test_addresses_can_be_truncated(db, settings, truncate):
    settings.SECURITY_LOG_TRUNCATE_IP = truncate
    Client(REMOTE_ADDR="198.51.100.77").post(
        "/konto/login/", {"login": "ola@bergen.kommune.no", "password": "feil"}
    )
    expected = "198.51.100.0" if truncate else "198.51.100.77"
    assert events(EventKind.LOGIN_FAILED).get().ip == expected


def test_a_coordinator_removing_someone_elses_post_is_a_moderator_action(bergen):
    from lokalmaal.networks.actions import NetworkInput, do_create_network, do_post
    from lokalmaal.networks.models import NetworkMembership, NetworkRole, Visibility

    coordinator = make_user("koordinator@bergen.kommune.no")
    Membership.objects.create(user=coordinator, organisation=bergen, role=Role.EDITOR)
    network = do_create_network(
        coordinator,
        NetworkInput(
            name="Vestlandsnettverket", description="", region=None, visibility=Visibility.PUBLIC
        ),
    )
    member = make_user("medlem@volda.kommune.no")
    NetworkMembership.objects.create(network=network, person=member, role=NetworkRole.MEMBER)
    own = do_post(network, member, "Mitt innlegg")
    logged_in(member).post(f"/nettverk/{network.slug}/innlegg/{own.pk}/slett/")
    assert not events(EventKind.MODERATION).exists()  # removing one's own post is not moderation
    other = do_post(network, member, "Reklame")
    response = logged_in(coordinator).post(f"/nettverk/{network.slug}/innlegg/{other.pk}/slett/")
    assert response.status_code == 302
    event = events(EventKind.MODERATION).get()
    assert event.actor == coordinator
    assert event.target == f"Vestlandsnettverket: post {other.pk}"


def test_password_changes_and_rejected_login_codes_are_recorded(db):
    make_user("kari@bergen.kommune.no", "Riktig-passord-123")
    client = Client()
    client.post("/konto/login/code/", {"email": "kari@bergen.kommune.no"})
    client.post("/konto/login/code/confirm/", {"code": "FEIL00"})
    rejected = events(EventKind.LOGIN_FAILED).get()
    assert rejected.details["method"] == "e-mail code"
    assert "FEIL00" not in str(rejected.details)
    client = Client()
    client.post(
        "/konto/login/", {"login": "kari@bergen.kommune.no", "password": "Riktig-passord-123"}
    )
    client.post(
        "/konto/password/change/",
        {
            "oldpassword": "Riktig-passord-123",
            "password1": "Nytt-langt-passord-456",
            "password2": "Nytt-langt-passord-456",
        },
    )
    changed = events(EventKind.PASSWORD_CHANGED).get()
    assert changed.actor_label == "kari@bergen.kommune.no"
    assert "Nytt-langt-passord-456" not in str(changed.details)


def test_creating_an_organisation_is_an_admin_action(platform_admin):
    response = logged_in(platform_admin).post(
        "/organisasjoner/ny/", {"name": "Vestland Fylkesnettverk", "kind": "other"}
    )
    assert response.status_code == 302
    event = events(EventKind.ADMIN_ACTION).get()
    assert event.actor == platform_admin
    assert event.target == "Vestland Fylkesnettverk"


def test_a_refused_csrf_token_is_a_permission_denial(db):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.8")
    response = client.post("/konto/login/", {"login": "kari@bergen.kommune.no", "password": "x"})
    assert response.status_code == 403
    event = events(EventKind.PERMISSION_DENIED).get()
    assert event.ip == "198.51.100.8"
    assert event.target == "/konto/login/"


def test_probing_cannot_flood_the_log(db):
    client = Client(REMOTE_ADDR="198.51.100.8", enforce_csrf_checks=True)
    for _n in range(30):
        client.post("/konto/login/", {})
    assert events(EventKind.PERMISSION_DENIED).count() == 20
