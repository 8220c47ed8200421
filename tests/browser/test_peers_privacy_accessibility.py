"""The peer finder (anonymous and logged in) and the my-data page, in headless Chromium: zero
axe-core violations, no Content-Security-Policy errors, no request to another host."""

import pytest

from conftest import make_organisation
from lokalmaal.accounts.models import Membership, Organisation, Role, User
from lokalmaal.arena.models import Example, Status, Visibility
from lokalmaal.catalogue.models import Target
from lokalmaal.localgoals.models import Priority, Workspace
from tests.browser.support import PageCheck, session_for

pytestmark = pytest.mark.browser


def prioritise(code: str, targets: list[str]) -> None:
    organisation = make_organisation(code)
    workspace = Workspace.objects.create(
        organisation=organisation, title="Planstrategi", plan_type="planstrategi", published=True
    )
    for target in targets:
        Priority.objects.create(workspace=workspace, target=Target.objects.get(code=target))
    if code == "4601":
        example = Example.objects.create(
            title="Grøne tak",
            summary="Kva vi gjorde.",
            status=Status.PUBLISHED,
            visibility=Visibility.PUBLIC,
            contact_name="Kari Nordmann",
            contact_email="kari@example.no",
        )
        example.organisations.add(organisation)
        example.targets.set(Target.objects.filter(code__in=targets))


def test_the_peer_finder_has_no_accessibility_violations(browser, live_server, loaded_bundle):
    prioritise("1577", ["11.6", "13.2"])
    prioritise("4601", ["11.6", "13.2"])
    pages = [
        "/kommuner/1577/likesinna/",
        "/kommuner/1577/likesinna/?lang=en",
        "/kommuner/4601/likesinna/?indikator=dagpenger-per-innbygger",
        "/kommuner/1577/likesinna/?indikator=befolkningsvekst&lang=nb",
    ]
    check = PageCheck(browser, live_server.url)
    problems = [v for path in pages for v in check.violations(path)]
    session = session_for("planleggar@volda.kommune.no")
    Membership.objects.create(
        user=User.objects.get(email="planleggar@volda.kommune.no"),
        organisation=Organisation.objects.get(region__code="1577"),  # sees its own priorities
        role=Role.EDITOR,
    )
    member = PageCheck(browser, live_server.url, session)
    problems += [v for path in pages[:2] for v in member.violations(path)]
    assert problems == []
    assert check.csp_errors() == []
    assert member.csp_errors() == []
    assert check.foreign_requests() == []
    assert member.foreign_requests() == []


def test_my_data_has_no_accessibility_violations(browser, live_server, loaded_bundle):
    session = session_for("admin@volda.kommune.no")
    Membership.objects.create(
        user=User.objects.get(email="admin@volda.kommune.no"),
        organisation=make_organisation("1577"),
        role=Role.ADMIN,
    )
    check = PageCheck(browser, live_server.url, session)
    problems = [
        v
        for path in ["/konto/mine-data/", "/konto/mine-data/?lang=en"]
        for v in check.violations(path)
    ]
    assert problems == []
    assert check.csp_errors() == []
    assert check.foreign_requests() == []
