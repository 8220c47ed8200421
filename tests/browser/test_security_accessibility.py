"""The security pages in headless Chromium: login by e-mail code, the two-factor set-up a
platform admin is sent to, and the security log: zero axe-core violations, no CSP errors, no
request to another host."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import timezone

from conftest import make_user
from lokalmaal.security.models import TwoFactorGrace
from tests.browser.support import PageCheck

pytestmark = pytest.mark.browser
PASSWORD = "Riktig-passord-123"


def test_the_security_pages_have_no_accessibility_violations(
    browser, live_server, transactional_db
):
    admin = make_user("drift@ks.no", PASSWORD)
    admin.is_platform_admin = True
    admin.save()
    TwoFactorGrace.objects.create(user=admin, started_at=timezone.now() - timedelta(days=8))
    Client(REMOTE_ADDR="198.51.100.7").post(
        "/konto/login/", {"login": "ola@bergen.kommune.no", "password": "feil"}
    )

    anonymous = PageCheck(browser, live_server.url)
    problems = [
        v
        for path in ["/konto/login/?lang=nn", "/konto/login/code/", "/konto/login/code/?lang=en"]
        for v in anonymous.violations(path)
    ]

    check = PageCheck(browser, live_server.url)
    check.page.goto("/konto/login/?lang=nn")
    check.page.fill("input[name=login]", "drift@ks.no")
    check.page.fill("input[name=password]", PASSWORD)
    check.page.click("form button[type=submit]")
    check.page.wait_for_load_state()
    # Before anything else: allauth asks for the password again, then the set-up.
    assert "/konto/reauthenticate/?next=%2Fkonto%2F2fa%2Ftotp%2Factivate%2F" in check.page.url
    problems += check.violations(check.page.url.removeprefix(live_server.url))
    check.page.fill("input[name=password]", PASSWORD)
    check.page.click("form button[type=submit]")
    check.page.wait_for_load_state()
    assert check.page.url.endswith("/konto/2fa/totp/activate/")
    problems += check.violations("/konto/2fa/totp/activate/")
    problems += check.violations("/konto/2fa/totp/activate/?lang=en")

    TOTP.activate(admin, generate_totp_secret())
    for path in [
        "/sikkerheit/logg/",
        "/sikkerheit/logg/?lang=nn",
        "/sikkerheit/logg/?lang=en&kind=login_failed",
        "/sikkerheit/logg/?person=nobody",
    ]:
        problems += check.violations(path)
    assert "Mislukka innlogging" in check.page.goto("/sikkerheit/logg/?lang=nn").text()

    assert problems == []
    assert anonymous.csp_errors() == []
    assert check.csp_errors() == []
    assert anonymous.foreign_requests() == []
    assert check.foreign_requests() == []
