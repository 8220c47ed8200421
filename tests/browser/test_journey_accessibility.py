"""The planner's journey pages (issue #13) at 1280 and 390 pixels: zero axe-core violations, no
CSP errors, and a materiality matrix with 30 rated targets whose labels neither overlap nor leave
the chart."""

import datetime

import pytest

from conftest import make_organisation, make_user
from lokalmaal.accounts.models import AccessRequest, Membership, Role, User
from lokalmaal.catalogue.models import Target
from lokalmaal.localgoals import actions
from lokalmaal.localgoals.models import Rating, Status, Workspace
from lokalmaal.regions.models import Region
from tests.browser.support import PageCheck, session_for

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)


def _rated_workspace(admin: User, colleague: User) -> Workspace:
    """Volda's samfunnsdel: 30 targets rated by two raters, clustered as real ratings are
    (many share the same means), two goals, a library indicator, a measure, adopted and
    published with its analysis."""
    organisation = admin.memberships.get().organisation
    workspace = actions.do_create_workspace(
        organisation, admin, "Kommuneplanens samfunnsdel 2026–2038", "samfunnsdel", 2026, 2038
    )
    targets = list(Target.objects.order_by("goal", "position")[:30])
    for n, target in enumerate(targets):
        for rater, shift in ((admin, 0), (colleague, 1)):
            Rating.objects.create(
                workspace=workspace,
                target=target,
                rater=rater,
                importance=min(5, 3 + (n % 3) + shift // 2),
                influence=min(5, 2 + (n % 4 == 0) * 2 + shift),
                comment="Viktig for Volda" if n % 5 == 0 else "",
            )
    for target in targets[:3]:
        actions.do_set_priority(workspace, admin, target, True)
    community = actions.do_create_goal(
        workspace,
        admin,
        actions.GoalInput(
            "samfunnsmaal", "Alle unge i Volda har ein stad å høyre til", "", "", "Oppvekst",
            targets[:2], None,
        ),
    )  # fmt: skip
    sub = actions.do_create_goal(
        workspace,
        admin,
        actions.GoalInput(
            "delmaal", "Færre unge utanfor arbeid og utdanning", "", "", "NAV", targets[:1],
            community,
        ),
    )  # fmt: skip
    actions.do_add_indicator(
        sub,
        admin,
        actions.IndicatorInput(
            "Unge utanfor arbeid og utdanning", "prosent", "lower", 8.3, 2020, 5.0, 2030,
            library_id="ungdom-utenfor-arbeid-utdanning",
        ),
    )  # fmt: skip
    actions.do_add_measure(
        sub,
        admin,
        actions.MeasureInput(
            "Ungdomslos i alle skular", "Oppvekst", datetime.date(2027, 6, 30), "started",
            "273, 242", "https://www.volda.kommune.no/okonomiplan",
        ),
    )  # fmt: skip
    decision = actions.Decision(datetime.date(2026, 11, 26), "26/118", "Kommunestyret")
    actions.do_change_status(workspace, admin, Status.ADOPTED, decision)
    actions.do_set_published(workspace, admin, True, analysis=True)
    return workspace


def _consultation(admin: User) -> tuple[Workspace, str]:
    organisation = admin.memberships.get().organisation
    workspace = actions.do_create_workspace(
        organisation, admin, "Temaplan for klima", "sektorplan", 2026, 2030
    )
    goal = actions.do_create_goal(
        workspace,
        admin,
        actions.GoalInput("samfunnsmaal", "Halvere utsleppa", "", "", "", [], None),
    )
    deadline = datetime.date.today() + datetime.timedelta(days=30)
    actions.do_change_status(
        workspace, admin, Status.CONSULTATION, actions.Decision(deadline=deadline)
    )
    invite = actions.do_invite_to_consultation(
        workspace, admin, "laget@example.no", "Volda idrettslag", "/horing/TOKEN/"
    )
    actions.do_comment(workspace, goal, "Ta med idretten.", "Volda idrettslag", invite=invite)
    return workspace, invite.token


def test_journey_pages_have_no_violations_at_desktop_and_phone_widths(
    browser, live_server, loaded_bundle
):
    organisation = make_organisation("1577")
    session = session_for("admin@volda.kommune.no")
    admin = User.objects.get(email="admin@volda.kommune.no")
    Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    colleague = make_user("kollega@volda.kommune.no")
    Membership.objects.create(user=colleague, organisation=organisation, role=Role.EDITOR)
    workspace = _rated_workspace(admin, colleague)
    on_consultation, token = _consultation(admin)
    sub = workspace.goals.get(kind="delmaal")
    w = workspace.pk
    member_pages = [
        f"/arbeidsrom/{w}/",
        f"/arbeidsrom/{w}/vurder/",
        f"/arbeidsrom/{w}/resultat/",
        f"/arbeidsrom/{w}/mal/",
        f"/arbeidsrom/{w}/mal/{sub.pk}/",
        f"/arbeidsrom/{w}/oppfolging/",
        f"/arbeidsrom/{w}/historikk/",
        f"/arbeidsrom/{on_consultation.pk}/",
        f"/arbeidsrom/{on_consultation.pk}/horing/",
        f"/arbeidsrom/{on_consultation.pk}/mal/",
        "/organisasjoner/mine/",
    ]
    public_pages = [
        "/kommuner/1577/lokale-mal/",
        f"/arbeidsrom/{w}/oppfolging/",
        f"/arbeidsrom/{w}/resultat/",
        f"/horing/{token}/",
        "/konto/signup/",
    ]
    newcomer = session_for("ny@bergen.kommune.no")
    ks = session_for("stab@ks.no", platform_admin=True)
    AccessRequest.objects.create(
        user=User.objects.get(email="ny@bergen.kommune.no"),
        region=Region.objects.get(code="4601"),
        reason="Klimarådgiver i Bergen.",
    )
    problems: list[str] = []
    csp: list[str] = []
    for width in WIDTHS:
        for who, pages in (
            (session, member_pages),
            (None, public_pages),
            (newcomer, ["/organisasjoner/bli-med/", "/organisasjoner/mine/"]),
            (ks, ["/organisasjoner/foresporsler/"]),
        ):
            check = PageCheck(browser, live_server.url, who)
            check.page.set_viewport_size({"width": width, "height": 900})
            problems += [f"{width}px {v}" for path in pages for v in check.violations(path)]
            csp += check.csp_errors()
            assert check.foreign_requests() == []
            check.context.close()
    assert problems == []
    assert csp == []
    # The target picker filters as you type (progressive enhancement of the checkbox list).
    check = PageCheck(browser, live_server.url, session)
    check.page.goto(f"/arbeidsrom/{on_consultation.pk}/mal/?lang=nn")
    check.page.fill("#target-filter", "11.6")
    assert check.page.is_visible("input[name=targets][value='11.6']")
    assert not check.page.is_visible("input[name=targets][value='1.1']")
    assert check.page.locator(".target-picker__item:visible").count() == 1
    check.context.close()


MATRIX_BOXES = """() => {
  const svg = document.querySelector('.matrix svg').getBoundingClientRect();
  const boxes = [...document.querySelectorAll('.matrix__label')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  });
  return {svg: {left: svg.left, top: svg.top, right: svg.right, bottom: svg.bottom}, boxes};
}"""


def test_the_matrix_labels_of_30_targets_neither_overlap_nor_leave_the_chart(
    browser, live_server, loaded_bundle
):
    organisation = make_organisation("1577")
    session = session_for("admin@volda.kommune.no")
    admin = User.objects.get(email="admin@volda.kommune.no")
    Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    colleague = make_user("kollega@volda.kommune.no")
    Membership.objects.create(user=colleague, organisation=organisation, role=Role.EDITOR)
    workspace = _rated_workspace(admin, colleague)
    check = PageCheck(browser, live_server.url, session)
    check.page.set_viewport_size({"width": 1280, "height": 1200})
    check.page.goto(f"/arbeidsrom/{workspace.pk}/resultat/")
    found = check.page.evaluate(MATRIX_BOXES)
    boxes, svg = found["boxes"], found["svg"]
    assert len(boxes) == 30
    overlapping = [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    ]
    assert overlapping == [], boxes
    outside = [
        b["text"]
        for b in boxes
        if b["left"] < svg["left"]
        or b["right"] > svg["right"]
        or b["top"] < svg["top"]
        or b["bottom"] > svg["bottom"]
    ]
    assert outside == []
    # On a phone the chart gives way to the ranked list with the same figures.
    check.page.set_viewport_size({"width": 390, "height": 900})
    assert not check.page.is_visible(".matrix svg")
    assert check.page.locator(".ranked-table tbody tr").count() == 30
    check.context.close()
