"""What every browser test uses: Debian's Chromium through Playwright, axe-core from npm, and a
page check that records accessibility violations, CSP errors and requests to other hosts.

Tests of a page type import `PageCheck` and `session_for` from here and take the `browser`
fixture from tests/browser/conftest.py.
"""

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from conftest import make_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def require_browser() -> None:
    if not Path(CHROMIUM).exists() or not AXE.exists():
        message = f"needs {CHROMIUM} (Debian's chromium) and {AXE} (npm ci)"
        if os.environ.get("LOKALMAAL_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


class PageCheck:
    """Opens pages in one browser context and records what the page did besides rendering."""

    def __init__(self, browser: Any, base_url: str, session: str | None = None) -> None:
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url)
        if session:
            self.context.add_cookies([{"name": "sessionid", "value": session, "url": base_url}])
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.console: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.console.append(message.text))

    def violations(self, path: str) -> list[str]:
        response = self.page.goto(path)
        assert response is not None, path
        assert response.status == 200, path
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        return [
            f"{path}: {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in result["violations"]
        ]

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith((self.base_url, "data:"))]

    def csp_errors(self) -> list[str]:
        return [line for line in self.console if "Content Security Policy" in line]


def session_for(email: str, platform_admin: bool = False) -> str:
    user = make_user(email)
    if platform_admin:
        user.is_platform_admin = True
        user.save()
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value
