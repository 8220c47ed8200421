"""The SDG report pages and KS's national overview have zero axe-core violations, no CSP errors
and no requests to other hosts, in bokmål, nynorsk and English."""

import pytest

from tests.browser.support import PageCheck

pytestmark = pytest.mark.browser

PAGES = [
    "/kommuner/4601/rapport/",
    "/kommuner/1577/rapport/",
    "/fylker/46/rapport/?lang=en",
    "/oversikt/",
    "/oversikt/?fylke=46&storleik=small&delmal=11.6",
]


def test_report_and_overview_pages_have_no_accessibility_violations(
    browser, live_server, loaded_bundle
):
    check = PageCheck(browser, live_server.url)
    problems = [v for path in PAGES for v in check.violations(path)]
    check.page.set_viewport_size({"width": 390, "height": 844})  # a phone
    problems += [v for path in PAGES[1:4] for v in check.violations(path)]
    wide = check.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert problems == []
    assert not wide, "the overview scrolls sideways at 390 px"
    assert check.csp_errors() == []
    assert check.foreign_requests() == []
