"""A real browser for the tests in this folder: Debian's Chromium, driven by Playwright for Python."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import skip_or_fail
from tools.browser import CHROMIUM_PATH, DESKTOP, chromium_is_installed, launch_chromium

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    if not chromium_is_installed():
        skip_or_fail(f"No Chromium at {CHROMIUM_PATH}: install Debian's chromium or set CHROMIUM_PATH")
    # Playwright's sync API runs an event loop in this thread, which trips Django's async-safety check.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


class BrowsedPage:
    """A browser tab on the live server that records what went wrong while it loaded pages."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.problems = []
        page.on("response", self._check_response)
        page.on("console", self._check_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _check_response(self, response):
        if response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def _check_console(self, message):
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def open(self, path):
        self.page.goto(self.base_url + path, wait_until="networkidle")
        return self.page


def browse(browser, live_server, **context_options):
    context = browser.new_context(viewport=DESKTOP, **context_options)
    return context, BrowsedPage(context.new_page(), live_server.url)


@pytest.fixture
def tab(browser, live_server):
    context, browsed = browse(browser, live_server)
    yield browsed
    context.close()


@pytest.fixture
def tab_without_javascript(browser, live_server):
    context, browsed = browse(browser, live_server, java_script_enabled=False)
    yield browsed
    context.close()


def axe_violations(page):
    """Run axe-core in the page against WCAG 2.0, 2.1 and 2.2 A and AA; return its violations."""
    if not AXE_SCRIPT.exists():
        skip_or_fail(f"axe-core is not installed at {AXE_SCRIPT}: run `make install`")
    # Evaluated rather than added as a <script>, so a Content-Security-Policy cannot block it.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)", tags
    )


def describe_violations(violations):
    """Violations as a reader wants them on failure: rule, impact, help, and each offending element."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)
