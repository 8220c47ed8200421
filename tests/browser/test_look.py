"""Every page type at a phone's 390 px and a laptop's 1280 px: no sideways scrolling of the page
(wide tables scroll inside their own labelled box), zero axe-core violations on a phone,
Designsystemet's typeface loaded from the platform itself, and the menu folded on a phone with
log-in and sign-up still in view."""

import os

import pytest

from tests.browser.support import PageCheck

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    "/",
    "/mal/",
    "/mal/13/",
    "/delmal/",
    "/delmal/11.6/",
    "/kommuner/",
    "/kommuner/4601/",
    "/kommuner/4601/berekraft/",
    "/fylker/",
    "/fylker/46/",
    "/indikatorar/",
    "/indikatorar/valgdeltakelse-stortingsvalg/?kommune=4601",
    "/indikatorar/dekning/",
    "/samanlikn/?k=4601&k=1577&k=3907",
    "/kommuner/4601/likesinna/",
    "/organisasjoner/",
    "/erfaringar/",
    "/sok/?q=klima",
    "/sporsmal/",
    "/nettverk/",
    "/arrangement/",
    "/planar/metode/",
    "/api/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
]


def _sideways(check: PageCheck) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return int(
        check.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


# axe-core takes seconds a page: the suite checks every page type at 390 px in bokmål, the pages
# with the most text in nynorsk and English too; the wide layout is checked by the other browser
# tests. `.ci/run` sets LOKALMAAL_AXE_EVERYWHERE=1 for every page type × width × language.
AXE_IN_EVERY_LANGUAGE = {"/", "/kommuner/4601/berekraft/", "/delmal/11.6/", "/konto/signup/"}
AXE_EVERYWHERE = os.environ.get("LOKALMAAL_AXE_EVERYWHERE") == "1"
LANGUAGES = ("nb", "nn", "en")


@pytest.mark.parametrize(
    ("width", "languages"),
    [(390, LANGUAGES), (1280, LANGUAGES if AXE_EVERYWHERE else ("nb",))],
    ids=["phone", "laptop"],
)
def test_no_page_type_scrolls_sideways_and_axe_finds_nothing_on_a_phone(
    browser, live_server, loaded_bundle, width, languages
):
    check = PageCheck(browser, live_server.url)
    check.page.set_viewport_size({"width": width, "height": 900})
    problems: list[str] = []
    for language in languages:
        for path in PAGE_TYPES:
            url = f"{path}{'&' if '?' in path else '?'}lang={language}"
            if AXE_EVERYWHERE or (
                width == 390 and (language == "nb" or path in AXE_IN_EVERY_LANGUAGE)
            ):
                problems += check.violations(url)
            else:
                response = check.page.goto(url)
                assert response is not None
                assert response.status == 200, url
            overflow = _sideways(check)
            if overflow > 0:
                problems.append(f"{url} at {width} px: {overflow} px sideways")
    assert problems == []
    assert check.csp_errors() == []
    assert check.foreign_requests() == []


def test_the_body_text_is_in_designsystemets_typeface_from_the_platform(
    browser, live_server, loaded_bundle
):
    check = PageCheck(browser, live_server.url)
    check.page.goto("/kommuner/4601/berekraft/?lang=nn")
    check.page.evaluate("document.fonts.ready.then(() => true)")
    family = check.page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.split(",")[0].strip("\"' ") == "Inter"
    assert check.page.evaluate("document.fonts.check('16px Inter')")
    fonts = [u for u in check.requests if u.endswith(".woff2")]
    assert fonts
    assert all(u.startswith(f"{live_server.url}/static/vendor/inter/") for u in fonts)


def test_on_a_phone_the_menu_folds_and_log_in_stays_in_view(browser, live_server, loaded_bundle):
    check = PageCheck(browser, live_server.url)
    page = check.page
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/?lang=nn")
    toggle = page.locator("[data-menu-toggle]")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#site-menu").is_visible()
    assert page.get_by_role("link", name="Logg inn").first.is_visible()
    assert page.get_by_role("link", name="Registrer deg").first.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Samanlikn kommunar").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#site-menu").is_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not toggle.is_visible()
    assert page.locator("#site-menu").is_visible()
