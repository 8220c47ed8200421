"""Network and event pages, for anonymous visitors, members, coordinators and organisers: zero
axe-core violations, no CSP errors and no requests to other hosts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_organisation, make_user
from lokalmaal.accounts.models import Membership, Role, User
from lokalmaal.networks.actions import (
    EventInput,
    NetworkInput,
    do_create_event,
    do_create_network,
    do_post,
    do_register,
)
from lokalmaal.networks.models import NetworkMembership, NetworkRole, Visibility
from tests.browser.support import AXE, WCAG_TAGS, PageCheck, session_for

pytestmark = pytest.mark.browser


def _setup() -> tuple[str, int, str]:
    """A network with a post, a full event with a waiting list; returns the network's slug, the
    event's id and the coordinator's session."""
    organisation = make_organisation("4601")
    session = session_for("koordinator@bergen.kommune.no")
    coordinator = User.objects.get(email="koordinator@bergen.kommune.no")
    Membership.objects.create(user=coordinator, organisation=organisation, role=Role.EDITOR)
    network = do_create_network(
        coordinator,
        NetworkInput(
            name="Berekraftsnettverket Vestland",
            description="Eit nettverk for **planleggjarar** i Vestland.",
            region=organisation.region,
            visibility=Visibility.PUBLIC,
        ),
        organisation,
    )
    member = make_user("medlem@volda.kommune.no")
    NetworkMembership.objects.create(network=network, person=member, role=NetworkRole.MEMBER)
    do_post(network, member, "Kven har erfaring med *indikatorar* for mål 11?")
    start = timezone.now() + timedelta(days=14)
    event = do_create_event(
        coordinator,
        EventInput(
            title="Regional oppfølgingskonferanse",
            description="Korleis bruke berekraftsmåla i planane.",
            programme="- 09:00 Opning\n- 10:00 Erfaringar frå kommunane",
            start=start,
            end=start + timedelta(hours=6),
            place="Bergen",
            online_url="https://meet.example.no/k",
            capacity=1,
            registration_deadline=None,
            network=network,
            organisation=organisation,
            visibility=Visibility.PUBLIC,
        ),
    )
    do_register(event, member)
    do_register(event, make_user("ventar@example.no"))
    return network.slug, event.pk, session


def test_network_and_event_pages_have_no_accessibility_violations(
    browser, live_server, loaded_bundle
):
    slug, event_id, coordinator_session = _setup()
    anonymous = PageCheck(browser, live_server.url)
    coordinator = PageCheck(browser, live_server.url, coordinator_session)
    member_session = session_for("ny@example.no")
    newcomer = PageCheck(browser, live_server.url, member_session)

    problems = [
        v
        for path in [
            "/nettverk/",
            f"/nettverk/{slug}/",
            f"/nettverk/{slug}/?lang=nn",
            "/arrangement/",
            f"/arrangement/{event_id}/",
            f"/arrangement/{event_id}/?lang=en",
        ]
        for v in anonymous.violations(path)
    ]
    problems += [
        v
        for path in [
            "/nettverk/",
            "/nettverk/nytt/",
            f"/nettverk/{slug}/",
            f"/nettverk/{slug}/endre/",
            f"/nettverk/{slug}/innlegg/nytt/",
            f"/nettverk/{slug}/dokument/nytt/",
            "/arrangement/",
            "/arrangement/nytt/",
            f"/arrangement/{event_id}/",
            f"/arrangement/{event_id}/endre/",
            f"/arrangement/{event_id}/deltakarar/",
        ]
        for v in coordinator.violations(path)
    ]
    # A logged-in person outside the network: the join form and the full-event waiting list.
    problems += newcomer.violations(f"/nettverk/{slug}/")
    problems += newcomer.violations(f"/arrangement/{event_id}/")
    assert problems == []
    for check in (anonymous, coordinator, newcomer):
        assert check.csp_errors() == []
        assert check.foreign_requests() == []


def test_form_errors_are_announced_accessibly(browser, live_server, loaded_bundle):
    slug, _event_id, coordinator_session = _setup()
    check = PageCheck(browser, live_server.url, coordinator_session)
    page = check.page
    page.goto("/arrangement/nytt/?lang=en")
    page.fill("#id_title", "Tomt")
    page.click("button[type=submit]")
    assert page.locator(".ds-validation-message").count() > 0
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    assert result["violations"] == []
    page.goto(f"/nettverk/{slug}/dokument/nytt/?lang=en")
    page.fill("#id_title", "Falsk PDF")
    page.set_input_files(
        "#id_file",
        files=[
            {"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + bytes(100)}
        ],
    )
    page.click("button[type=submit]")
    assert "is not a type we accept" in page.content()
    assert check.csp_errors() == []
