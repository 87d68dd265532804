"""An editor, in the browser, promotes a centre and rewrites a section in one draft, previews the site
as it will be, checks what's changed and publishes it; the public sees nothing of it before then."""

import datetime

import pytest
from django.utils import timezone

from centres.models import long_date
from tests.helpers import PAGE_URL

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

NAME = "Youth Endowment Fund becomes a What Works Centre"
NEW_WORDS = "The Youth Endowment Fund joins the network's What Works Centres."
NOTE = "Youth Endowment Fund is now a What Works Centre."
LIVE_MEMBERS = "The network is made up of 9 independent What Works Centres and 3 affiliate members."
DRAFT_MEMBERS = "The network is made up of 10 independent What Works Centres and 2 affiliate members."


def words(text):
    return " ".join(text.split())


def change_notes(page):
    """The page's change notes, newest first, each as "date note"."""
    page.get_by_text("Show all updates").click()
    return [words(note) for note in page.locator("#full-history li").all_inner_texts()]


def open_centre(page, name):
    page.get_by_role("link", name="Centres", exact=True).click()
    page.get_by_role("link", name=name, exact=True).click()


def messages(page):
    return page.locator(".messagelist").inner_text()


def test_an_editor_changes_and_previews_a_draft_and_a_publisher_publishes_it(admin_tab, publisher_tab, public_tab):
    today = timezone.localdate()
    live = public_tab.open(PAGE_URL)
    assert LIVE_MEMBERS in live.locator("main").inner_text()
    notes_before = change_notes(live)

    # The introduction's new words, saved as a new draft from the section's own form.
    page = admin_tab.page
    page.get_by_role("link", name="Sections", exact=True).click()
    page.get_by_role("link", name="Introduction", exact=True).click()
    body = page.get_by_label("Body")
    body.fill(f"{NEW_WORDS}\n\n{body.input_value()}")
    page.get_by_label("What a new draft is for").fill(NAME)
    page.get_by_role("button", name="Save as draft").click()
    assert f"It is saved in the draft “{NAME}”" in messages(page)
    banner = page.get_by_role("region", name=f"You are working in the draft “{NAME}”")
    assert "The public sees none of it until the draft is published." in banner.inner_text()

    # The promotion, in the same draft: working in it, the centre's action asks no major-change question.
    open_centre(page, "Youth Endowment Fund")
    page.get_by_role("link", name="Change membership kind").click()
    page.get_by_role("radio", name="What Works Centre").check()
    page.get_by_role("button", name="Save to the draft").click()
    assert f"It is saved in the draft “{NAME}”" in messages(page)

    # The public page is as it was.
    live = public_tab.open(PAGE_URL)
    assert LIVE_MEMBERS in live.locator("main").inner_text()
    assert NEW_WORDS not in live.locator("main").inner_text()
    assert change_notes(live) == notes_before

    # The preview shows the whole site as the draft will make it, under its banner.
    banner.get_by_role("link", name="Preview the site").click()
    page.wait_for_url(f"**/preview/*{PAGE_URL}")
    preview_banner = page.get_by_role("region", name="Preview")
    assert f"This is a preview of the draft “{NAME}”: it is not published." in preview_banner.inner_text()
    main = page.locator("main").inner_text()
    assert DRAFT_MEMBERS in main
    assert NEW_WORDS in main
    page.get_by_role("link", name="Membership history of Youth Endowment Fund").click()
    page.wait_for_url("**/preview/*/centres/youth-endowment-fund")
    assert f"What Works Centre since {long_date(today)}" in page.locator("main").inner_text()

    # What's changed: record by record, field by field.
    page.get_by_role("link", name="Back to the draft").click()
    page.wait_for_url("**/admin/drafts/draft/*/change/")
    headings = sorted(words(heading) for heading in page.locator(".app-comparison h3").all_inner_texts())
    yesterday = today - datetime.timedelta(days=1)
    assert headings == [
        f"Added: membership Youth Endowment Fund: What Works Centre from {long_date(today)}",
        f"Changed: membership Youth Endowment Fund: Affiliate from 1 March 2020 to {long_date(yesterday)}",
        "Changed: section Introduction",
    ]
    section = page.locator(".app-comparison").filter(has_text="Changed: section Introduction")
    live_body, draft_body = section.locator("tbody tr td").all_inner_texts()
    assert draft_body.startswith(NEW_WORDS) and not live_body.startswith(NEW_WORDS)

    # The editor submits it for review; a publisher, who wrote none of it, publishes it, asked the
    # major-change question once for the whole draft.
    page.get_by_role("button", name="Submit for review").click()
    assert f"The draft “{NAME}” is waiting for review." in messages(page)
    review = publisher_tab.page
    review.reload()
    review.locator("#review-queue").get_by_role("link", name=NAME).click()
    review.get_by_role("link", name="Publish…", exact=True).click()
    review.wait_for_url("**/publish/")
    review.get_by_label("Yes – readers need to know").check()
    review.get_by_role("textbox", name="Change note").fill(NOTE)
    review.get_by_role("button", name="Publish the draft").click()
    review.wait_for_url("**/admin/drafts/draft/")
    assert f"The draft “{NAME}” was published: its changes are live." in messages(review)
    page.reload()
    assert page.locator(".app-draft-banner").count() == 0

    live = public_tab.open(PAGE_URL)
    main = live.locator("main").inner_text()
    assert DRAFT_MEMBERS in main
    assert NEW_WORDS in main
    assert change_notes(live) == [f"{long_date(today)} {NOTE}", *notes_before]
    assert admin_tab.problems == []
    assert publisher_tab.problems == []
    assert public_tab.problems == []


def test_an_editor_saves_and_submits_a_draft_and_a_publisher_publishes_it_with_the_keyboard(
    admin_tab, publisher_tab, public_tab
):
    page = admin_tab.page
    admin_tab.tab_to(page.get_by_role("link", name="Sections", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/network/section/")
    admin_tab.tab_to(page.get_by_role("link", name="Introduction", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url("**/change/")
    admin_tab.tab_to(page.get_by_label("Body"))
    page.keyboard.press("Control+Home")
    page.keyboard.type(f"{NEW_WORDS}\n\n")
    admin_tab.tab_to(page.get_by_label("What a new draft is for"))
    page.keyboard.type(NAME)
    admin_tab.tab_to(page.get_by_role("button", name="Save as draft"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/network/section/")
    assert f"It is saved in the draft “{NAME}”" in messages(page)

    # From the banner to the draft's page, to submit it for review.
    admin_tab.tab_to(page.get_by_role("link", name="What’s changed"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/drafts/draft/*/change/")
    admin_tab.tab_to(page.get_by_role("button", name="Submit for review"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/drafts/draft/*/change/")
    assert f"The draft “{NAME}” is waiting for review." in messages(page)

    # A publisher, from the front page's queue to publishing it.
    page, admin_tab = publisher_tab.page, publisher_tab
    page.reload()
    admin_tab.tab_to(page.locator("#review-queue").get_by_role("link", name=NAME))
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/drafts/draft/*/change/")
    admin_tab.tab_to(page.get_by_role("link", name="Publish…", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url("**/publish/")
    # Tab reaches the first option of the question; Space chooses it.
    admin_tab.tab_to(page.get_by_label("Yes – readers need to know"))
    page.keyboard.press("Space")
    admin_tab.tab_to(page.get_by_role("textbox", name="Change note"))
    page.keyboard.type(NOTE)
    admin_tab.tab_to(page.get_by_role("button", name="Publish the draft"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/drafts/draft/")
    assert f"The draft “{NAME}” was published" in messages(page)

    live = public_tab.open(PAGE_URL)
    assert NEW_WORDS in live.locator("main").inner_text()
    assert change_notes(live)[0] == f"{long_date(timezone.localdate())} {NOTE}"
    assert admin_tab.problems == []
