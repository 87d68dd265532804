"""A real browser for the tests in this folder: Debian's Chromium, driven by Playwright for Python."""

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.helpers import load_demo, skip_or_fail
from tools.browser import CHROMIUM_PATH, DESKTOP, chromium_is_installed, launch_chromium


@pytest.fixture
def demo(transactional_db):
    """The demo content, for each test: the live server's tests commit, and the database is emptied after each."""
    load_demo()


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
        # While Playwright's event loop runs, Django keeps this thread's database connections apart
        # from those it had before (asgiref's Local); closed here, or the test database could not
        # be dropped at the end for a session still connected to it.
        connections.close_all()


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

    def tab_to(self, locator, limit=100):
        """Press Tab, as a keyboard user does, until `locator` has the focus; fail if it never gets it."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if locator.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"{limit} presses of Tab never reached {locator}")


def browse(browser, live_server, **context_options):
    context = browser.new_context(viewport=DESKTOP, **context_options)
    return context, BrowsedPage(context.new_page(), live_server.url)


@pytest.fixture
def tab(browser, live_server):
    context, browsed = browse(browser, live_server)
    yield browsed
    context.close()


@pytest.fixture
def public_tab(browser, live_server):
    """A tab in a browser of its own that never logs in, beside `tab`: what the public sees meanwhile."""
    context, browsed = browse(browser, live_server)
    yield browsed
    context.close()


@pytest.fixture
def tab_without_javascript(browser, live_server):
    context, browsed = browse(browser, live_server, java_script_enabled=False)
    yield browsed
    context.close()


def sign_in(tab, user_model, username):
    """Sign `tab` in to the admin as a new superuser, through the login form; it ends on the admin's index page."""
    user_model.objects.create_superuser(username, f"{username}@example.com", "a long passphrase")
    page = tab.open("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a long passphrase")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return tab


@pytest.fixture
def admin_tab(tab, django_user_model):
    """A tab signed in to the admin as a superuser, "editor", on the admin's index page."""
    return sign_in(tab, django_user_model, "editor")


@pytest.fixture
def publisher_tab(browser, live_server, django_user_model):
    """A second member of staff, "publisher", signed in in a browser of their own: a draft's reviewer."""
    context, browsed = browse(browser, live_server)
    yield sign_in(browsed, django_user_model, "publisher")
    context.close()
