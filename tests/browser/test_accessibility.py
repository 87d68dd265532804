"""WCAG 2.2 AA in the browser: axe-core, the keyboard, focus, narrow screens and print."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from centres.models import Centre
from drafts.models import Draft, FactCheckLink
from drafts.records import snapshot
from network.models import Page
from tests.browser.axe import axe_violations, describe_violations
from tests.helpers import PAGE_URL, PUBLIC_PAGES
from tools.browser import MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

# What a keyboard user can reach with Tab, in the order of the document.
FOCUSABLE = (
    'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), '
    'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])'
)


def open_all_details(page):
    page.evaluate("() => document.querySelectorAll('details').forEach(details => { details.open = true; })")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_axe_finds_no_violations(tab, url):
    page = tab.open(url)
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    # Again with the show/hide sections open, so their content is checked too.
    open_all_details(page)
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_axe_finds_no_violations_on_a_fact_check_page_and_a_link_that_no_longer_works(tab, django_user_model):
    sender = django_user_model.objects.create_user("sam", first_name="Sam", last_name="Okafor", is_staff=True)
    draft = Draft.objects.create(name="TASO's new website", created_by=sender)
    link = FactCheckLink.objects.create(
        draft=draft,
        shared_with="Dr Ada Lovelace, TASO",
        created_by=sender,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    found = {}
    for url in (link.get_absolute_url() + PAGE_URL[1:], f"/fact-check/{link.pk}:forged/"):
        violations = axe_violations(tab.open(url))
        if violations:
            found[url] = describe_violations(violations)
    assert found == {}, found


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_axe_finds_no_violations_on_a_phone(browser, live_server, url):
    context = browser.new_context(viewport=MOBILE)
    page = context.new_page()
    page.goto(live_server.url + url, wait_until="networkidle")
    violations = axe_violations(page)
    context.close()
    assert violations == [], describe_violations(violations)


def test_axe_finds_no_violations_on_a_withdrawn_page(tab, browser, live_server):
    Page.objects.update(
        withdrawn_on=datetime.date(2026, 11, 28),
        withdrawal_explanation="This guidance is out of date. Read [the new guidance](https://www.gov.uk/) instead.",
    )
    page = tab.open(PAGE_URL)
    assert page.get_by_role("region", name="Notice").is_visible()
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    context = browser.new_context(viewport=MOBILE)
    phone = context.new_page()
    phone.goto(live_server.url + PAGE_URL, wait_until="networkidle")
    violations = axe_violations(phone)
    context.close()
    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_axe_finds_no_violations_on_a_draft_s_preview(admin_tab, django_user_model, url):
    editor = django_user_model.objects.get(username="editor")
    draft = Draft.objects.create(name="Youth Futures Foundation's new words", created_by=editor)
    centre = Centre.objects.get(slug="youth-futures-foundation")
    draft.keep(Centre, centre.pk, {**snapshot(centre), "text_after_link": "(in a draft)"}, editor)
    page = admin_tab.open(f"/preview/{draft.pk}{url}")
    assert page.locator(".govuk-notification-banner").is_visible()
    open_all_details(page)
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_tab_reaches_every_link_and_control_in_order_with_visible_focus(tab, url):
    page = tab.open(url)
    open_all_details(page)
    # From the end of the page, where the guidance page's "Contents" link shows (once its contents list is out of view).
    page.keyboard.press("End")
    for contents_link in page.locator(".gem-c-back-to-top-link").all():
        expect(contents_link).to_be_visible()
    # Number the reachable elements and note how each looks before it has focus.
    expected = page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(element => element.checkVisibility())
            .map((element, index) => {
                element.dataset.tabOrder = index;
                const style = getComputedStyle(element);
                element.dataset.unfocusedLook = [style.outlineStyle, style.outlineColor, style.boxShadow,
                    style.backgroundColor, style.color, style.textDecorationLine].join("|");
                return element.textContent.trim().replace(/\\s+/g, " ");
            })""",
        FOCUSABLE,
    )
    # Every link on the page is among them, every show/hide control, every button (to print the page, to
    # answer "Is this page useful?") and the feedback's text fields.
    assert len(expected) == page.locator("a[href], summary, button, textarea").count()
    reached, unchanged = [], []
    for _ in expected:
        page.keyboard.press("Tab")
        # Let the page catch up with where the focus scrolled it, as it does for a person between key
        # presses: the "Contents" link shows or hides on the frame after its list leaves or enters view.
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        focused = page.evaluate(
            """() => {
                const element = document.activeElement;
                const style = getComputedStyle(element);
                const look = [style.outlineStyle, style.outlineColor, style.boxShadow,
                    style.backgroundColor, style.color, style.textDecorationLine].join("|");
                return {order: Number(element.dataset.tabOrder), changed: look !== element.dataset.unfocusedLook,
                        text: element.textContent.trim().replace(/\\s+/g, " ")};
            }"""
        )
        reached.append(focused["text"])
        if not focused["changed"]:
            unchanged.append(focused["text"])
    assert reached == expected
    assert unchanged == [], "focus is not visible on these"
    assert expected[0] == "Skip to main content"


def test_skip_link_moves_focus_to_the_main_content(tab):
    page = tab.open(PAGE_URL)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to main content"
    assert page.locator(".govuk-skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"


def test_history_opens_and_closes_from_the_keyboard(tab):
    page = tab.open(PAGE_URL)
    page.locator("details:has(#full-history) > summary").focus()
    page.keyboard.press("Enter")
    assert page.locator("#full-history li").first.is_visible()
    page.keyboard.press("Space")
    assert not page.locator("#full-history li").first.is_visible()


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_no_page_wide_horizontal_scrolling_at_320_pixels(browser, live_server, url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + url, wait_until="networkidle")
    open_all_details(page)
    widths = page.evaluate(
        """() => ({page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
                  tables: [...document.querySelectorAll("table")].map(table => table.parentElement.scrollWidth
                      <= table.parentElement.clientWidth || getComputedStyle(table.parentElement).overflowX)})"""
    )
    context.close()
    assert widths["page"] <= widths["viewport"] == 320
    # A table wider than the screen scrolls inside its own container, as on GOV.UK.
    assert all(fits is True or fits == "auto" for fits in widths["tables"]), widths["tables"]


def test_printing_gives_the_content_with_link_targets(tab):
    page = tab.open(PAGE_URL)
    page.emulate_media(media="print")
    for chrome in (
        ".govuk-template__header",
        ".govuk-template__footer",
        ".govuk-skip-link",
        "summary",
        "nav",
        ".app-feedback",
    ):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator("h1").is_visible()
    assert page.locator("table").is_visible()
    # The whole history is printed though its show/hide control is closed on screen.
    assert page.locator("details:has(#full-history)").evaluate("details => details.open") is False
    assert page.locator("#full-history li").last.is_visible()
    link = page.get_by_role("link", name="Evaluation Task Force").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == '" (https://www.gov.uk/government/organisations/evaluation-task-force)"'
