"""Platform admins, moderators and organisation admins must set up two-factor authentication
(TOTP) within the grace period; after it, every page leads to the set-up first."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from lokalmaal.accounts.models import Membership, Role
from lokalmaal.security.models import TwoFactorGrace
from lokalmaal.security.twofactor import needs_two_factor

from .conftest import logged_in

SETUP = reverse("mfa_activate_totp")


def grace_over(user) -> None:
    TwoFactorGrace.objects.update_or_create(
        user=user, defaults={"started_at": timezone.now() - timedelta(days=8)}
    )


def test_a_platform_admin_without_two_factor_is_sent_to_set_it_up_before_anything_else(
    platform_admin,
):
    grace_over(platform_admin)
    client = logged_in(platform_admin)
    for path in ["/", "/organisasjoner/mine/", "/sikkerheit/logg/", "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == SETUP, path
    assert client.get("/api/v1/notifications/").status_code == 403
    # The set-up itself is open, and so is allauth's request for the password on the way.
    setup = client.get(SETUP)
    assert setup.status_code == 302
    assert setup["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(setup["Location"]).status_code == 200


def test_within_the_grace_period_pages_open_with_a_reminder(platform_admin):
    client = logged_in(platform_admin)
    page = client.get("/organisasjoner/mine/?lang=en")
    assert page.status_code == 200
    assert "Set it up by" in page.text
    assert TwoFactorGrace.objects.filter(user=platform_admin).exists()


def test_with_two_factor_set_up_nothing_is_in_the_way(platform_admin):
    grace_over(platform_admin)
    TOTP.activate(platform_admin, generate_totp_secret())
    page = logged_in(platform_admin).get("/organisasjoner/mine/?lang=en")
    assert page.status_code == 200
    assert "Set it up by" not in page.text


@pytest.mark.parametrize("role", ["moderator", "organisation admin", "superuser"])
def test_moderators_and_organisation_admins_are_held_to_it_too(role, bergen, moderator_user):
    user = moderator_user
    if role == "organisation admin":
        user = make_user("admin@bergen.kommune.no")
        Membership.objects.create(user=user, organisation=bergen, role=Role.ADMIN)
    elif role == "superuser":
        user = make_user("root@ks.no")
        user.is_superuser = True
        user.save()
    assert needs_two_factor(user)
    grace_over(user)
    assert logged_in(user).get("/").headers["Location"] == SETUP


def test_readers_and_editors_need_no_second_factor(bergen):
    user = make_user("redaktor@bergen.kommune.no")
    Membership.objects.create(user=user, organisation=bergen, role=Role.EDITOR)
    assert not needs_two_factor(user)
    assert logged_in(user).get("/organisasjoner/mine/").status_code == 200
    assert not TwoFactorGrace.objects.filter(user=user).exists()


def test_losing_the_role_ends_the_grace_period_and_a_new_role_starts_a_new_one(bergen):
    user = make_user("admin@bergen.kommune.no")
    membership = Membership.objects.create(user=user, organisation=bergen, role=Role.ADMIN)
    grace_over(user)
    membership.role = Role.EDITOR
    membership.save()
    client = logged_in(user)
    assert client.get("/").status_code == 200
    assert not TwoFactorGrace.objects.filter(user=user).exists()
    membership.role = Role.ADMIN
    membership.save()
    client.session.flush()
    client = logged_in(user)
    assert client.get("/").status_code == 200  # a fresh grace period


def test_a_privileged_person_cannot_remove_their_authenticator(platform_admin):
    from allauth.mfa.adapter import get_adapter

    authenticator = TOTP.activate(platform_admin, generate_totp_secret()).instance
    assert not get_adapter().can_delete_authenticator(authenticator)
    other = make_user("innbygger@example.no")
    mine = TOTP.activate(other, generate_totp_secret()).instance
    assert get_adapter().can_delete_authenticator(mine)
    assert Authenticator.objects.filter(user=platform_admin).exists()


@pytest.fixture
def fast_hashes(db, settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_right_after_logging_in_the_first_page_is_the_set_up(fast_hashes):
    from django.test import Client

    admin = make_user("drift@ks.no", "Riktig-passord-123")
    admin.is_platform_admin = True
    admin.save()
    grace_over(admin)
    client = Client()
    response = client.post(
        "/konto/login/", {"login": "drift@ks.no", "password": "Riktig-passord-123"}
    )
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == SETUP


def test_an_emailed_login_code_does_not_skip_the_second_factor(fast_hashes):
    import re

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from django.core import mail
    from django.test import Client

    admin = make_user("drift@ks.no", "Riktig-passord-123")
    admin.is_platform_admin = True
    admin.save()
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    client = Client()
    client.post("/konto/login/code/", {"email": "drift@ks.no"})
    code = next(
        line.strip()
        for line in mail.outbox[-1].body.splitlines()
        if re.fullmatch(r"[A-Z0-9-]{4,12}", line.strip())
    )
    response = client.post("/konto/login/code/confirm/", {"code": code})
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert "_auth_user_id" not in client.session
    import time

    from allauth.mfa import app_settings

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    client.post(
        reverse("mfa_authenticate"), {"code": format_hotp_value(hotp_value(secret, counter))}
    )
    assert "_auth_user_id" in client.session


def test_the_django_admin_has_no_login_form_of_its_own(fast_hashes):
    """Its own form would bypass the login limits and the second factor."""
    from django.test import Client

    staff = make_user("stab@ks.no", "Riktig-passord-123")
    staff.is_staff = True
    staff.save()
    client = Client()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.post("/admin/login/", {"username": "stab@ks.no", "password": "Riktig-passord-123"})
    assert "_auth_user_id" not in client.session
