"""Plan analysis pages in headless Chromium: zero axe-core violations, no CSP errors and no
requests to other hosts, for members (upload form, list, results, gaps, comparison) and for
everyone (a published analysis, the municipality's list, the method page)."""

import pytest

from conftest import make_organisation
from lokalmaal.accounts.models import Membership, Role, User
from lokalmaal.catalogue.models import Target
from lokalmaal.localgoals.models import Priority, Workspace
from lokalmaal.plans import tasks
from lokalmaal.plans.actions import PlanInput, do_upload_plan
from lokalmaal.plans.tests.test_analysis import PLAN_TEXT, LexicalClassifier
from tests.browser.support import PageCheck, session_for

pytestmark = pytest.mark.browser


@pytest.fixture
def plans(loaded_bundle, tmp_path, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(tasks, "get_classifier", LexicalClassifier)  # quick; same pages
    organisation = make_organisation("4601")
    session = session_for("admin@bergen.kommune.no")
    admin = User.objects.get(email="admin@bergen.kommune.no")
    Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    old = do_upload_plan(
        organisation, admin, PlanInput("Samfunnsdelen 2019", "samfunnsdel", 2019),
        text="Kommunen skal redusere klimagassutslippene.\n\nVi vil ta vare på myr og matjord.",
    )  # fmt: skip
    new = do_upload_plan(
        organisation, admin, PlanInput("Samfunnsdelen 2024", "samfunnsdel", 2024), text=PLAN_TEXT
    )
    new.refresh_from_db()
    assert new.status == "done"
    # The pages' other states: the older analysis ran out of time for its similarity step (a
    # warning and a mark on each passage), the newer one explains a goal by its closest target.
    old.passages.update(embedded=False)
    closest = {
        "target": "13.2",
        "kind": "title_nb",
        "description": "Klima i planar",
        "similarity": 0.9,
    }
    climate = next(p for p in new.passages.all() if 13 in p.goals)
    climate.closest = [closest]
    climate.save()
    new.published = True
    new.save()
    workspace = Workspace.objects.create(
        organisation=organisation, title="Arbeidsrom", plan_type="samfunnsdel"
    )
    Priority.objects.create(workspace=workspace, target=Target.objects.get(code="3.4"))
    return organisation, session, old, new


def test_plan_pages_for_members_have_no_accessibility_violations(browser, live_server, plans):
    organisation, session, old, new = plans
    check = PageCheck(browser, live_server.url, session)
    pages = [
        f"/organisasjoner/{organisation.slug}/planar/",
        f"/organisasjoner/{organisation.slug}/planar/?lang=nn",
        f"/planar/{new.pk}/",
        f"/planar/{new.pk}/?mal=13&lang=en",
        f"/planar/{new.pk}/gap/",
        f"/planar/{new.pk}/samanlikn/",
        f"/planar/{new.pk}/samanlikn/?med={old.pk}",
        f"/planar/{old.pk}/?lang=nn",
    ]
    problems = [v for path in pages for v in check.violations(path)]
    assert problems == []
    assert check.csp_errors() == []
    assert check.foreign_requests() == []


def test_public_plan_pages_have_no_accessibility_violations(browser, live_server, plans):
    organisation, _session, _old, new = plans
    check = PageCheck(browser, live_server.url)
    pages = [
        "/planar/metode/",
        "/planar/metode/?lang=nn",
        "/planar/metode/?lang=en",
        "/kommuner/4601/planar/",
        f"/planar/{new.pk}/",
        f"/planar/{new.pk}/gap/?lang=en",
        f"/organisasjoner/{organisation.slug}/planar/",
    ]
    problems = [v for path in pages for v in check.violations(path)]
    assert problems == []
    assert check.csp_errors() == []
    assert check.foreign_requests() == []


def test_the_upload_form_works_with_pasted_text_in_the_browser(browser, live_server, plans):
    organisation, session, _old, _new = plans
    check = PageCheck(browser, live_server.url, session)
    page = check.page
    page.goto(f"/organisasjoner/{organisation.slug}/planar/?lang=en")
    page.fill("#id_title", "Limt inn")
    page.select_option("#id_plan_type", "planstrategi")
    page.fill("#id_text", PLAN_TEXT)
    page.click("button:has-text('Upload and analyse')")
    page.wait_for_load_state()
    assert "/planar/" in page.url
    assert page.locator("h1").inner_text() == "Limt inn"
    assert check.violations(page.url.removeprefix(live_server.url)) == []
