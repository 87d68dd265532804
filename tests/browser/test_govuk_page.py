"""The public pages in a real browser: GOV.UK Frontend's styles, fonts and scripts, and the show/hide history."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import HELP_PAGES, PAGE_URL, PUBLIC_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def is_visible(page, selector):
    return page.locator(selector).first.is_visible()


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_page_loads_every_resource_without_errors(tab, url):
    tab.open(url)
    assert tab.problems == []


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_page_is_styled_by_govuk_frontend_in_its_font(tab, url):
    page = tab.open(url)
    heading = page.locator("h1").evaluate(
        "h => ({font: getComputedStyle(h).fontFamily, size: getComputedStyle(h).fontSize})"
    )
    assert heading == {"font": '"GDS Transport", arial, sans-serif', "size": "48px"}
    # Both weights the page uses were fetched and loaded ("error" if a font file was missing).
    loaded = page.evaluate(
        """() => document.fonts.ready.then(fonts => [...fonts]
            .filter(face => face.family === "GDS Transport" && face.status === "loaded")
            .map(face => face.weight).sort())"""
    )
    assert loaded == ["bold", "normal"]
    header = page.locator(".govuk-template__header .govuk-generic-header")
    assert header.evaluate("h => getComputedStyle(h).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert tab.problems == []


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_govuk_frontend_scripts_run(tab, url):
    page = tab.open(url)
    classes = page.locator("body").get_attribute("class").split()
    assert {"govuk-template__body", "js-enabled", "govuk-frontend-supported"} <= set(classes)
    # initAll() marks each component it starts.
    assert page.locator(".govuk-skip-link").get_attribute("data-govuk-skip-link-init") is not None


def test_history_opens_and_closes(tab):
    page = tab.open(PAGE_URL)
    assert not is_visible(page, "#full-history li")
    summary = page.get_by_text("Show all updates")
    summary.click()
    assert is_visible(page, "#full-history li")
    assert page.locator("#full-history li").count() == 19
    summary.click()
    assert not is_visible(page, "#full-history li")


def test_see_all_updates_opens_the_history(tab):
    page = tab.open(PAGE_URL)
    page.get_by_role("link", name="See all updates").click()
    expect(page).to_have_url(re.compile(r"#full-history$"))
    assert is_visible(page, "#full-history li")
    assert page.locator("#full-history").evaluate("e => e.getBoundingClientRect().top < innerHeight")


def test_see_all_updates_opens_the_history_without_javascript(tab_without_javascript):
    page = tab_without_javascript.open(PAGE_URL)
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
    assert not is_visible(page, "#full-history li")
    page.get_by_role("link", name="See all updates").click()
    assert is_visible(page, "#full-history li")


@pytest.mark.parametrize("javascript", [True, False])
def test_arriving_at_the_history_address_shows_it(browser, live_server, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}{PAGE_URL}#full-history", wait_until="networkidle")
    assert is_visible(page, "#full-history li")
    context.close()


def test_history_can_be_shown_without_javascript(tab_without_javascript):
    page = tab_without_javascript.open(PAGE_URL)
    page.get_by_text("Show all updates").click()
    assert is_visible(page, "#full-history li")


def test_the_footer_leads_to_each_help_page_and_its_contents_to_each_heading(tab):
    for url, title in HELP_PAGES:
        page = tab.open(PAGE_URL)
        page.locator("footer").get_by_role("link", name=title, exact=True).click()
        page.wait_for_url(f"**{url}")
        assert page.locator("h1").inner_text() == title
    page = tab.open(HELP_PAGES[0][0])
    page.get_by_role("navigation", name="Contents").get_by_role("link", name="Enforcement procedure").click()
    expect(page).to_have_url(re.compile(r"#enforcement-procedure$"))
    heading = page.get_by_role("heading", name="Enforcement procedure", level=2)
    assert heading.evaluate("h => h.getBoundingClientRect().top < innerHeight")
    assert tab.problems == []
