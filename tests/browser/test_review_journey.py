"""A second pair of eyes, in the browser: an editor drafts a change and submits it; a publisher sends
it back; the editor fixes it and submits it again; the publisher schedules it; time passes, and the
page shows the change with its note. axe checks each new screen on the way."""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from centres.models import Centre
from tests.browser.axe import ScreenChecks
from tests.helpers import PAGE_URL

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

UK = ZoneInfo("Europe/London")
NAME = "TASO's new address"
TYPO = "https://taso.exmaple"
FIXED = "https://taso.example"
NOTE = "TASO's website has moved."


def words(text):
    return " ".join(text.split())


def messages(page):
    return page.locator(".messagelist").inner_text()


@pytest.fixture
def noon(time_machine):
    """Noon on 15 January 2030, UK time, before anyone signs in; the clock runs on from there."""
    time_machine.move_to(datetime.datetime(2030, 1, 15, 12, 0, tzinfo=UK))
    return time_machine


def test_a_draft_is_sent_back_fixed_scheduled_and_goes_live_by_itself(noon, admin_tab, publisher_tab, public_tab):
    screens = ScreenChecks()

    # The editor drafts the change, with a typo in it, and submits it.
    taso = Centre.objects.get(slug="taso")
    page = admin_tab.open(f"/admin/centres/centre/{taso.pk}/change/")
    page.get_by_label("Website").fill(TYPO)
    page.get_by_label("What a new draft is for").fill(NAME)
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("link", name="What’s changed").click()
    page.get_by_role("button", name="Submit for review").click()
    assert f"The draft “{NAME}” is waiting for review." in messages(page)
    draft_page = urlsplit(page.url).path

    # The publisher finds it on the front page and sends it back, saying why.
    review = publisher_tab.open("/admin/")
    screens.check("the front page with a draft waiting for review", publisher_tab)
    review.locator("#review-queue").get_by_role("link", name=NAME).click()
    review.get_by_role("link", name="Send back…").click()
    review.get_by_role("button", name="Send back to the author").click()
    review.locator(".govuk-error-summary").wait_for()
    screens.check("sending back, with its error summary", publisher_tab)
    review.get_by_role("textbox", name="What needs to change").fill("The address has a typo: exmaple.")
    review.get_by_role("button", name="Send back to the author").click()
    assert "was sent back to its author" in messages(review)

    # The editor reads the comment, fixes the address in the draft and submits it again.
    page = admin_tab.open(draft_page)
    sent_back = page.get_by_role("region", name="Sent back by publisher")
    assert "The address has a typo: exmaple." in sent_back.inner_text()
    screens.check("a draft sent back, with the reviewer's comment", admin_tab)
    page = admin_tab.open(f"/admin/centres/centre/{taso.pk}/change/")
    page.get_by_label("Website").fill(FIXED)
    page.get_by_role("button", name="Save", exact=True).click()
    assert f"It is saved in the draft “{NAME}”" in messages(page)
    page = admin_tab.open(draft_page)
    page.get_by_role("button", name="Submit for review").click()

    # The publisher schedules it for half past twelve, with its change note.
    review = publisher_tab.open(draft_page)
    review.get_by_role("link", name="Schedule…").click()
    screens.check("scheduling", publisher_tab)
    review.get_by_label("Day").fill("15/01/2030")
    review.get_by_label("Time (UK)").fill("12:30pm")
    review.get_by_label("Yes – readers need to know").check()
    review.get_by_role("textbox", name="Change note").fill(NOTE)
    review.get_by_role("button", name="Schedule the draft").click()
    assert "is scheduled to go live at 12:30pm on 15 January 2030 (UK time, GMT)" in messages(review)
    screens.check("a scheduled draft", publisher_tab)

    # Until then the public page is as it was; at 12:30 the first reader sees the change, no one
    # having touched anything.
    live = public_tab.open("/centres/taso")
    assert FIXED not in live.content()
    noon.move_to(datetime.datetime(2030, 1, 15, 12, 30, 5, tzinfo=UK))
    live = public_tab.open("/centres/taso")
    assert FIXED in live.content()
    live = public_tab.open(PAGE_URL)
    live.get_by_text("Show all updates").click()
    assert words(live.locator("#full-history li").first.inner_text()) == f"15 January 2030 {NOTE}"

    history = words(publisher_tab.open(draft_page).locator("#draft-history + table").inner_text())
    assert "Sent back" in history and "The address has a typo: exmaple." in history
    assert "Published at its scheduled time" in history
    screens.assert_none_found()
    assert admin_tab.problems == [] and publisher_tab.problems == [] and public_tab.problems == []
