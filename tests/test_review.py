"""A second pair of eyes: a draft is submitted for review, and a publisher who wrote none of it
publishes it or sends it back; an urgent one is force published and reviewed afterwards."""

import pytest

from centres.models import Centre
from drafts.models import Draft, DraftEvent
from network.roles import EDITOR, PUBLISHER
from tests.helpers import (
    admin_messages,
    change_url,
    draft_url,
    parse,
    preview_url,
    save_as_draft,
    save_in_working_draft,
    signed_in,
    staff_member,
    text_of,
)

WEBSITE = "https://taso.example"
NOTE = {"major_change": "yes", "change_note": "TASO has a new website."}


@pytest.fixture
def author(demo):
    """An editor who has saved a change to TASO's website as a draft."""
    client = signed_in(staff_member("erin", EDITOR))
    save_as_draft(client, change_url(Centre.objects.get(slug="taso")), draft_name="TASO's new website", website=WEBSITE)
    return client


def draft():
    return Draft.objects.get()


def website():
    return Centre.objects.get(slug="taso").website


def test_a_submitted_draft_waits_for_review_on_the_front_page(author, publisher):
    assert author.post(draft_url(draft(), "submit")).status_code == 302
    assert draft().status == Draft.Status.SUBMITTED
    queue = parse(publisher.get("/admin/")).select_one("#review-queue")
    assert "Drafts waiting for review" in text_of(queue)
    assert "TASO's new website, by erin" in text_of(queue)


def test_the_reviewer_previews_a_submitted_draft(author, publisher):
    author.post(draft_url(draft(), "submit"))
    preview = publisher.get(preview_url(draft(), "/centres/taso"))
    assert preview.status_code == 200
    assert parse(preview).select_one(f'main a[href="{WEBSITE}"]')


def test_a_submitted_draft_cannot_change_until_the_submission_is_withdrawn(author):
    author.post(draft_url(draft(), "submit"))
    url = change_url(Centre.objects.get(slug="taso"))
    response = author.post(url, {"website": "https://elsewhere.example"})
    assert any("waiting for review" in message for message in admin_messages(author.get(response["Location"])))
    assert draft().changes.get().state["website"] == WEBSITE
    author.post(draft_url(draft(), "withdraw"))
    assert draft().is_open
    save_in_working_draft(author, url, website="https://elsewhere.example")
    assert draft().changes.get().state["website"] == "https://elsewhere.example"


def test_only_its_authors_withdraw_a_submission(author, publisher):
    author.post(draft_url(draft(), "submit"))
    assert publisher.post(draft_url(draft(), "withdraw")).status_code == 403
    assert draft().is_waiting_for_review


def test_a_publisher_who_wrote_none_of_it_publishes_it(author, publisher, client):
    author.post(draft_url(draft(), "submit"))
    assert publisher.post(draft_url(draft(), "publish"), NOTE).status_code == 302
    assert website() == WEBSITE
    published = draft()
    assert (published.status, published.reviewed_by.username, published.force_publish_reason) == (
        "published",
        "pat",
        "",
    )


def test_an_editor_cannot_publish_even_by_posting_the_form(author):
    author.post(draft_url(draft(), "submit"))
    for step in ("publish", "force-publish", "send-back"):
        assert author.post(draft_url(draft(), step), {**NOTE, "reason": "Now", "comment": "x"}).status_code == 403, step
    assert website() != WEBSITE
    page = text_of(parse(author.get(draft_url(draft()))).select_one("#content-main"))
    assert "Publish…" not in page and "Force publish…" not in page


def test_a_publisher_cannot_review_their_own_changes(publisher):
    save_as_draft(publisher, change_url(Centre.objects.get(slug="taso")), website=WEBSITE)
    publisher.post(draft_url(draft(), "submit"))
    assert publisher.post(draft_url(draft(), "publish"), NOTE).status_code == 403
    assert publisher.post(draft_url(draft(), "send-back"), {"comment": "Mine"}).status_code == 403
    assert website() != WEBSITE


def test_a_publisher_who_changed_part_of_it_cannot_review_it(author, publisher):
    publisher.post(draft_url(draft(), "work"))
    save_in_working_draft(publisher, change_url(Centre.objects.get(slug="taso")), text_after_link="(and more)")
    author.post(draft_url(draft(), "submit"))
    assert publisher.post(draft_url(draft(), "publish"), NOTE).status_code == 403


def test_sending_back_needs_a_comment_that_the_author_then_reads(author, publisher):
    author.post(draft_url(draft(), "submit"))
    refused = publisher.post(draft_url(draft(), "send-back"), {"comment": ""})
    assert "Enter what needs to change" in text_of(parse(refused).select_one(".govuk-error-summary"))
    assert draft().is_waiting_for_review
    publisher.post(draft_url(draft(), "send-back"), {"comment": "Check the address: it has a typo."})
    assert draft().is_open
    sent_back = text_of(parse(author.get(draft_url(draft()))).select_one(".app-sent-back"))
    assert sent_back.startswith("Sent back by pat on")
    assert "Check the address: it has a typo." in sent_back


def test_force_publishing_needs_a_reason_and_waits_for_a_review_afterwards(demo):
    urgent = signed_in(staff_member("uma", PUBLISHER))
    save_as_draft(urgent, change_url(Centre.objects.get(slug="taso")), website=WEBSITE)
    refused = urgent.post(draft_url(draft(), "force-publish"), NOTE)
    assert "Enter why this draft is published without a review" in text_of(
        parse(refused).select_one(".govuk-error-summary")
    )
    urgent.post(draft_url(draft(), "force-publish"), {**NOTE, "reason": "The old address now serves malware."})
    assert website() == WEBSITE
    assert draft().needs_review
    reviewer = signed_in(staff_member("ray", PUBLISHER))
    queue = text_of(parse(reviewer.get("/admin/")).select_one("#review-queue"))
    assert "Force published, not yet reviewed" in queue
    assert urgent.post(draft_url(draft(), "reviewed")).status_code == 403  # not by its own author
    reviewer.post(draft_url(draft(), "reviewed"))
    assert not draft().needs_review
    assert parse(reviewer.get("/admin/")).select_one("#review-queue") is None


def test_the_draft_records_who_did_what_and_when(author, publisher):
    author.post(draft_url(draft(), "submit"))
    publisher.post(draft_url(draft(), "send-back"), {"comment": "A typo."})
    author.post(draft_url(draft(), "submit"))
    publisher.post(draft_url(draft(), "publish"), NOTE)
    events = [(event.action, event.user.username, event.comment) for event in draft().events.all()]
    assert events == [
        (DraftEvent.Action.SUBMITTED, "erin", ""),
        (DraftEvent.Action.SENT_BACK, "pat", "A typo."),
        (DraftEvent.Action.SUBMITTED, "erin", ""),
        (DraftEvent.Action.PUBLISHED, "pat", ""),
    ]
    history = text_of(parse(publisher.get(draft_url(draft()))).select_one("#draft-history").find_next("table"))
    assert "Sent back" in history and "A typo." in history and "Reviewed and published" in history


def test_a_draft_with_no_changes_cannot_be_submitted(publisher):
    publisher.post("/admin/drafts/draft/add/", {"name": "Nothing yet"})
    response = publisher.post(draft_url(draft(), "submit"))
    assert any("nothing to review" in message for message in admin_messages(publisher.get(response["Location"])))
    assert draft().is_open


def test_a_published_draft_s_page_still_says_what_it_changed(author, publisher):
    author.post(draft_url(draft(), "submit"))
    publisher.post(draft_url(draft(), "publish"), NOTE)
    page = author.get(draft_url(draft()))
    assert page.status_code == 200
    assert "https://taso.example" in text_of(parse(page).select_one(".app-comparison"))
