"""Printing the guidance page, its "Print this page" buttons, and the "Contents" link back to the contents list."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from centres.models import Centre, Membership
from drafts.models import Draft
from drafts.records import snapshot
from network.models import Page
from tests.browser.axe import axe_violations, describe_violations
from tests.helpers import PAGE_URL
from updates.models import PageUpdate

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

# What the page's surroundings say: none of it is printed. The last two are the related links and
# the feedback form at the end of the page, which are marked to be left out of print.
NOT_PRINTED = [
    "Skip to main content",
    "All content is available under the Open Government Licence",
    "Print this page",
    "Related content",
    "Is this page useful?",
]
HISTORY_URL = f"{PAGE_URL}/history"
# Instead of window.print(), which would open the print dialog: counts the calls.
COUNT_PRINTS = "window.prints = 0; window.print = () => { window.prints += 1; };"


def squeezed(text):
    """Text without its white space: a PDF's lines break anywhere, also after a hyphen in "10-year"."""
    return "".join(text.split())


def printed_text(page):
    """What the page prints, from the PDF that the browser makes of it."""
    reader = PdfReader(io.BytesIO(page.pdf()))
    return squeezed(" ".join(pdf_page.extract_text() for pdf_page in reader.pages))


def test_printing_gives_the_content_without_header_footer_or_controls(tab):
    text = printed_text(tab.open(PAGE_URL))
    page = Page.objects.get()
    for wanted in (page.title, page.summary, "Updates to this page"):
        assert squeezed(wanted) in text
    centres = [membership.centre.name for membership in Membership.objects.current().with_centres()]
    assert len(centres) == 12
    assert [name for name in centres if squeezed(name) not in text] == []
    # Every update, though "Show all updates" is closed on the screen.
    notes = list(PageUpdate.objects.published().values_list("note", flat=True))
    assert len(notes) == 19
    assert [note for note in notes if squeezed(note) not in text] == []
    assert [words for words in NOT_PRINTED if squeezed(words) in text] == []
    # Nor the contents list, nor the "Contents" link back to it.
    assert "Contents" not in text


def test_printing_the_history_page_gives_its_content_alone(tab):
    text = printed_text(tab.open(HISTORY_URL))
    for wanted in ("The What Works Network over time", "Members each year", "Joins, changes and departures"):
        assert squeezed(wanted) in text
    assert [words for words in NOT_PRINTED if squeezed(words) in text] == []


def test_printing_a_draft_s_preview_leaves_out_the_preview_banner(admin_tab, django_user_model):
    editor = django_user_model.objects.get(username="editor")
    draft = Draft.objects.create(name="Youth Futures Foundation's new words", created_by=editor)
    centre = Centre.objects.get(slug="youth-futures-foundation")
    draft.keep(Centre, centre.pk, {**snapshot(centre), "text_after_link": "(in a draft)"}, editor)
    page = admin_tab.open(f"/preview/{draft.pk}{PAGE_URL}")
    assert page.get_by_role("region", name="Preview").is_visible()
    text = printed_text(page)
    assert squeezed("(in a draft)") in text
    assert squeezed("This is a preview") not in text
    assert "Preview" not in text


# The guidance page has one near the top and one at the end of the content; its history page one.
@pytest.mark.parametrize(("url", "count"), [(PAGE_URL, 2), (HISTORY_URL, 1)])
def test_print_buttons_print_the_page_from_the_keyboard_and_the_mouse(tab, url, count):
    tab.page.add_init_script(COUNT_PRINTS)
    page = tab.open(url)
    buttons = page.get_by_role("button", name="Print this page")
    assert buttons.count() == count
    presses = 0
    for button in buttons.all():
        tab.tab_to(button)
        for key in ("Enter", "Space"):
            page.keyboard.press(key)
            presses += 1
            assert page.evaluate("window.prints") == presses, key
    for clicks, button in enumerate(buttons.all(), start=1):
        button.click()
        assert page.evaluate("window.prints") == presses + clicks
    assert tab.problems == []


def test_without_javascript_there_is_no_print_button(tab_without_javascript):
    page = tab_without_javascript.open(PAGE_URL)
    assert page.locator(".gem-c-print-link").count() == 2
    assert page.get_by_role("button", name="Print this page").count() == 0
    assert not page.get_by_text("Print this page").first.is_visible()


def test_contents_link_appears_once_the_contents_list_is_out_of_view_and_leads_back_to_it(tab):
    page = tab.open(PAGE_URL)
    contents_list = page.get_by_role("navigation", name="Contents")
    link = page.locator(".gem-c-back-to-top-link")
    expect(contents_list).to_be_in_viewport()
    expect(link).to_be_hidden()
    page.mouse.wheel(0, 1500)
    expect(contents_list).not_to_be_in_viewport()
    expect(link).to_be_visible()
    # It waits at the foot of the window, over the sections.
    box = link.locator("xpath=..").bounding_box()
    assert round(box["y"] + box["height"]) == page.viewport_size["height"]
    link.click()
    expect(page).to_have_url(re.compile(r"#contents$"))
    expect(contents_list).to_be_in_viewport()
    expect(link).to_be_hidden()


def test_contents_link_is_reached_and_followed_with_the_keyboard(tab):
    page = tab.open(PAGE_URL)
    link = page.locator(".gem-c-back-to-top-link")
    # Tabbing through the sections scrolls the list out of view, and the link comes after them.
    tab.tab_to(link)
    expect(link).to_be_visible()
    assert link.evaluate("a => getComputedStyle(a).backgroundColor") == "rgb(255, 221, 0)"  # GOV.UK's focus yellow
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#contents$"))
    expect(page.get_by_role("navigation", name="Contents")).to_be_in_viewport()


def test_contents_link_never_hides_what_the_keyboard_focuses(tab):
    page = tab.open(PAGE_URL)
    link = page.locator(".gem-c-back-to-top-link")
    hidden = []
    # Tab from the top of the page to the link, as a keyboard user does.
    for _ in range(100):
        page.keyboard.press("Tab")
        # The focused element, if it lies wholly behind the link waiting at the foot of the window.
        behind = page.evaluate(
            """() => {
                const bar = document.querySelector(".gem-c-contents-list-with-body__link-wrapper");
                const focused = document.activeElement, box = focused.getBoundingClientRect();
                const shown = getComputedStyle(bar).visibility === "visible" && !bar.contains(focused);
                return shown && box.top >= bar.getBoundingClientRect().top ? focused.textContent.trim() : null;
            }"""
        )
        if behind:
            hidden.append(behind)
        if link.evaluate("a => a === document.activeElement"):
            break
    else:
        raise AssertionError("100 presses of Tab never reached the Contents link")
    assert hidden == []


def test_without_javascript_the_contents_link_is_a_plain_link_after_the_sections(tab_without_javascript):
    page = tab_without_javascript.open(PAGE_URL)
    link = page.get_by_role("link", name="Contents", exact=True)
    expect(link).to_be_visible()
    assert link.evaluate("a => getComputedStyle(a.parentElement).position") == "static"
    link.click()
    expect(page).to_have_url(re.compile(r"#contents$"))
    expect(page.get_by_role("navigation", name="Contents")).to_be_in_viewport()


def test_axe_finds_no_violations_with_the_contents_link_shown_and_hidden(tab):
    page = tab.open(PAGE_URL)
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    page.mouse.wheel(0, 1500)
    expect(page.get_by_role("link", name="Contents", exact=True)).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
