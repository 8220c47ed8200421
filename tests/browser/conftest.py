"""The browser every test in this folder shares: one Chromium for the whole session (starting it
took a second or two of CPU per test module)."""

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.support import CHROMIUM, require_browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread until the session ends; the ORM calls
    # in these tests happen between page loads, never at the same time as the live server's work.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
