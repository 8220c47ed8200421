"""Every page of the arena (practice examples, search, reports, moderation) in headless Chromium:
zero axe-core violations, no CSP errors, no request to another host, logged in and out."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_organisation
from lokalmaal.accounts.models import Membership, Role, User
from lokalmaal.accounts.permissions import MODERATORS_GROUP
from lokalmaal.arena import actions
from lokalmaal.arena.models import Example, Report
from lokalmaal.catalogue.models import Target
from lokalmaal.indicators.models import Indicator
from tests.browser.support import PageCheck, session_for

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _example(author: User, title: str, **changes: object) -> Example:
    organisation = author.memberships.get().organisation
    fields: dict[str, object] = {
        "title": title,
        "summary": "Elevane dyrkar grønsaker og lærer om mat og klima.",
        "organisations": [organisation],
        "sections": {
            "problem": "Lite kunnskap om **mat** i skulane.",
            "activities": "- Hagar ved alle skular\n- [Rettleiar](https://example.org/)",
            "results": "| År | Hagar |\n|---|---|\n| 2024 | 12 |",
        },
        "targets": list(Target.objects.filter(code__in=["4.7", "11.6"])),
        "indicators": list(Indicator.objects.all()[:2]),
        "service_areas": ["grunnskole"],
        "plan_levels": ["sektorplan"],
        "language": "nn",
        "contact_name": "Kari Nordmann",
        "contact_email": "kari@example.no",
    }
    fields.update(changes)
    example = actions.do_create_example(author, actions.ExampleInput(**fields))  # type: ignore[arg-type]
    actions.do_add_attachment(example, author, SimpleUploadedFile("rapport.pdf", PDF))
    return example


def test_arena_pages_have_no_accessibility_violations(browser, live_server, loaded_bundle):
    organisation = make_organisation("4601")
    editor_session = session_for("redaktor@bergen.kommune.no")
    editor = User.objects.get(email="redaktor@bergen.kommune.no")
    Membership.objects.create(user=editor, organisation=organisation, role=Role.EDITOR)
    moderator_session = session_for("moderator@ks.no")
    moderator = User.objects.get(email="moderator@ks.no")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])

    published = _example(editor, "Skulehagar i Bergen")
    actions.do_submit_example(published, editor)
    actions.do_publish_example(published, moderator, "Fint.")
    submitted = _example(editor, "Sykkelvegar til skulen", language="nb")
    actions.do_submit_example(submitted, editor)
    draft = _example(editor, "Utkast om klima")
    Report.objects.create(
        kind="example",
        key=published.pk,
        url=published.get_absolute_url(),
        title=published.title,
        reason="wrong",
        comment="Tala stemmer ikkje.",
        reporter=editor,
    )
    actions.do_resolve_report(Report.objects.get(), moderator, "Sjekka tala.")
    Report.objects.create(
        kind="example", key=published.pk, url=published.get_absolute_url(), reason="spam"
    )

    anonymous = PageCheck(browser, live_server.url)
    public_pages = [
        "/erfaringar/",
        "/erfaringar/?q=skule&fylke=46&storleik=50000&omrade=grunnskole&mal=4",
        f"/erfaringar/{published.pk}/",
        f"/erfaringar/{published.pk}/?lang=en",
        "/sok/",
        "/sok/?q=skulane",
        "/sok/?q=skulehagar&delmal=4.7&lang=nn",
        "/delmal/4.7/",
    ]
    problems = [v for path in public_pages for v in anonymous.violations(path)]

    editor_check = PageCheck(browser, live_server.url, editor_session)
    editor_pages = [
        f"/erfaringar/{published.pk}/",
        f"/erfaringar/{draft.pk}/",
        f"/erfaringar/{submitted.pk}/",
        "/erfaringar/ny/",
        f"/erfaringar/{draft.pk}/endre/",
        f"/erfaringar/{draft.pk}/endre/?lang=nn",
        "/erfaringar/mine/",
        f"/meld/?kind=example&key={published.pk}",
    ]
    problems += [v for path in editor_pages for v in editor_check.violations(path)]

    moderator_check = PageCheck(browser, live_server.url, moderator_session)
    moderator_pages = [
        "/moderering/",
        "/moderering/logg/",
        f"/erfaringar/{submitted.pk}/",
        f"/erfaringar/{published.pk}/",
        "/sok/?q=sykkel",
    ]
    problems += [v for path in moderator_pages for v in moderator_check.violations(path)]

    assert problems == []
    for check in (anonymous, editor_check, moderator_check):
        assert check.csp_errors() == []
        assert check.foreign_requests() == []


def test_a_form_with_errors_has_no_accessibility_violations(browser, live_server, loaded_bundle):
    organisation = make_organisation("4601")
    session = session_for("redaktor@bergen.kommune.no")
    editor = User.objects.get(email="redaktor@bergen.kommune.no")
    Membership.objects.create(user=editor, organisation=organisation, role=Role.EDITOR)
    check = PageCheck(browser, live_server.url, session)
    check.page.goto("/erfaringar/ny/")
    check.page.fill("#id_targets", "99.9")
    check.page.click("button[type=submit]")
    assert "No such target" in check.page.content() or "Ingen" in check.page.content()
    from tests.browser.support import AXE, WCAG_TAGS

    check.page.evaluate(AXE.read_text(encoding="utf-8"))
    result = check.page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    assert [v["id"] for v in result["violations"]] == []
    assert check.csp_errors() == []
