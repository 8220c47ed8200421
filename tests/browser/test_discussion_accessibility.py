"""Question, ask, notification and settings pages: zero axe-core violations, no CSP errors and no
requests to other hosts, for visitors, members, the asker and a moderator."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from conftest import make_organisation, make_user
from lokalmaal.accounts.models import Membership, Role, User
from lokalmaal.accounts.permissions import MODERATORS_GROUP
from lokalmaal.arena.models import Example, Status
from lokalmaal.catalogue.models import Target
from lokalmaal.discussion import actions, notify
from tests.browser.support import AXE, WCAG_TAGS, PageCheck, session_for

pytestmark = pytest.mark.browser


def test_discussion_pages_have_no_accessibility_violations(browser, live_server, loaded_bundle):
    bergen, volda = make_organisation("4601"), make_organisation("1577")
    author = make_user("kari@bergen.kommune.no")
    author.first_name, author.last_name = "Kari", "Nordmann"
    author.save()
    Membership.objects.create(user=author, organisation=bergen, role=Role.EDITOR)
    asker_session = session_for("ola@volda.kommune.no")
    asker = User.objects.get(email="ola@volda.kommune.no")
    Membership.objects.create(user=asker, organisation=volda, role=Role.EDITOR)
    example = Example.objects.create(
        title="Grøne tak i Bergen",
        summary="Tak med planter tek unna regnvatn.",
        author=author,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    example.organisations.set([bergen])
    target = Target.objects.get(code="11.6")
    notify.follow(asker, target)
    question = actions.do_ask(asker, example, "Kva kosta taka?", "Og **kven** betalte?")
    answer = actions.do_answer(author, question, "Om lag 2000 kroner per m².\n\n- Kommunen")
    actions.do_mark_helpful(answer, True)
    actions.do_answer(author, question, "Eit svar til.")
    actions.do_ask(author, target, "Korleis måler de luftkvalitet?", "")
    notify.notify(asker, "event_promoted", title="Berekraftsdagen", url="/")
    moderator_session = session_for("moderator@ks.no")
    moderator = User.objects.get(email="moderator@ks.no")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])

    visitor = PageCheck(browser, live_server.url)
    member = PageCheck(browser, live_server.url, asker_session)
    mod = PageCheck(browser, live_server.url, moderator_session)
    problems = [
        *visitor.violations(f"/sporsmal/{question.pk}/"),
        *visitor.violations("/sporsmal/?lang=en"),
        *visitor.violations("/delmal/11.6/sporsmal/"),
        *visitor.violations("/delmal/11.6/"),
        *member.violations(f"/sporsmal/{question.pk}/"),
        *member.violations(f"/sporsmal/{question.pk}/?lang=nn"),
        *member.violations("/sporsmal/ny/target/11.6/"),
        *member.violations(f"/sporsmal/ny/example/{example.pk}/?lang=en"),
        *member.violations("/delmal/11.6/sporsmal/"),
        *member.violations("/varsel/"),
        *member.violations("/varsel/?lang=en"),
        *member.violations("/varsel/innstillingar/"),
        *mod.violations(f"/sporsmal/{question.pk}/"),
        *mod.violations("/varsel/"),
    ]
    assert problems == []
    for check in (visitor, member, mod):
        assert check.csp_errors() == []
        assert check.foreign_requests() == []


def test_the_ask_form_shows_errors_accessibly(browser, live_server, loaded_bundle):
    session = session_for("ola@volda.kommune.no")
    check = PageCheck(browser, live_server.url, session)
    page = check.page
    page.goto("/sporsmal/ny/target/11.6/")
    page.fill("#id_body", "Tekst som ikkje skal gå tapt")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.input_value("#id_body") == "Tekst som ikkje skal gå tapt"
    assert page.locator(".ds-validation-message").count() == 1
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    assert [v["id"] for v in result["violations"]] == []
    assert check.csp_errors() == []
    assert check.foreign_requests() == []
