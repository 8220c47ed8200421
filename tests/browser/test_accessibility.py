"""Every page type, opened in headless Chromium (Debian's package), has zero axe-core violations,
no Content-Security-Policy violations, no request to another host, and works with the keyboard."""

import pytest

from conftest import make_organisation, make_user
from lokalmaal.accounts.models import Invitation, Membership, Role, User
from tests.browser.support import AXE, WCAG_TAGS, PageCheck, session_for

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/?lang=nb",
    "/?lang=nn",
    "/?lang=en",
    "/mal/",
    "/mal/13/?lang=nn",
    "/delmal/11.6/",
    "/delmal/11.6/?lang=en",
    "/kommuner/",
    "/kommuner/?q=berg&fylke=46",
    "/kommuner/4601/",
    "/kommuner/1577/",
    "/fylker/",
    "/fylker/46/?lang=en",
    "/organisasjoner/",
    "/api/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
]


def test_public_pages_have_no_accessibility_violations(browser, live_server, loaded_bundle):
    check = PageCheck(browser, live_server.url)
    problems = [v for path in PUBLIC_PAGES for v in check.violations(path)]
    assert problems == []
    assert check.csp_errors() == []
    assert check.foreign_requests() == []


def test_pages_for_members_have_no_accessibility_violations(browser, live_server, loaded_bundle):
    organisation = make_organisation("4601")
    session = session_for("admin@bergen.kommune.no")
    reader = make_user("leser@bergen.kommune.no")
    Membership.objects.create(user=reader, organisation=organisation, role=Role.READER)
    admin = User.objects.get(email="admin@bergen.kommune.no")
    Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    invitation = Invitation.objects.create(
        organisation=organisation, email="admin@bergen.kommune.no"
    )
    Invitation.objects.create(organisation=organisation, email="ny@bergen.kommune.no")
    check = PageCheck(browser, live_server.url, session)
    pages = [
        f"/organisasjoner/{organisation.slug}/",
        f"/organisasjoner/{organisation.slug}/?lang=nn",
        "/organisasjoner/mine/",
        f"/invitasjon/{invitation.token}/",
        "/konto/email/",
        "/konto/password/change/",
        "/konto/2fa/",
    ]
    problems = [v for path in pages for v in check.violations(path)]
    admin_check = PageCheck(
        browser, live_server.url, session_for("stab@ks.no", platform_admin=True)
    )
    problems += admin_check.violations("/organisasjoner/ny/")
    assert problems == []
    assert check.csp_errors() == []
    assert admin_check.csp_errors() == []


def test_the_skip_link_is_the_first_stop_for_the_keyboard(browser, live_server, loaded_bundle):
    page = PageCheck(browser, live_server.url).page
    page.goto("/kommuner/4601/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_municipality_search_and_language_switch_work_with_the_keyboard_alone(
    browser, live_server, loaded_bundle
):
    page = PageCheck(browser, live_server.url).page
    page.goto("/kommuner/")
    page.focus("#q")
    page.keyboard.type("Volda")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=Volda" in page.url
    page.focus("table a[href='/kommuner/1577/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/kommuner/1577/")
    assert page.evaluate("document.documentElement.lang") == "nn"
    page.focus("a[hreflang=en]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.lang") == "en"


def test_the_axe_check_itself_catches_a_real_violation(browser):
    """Guards against a check that cannot fail: an image without text alternative is reported."""
    page = browser.new_page()
    page.set_content(
        '<html lang="nb"><body><main><img src="data:image/png;base64,"></main></body></html>'
    )
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    assert "image-alt" in {v["id"] for v in result["violations"]}
    page.close()


def test_workspace_pages_have_no_accessibility_violations(browser, live_server, loaded_bundle):
    from lokalmaal.catalogue.models import Target
    from lokalmaal.localgoals.models import GoalIndicator, LocalGoal, Priority, Rating, Workspace

    organisation = make_organisation("1577")
    session = session_for("admin@volda.kommune.no")
    admin = User.objects.get(email="admin@volda.kommune.no")
    Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    colleague = make_user("kollega@volda.kommune.no")
    workspace = Workspace.objects.create(
        organisation=organisation, title="Kommuneplanens samfunnsdel 2025–2037",
        plan_type="samfunnsdel", status="adopted", adopted_on="2025-06-19",
        case_number="25/1234", published=True,
    )  # fmt: skip
    for code, values in {"11.6": (5, 4, 2, 3), "3.4": (4, 4, 4, 3), "4.1": (2, 2, 3, 2)}.items():
        target = Target.objects.get(code=code)
        Rating.objects.create(
            workspace=workspace,
            target=target,
            rater=admin,
            importance=values[0],
            influence=values[1],
        )
        Rating.objects.create(
            workspace=workspace,
            target=target,
            rater=colleague,
            importance=values[2],
            influence=values[3],
        )
    Priority.objects.create(workspace=workspace, target=Target.objects.get(code="11.6"))
    goal = LocalGoal.objects.create(workspace=workspace, kind="samfunnsmaal", title="Rein luft")
    sub = LocalGoal.objects.create(
        workspace=workspace, kind="delmaal", parent=goal, title="Mindre avfall"
    )
    sub.targets.set([Target.objects.get(code="11.6")])
    GoalIndicator.objects.create(
        goal=sub,
        name="Restavfall",
        unit="kg",
        direction="lower",
        baseline_value=212.5,
        baseline_year=2023,
    )
    from lokalmaal.localgoals import versions
    from lokalmaal.localgoals.models import AdoptedVersion

    AdoptedVersion.objects.create(
        workspace=workspace, number=1, adopted_on="2025-06-19", case_number="25/1234",
        body="Kommunestyret", content=versions.snapshot(workspace),
    )  # fmt: skip
    w = workspace.pk
    pages = [
        f"/organisasjoner/{organisation.slug}/arbeidsrom/",
        f"/arbeidsrom/{w}/",
        f"/arbeidsrom/{w}/vurder/",
        f"/arbeidsrom/{w}/vurder/?alle=1&mal=11",
        f"/arbeidsrom/{w}/resultat/",
        f"/arbeidsrom/{w}/mal/",
        f"/arbeidsrom/{w}/mal/{sub.pk}/",
        f"/arbeidsrom/{w}/historikk/",
        "/kommuner/1577/lokale-mal/",
        "/delmal/?q=avfall",
        "/delmal/11.6/?lang=nn",
    ]
    check = PageCheck(browser, live_server.url, session)
    problems = [v for path in pages for v in check.violations(path)]
    assert problems == []
    assert check.csp_errors() == []
    assert check.foreign_requests() == []


def test_indicator_pages_have_no_accessibility_violations(browser, live_server, loaded_bundle):
    pages = [
        "/indikatorar/",
        "/indikatorar/valgdeltakelse-stortingsvalg/?kommune=4601",
        "/indikatorar/valgdeltakelse-stortingsvalg/?sorter=namn&lang=en",
        "/kommuner/4601/berekraft/",
        "/kommuner/1577/berekraft/",
        "/kommuner/1580/berekraft/?lang=nn",  # inherited estimates, KOSTRA group, old figures
        "/indikatorar/vaksinasjon-mmr-9-aar/?kommune=1580",  # five-year averages, too old
        "/samanlikn/?k=4601&k=3907&k=5501",
        "/samanlikn/?k=1580&k=1508",
        "/indikatorar/dekning/",
        "/indikatorar/forslag/",
        "/indikatorar/metode/",
    ]
    check = PageCheck(browser, live_server.url, session_for("planlegger@volda.kommune.no"))
    problems = [v for path in pages for v in check.violations(path)]
    assert problems == []
    assert check.csp_errors() == []
    assert check.foreign_requests() == []
