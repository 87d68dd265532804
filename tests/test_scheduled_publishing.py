"""Scheduled publishing: a reviewer schedules a submitted draft for a minute in UK time, and at that
minute it goes live by itself, on the first request at or after it, with its change note dated
that day; unscheduling returns it to "Reviewed"; one that cannot go live is marked as failed.
(Across real server processes and concurrent commands: tests/test_scheduled_publishing_processes.py.)"""

import datetime
import logging
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings

from centres.models import Centre
from drafts.models import Draft, DraftEvent
from network.roles import EDITOR, PUBLISHER
from tests.helpers import (
    CACHING_OFF,
    PAGE_URL,
    admin_messages,
    change_url,
    draft_url,
    field_errors,
    parse,
    preview_url,
    save_as_draft,
    signed_in,
    staff_member,
    table_rows,
    text_of,
)

UK = ZoneInfo("Europe/London")
NOON = datetime.datetime(2030, 1, 15, 12, tzinfo=UK)
WEBSITE = "https://taso.example"
NOTE = "TASO has a new website."
SCHEDULE = {"day": "15 January 2030", "time": "12:30pm", "major_change": "yes", "change_note": NOTE}


def at(time_machine, moment):
    time_machine.move_to(moment, tick=False)


@pytest.fixture
def author(demo, time_machine):
    """An editor who, at noon on 15 January 2030, saved a change to TASO's website as a draft and
    submitted it for review."""
    at(time_machine, NOON)
    client = signed_in(staff_member("erin", EDITOR))
    save_as_draft(client, change_url(Centre.objects.get(slug="taso")), draft_name="TASO's new website", website=WEBSITE)
    client.post(draft_url(draft(), "submit"))
    return client


def draft():
    return Draft.objects.get()


def taso_website(client):
    """TASO's website as the public page's table shows it."""
    response = client.get(PAGE_URL)
    assert response.status_code == 200
    return next(row[2] for row in table_rows(parse(response)) if "TASO" in row[1])


def latest_update(client):
    return text_of(parse(client.get(PAGE_URL)).select("#full-history li")[0])


def schedule(publisher, **changes):
    return publisher.post(draft_url(draft(), "schedule"), {**SCHEDULE, **changes})


def test_a_reviewer_schedules_a_submitted_draft_for_a_minute_in_uk_time(author, publisher):
    response = schedule(publisher)
    assert response.status_code == 302, field_errors(response)
    scheduled = draft()
    assert scheduled.status == Draft.Status.SCHEDULED
    assert scheduled.scheduled_for == datetime.datetime(2030, 1, 15, 12, 30, tzinfo=UK)
    assert (scheduled.reviewed_by.username, scheduled.change_note) == ("pat", NOTE)
    when = "12:30pm on 15 January 2030 (UK time, GMT)"
    assert (
        f"“TASO's new website” is scheduled to go live at {when}."
        in admin_messages(publisher.get(response["Location"]))[0]
    )
    page = text_of(parse(author.get(draft_url(scheduled))).select_one("#schedule"))
    assert page.startswith(f"Scheduled to go live at {when}, reviewed and scheduled by pat, with the change note")
    queue = text_of(parse(publisher.get("/admin/")).select_one("#review-queue"))
    assert f"Scheduled to go live TASO's new website, at {when}, scheduled by pat" in queue
    assert [(event.action, event.user.username, event.comment) for event in scheduled.events.all()][-1] == (
        DraftEvent.Action.SCHEDULED,
        "pat",
        f"For {when}.",
    )


def test_summer_times_are_british_summer_time(author, publisher):
    schedule(publisher, day="1 July 2030", time="9:30am")
    assert draft().scheduled_for == datetime.datetime(2030, 7, 1, 8, 30, tzinfo=datetime.UTC)
    assert draft().scheduled_time == "9:30am on 1 July 2030 (UK time, BST)"


@pytest.mark.parametrize(
    ("day", "time", "field", "error"),
    [
        ("15 January 2030", "11:59am", "time", "Enter a time in the future: 11:59am on 15 January 2030 (UK time, GMT) has passed."),
        ("15 January 2030", "12:00", "time", "Enter a time in the future: midday on 15 January 2030 (UK time, GMT) has passed."),
        ("14 January 2030", "18:00", "day", "Enter a time in the future: 6pm on 14 January 2030 (UK time, GMT) has passed."),
        ("31 March 2030", "1:30am", "time", "UK clocks go forward an hour at 1am on 31 March 2030: 1:30am does not happen. Choose another time."),
        ("27 October 2030", "1:30am", "time", "UK clocks go back an hour at 2am on 27 October 2030: 1:30am happens twice. Choose another time."),
        ("15 January 2030", "half past", "time", "Enter a time like 9:30am or 14:00."),
    ],
)  # fmt: skip
def test_a_time_that_has_passed_or_is_not_on_the_clock_is_refused(author, publisher, day, time, field, error):
    response = schedule(publisher, day=day, time=time)
    assert response.status_code == 200
    assert field_errors(response) == {field: [error]}
    assert error in text_of(parse(response).select_one(".govuk-error-summary"))
    assert draft().status == Draft.Status.SUBMITTED


def test_only_a_publisher_who_wrote_none_of_it_schedules_it(author, demo):
    assert author.post(draft_url(draft(), "schedule"), SCHEDULE).status_code == 403
    own = signed_in(staff_member("uma", PUBLISHER))
    own.post(draft_url(draft(), "withdraw"))  # not hers to withdraw: refused
    assert draft().status == Draft.Status.SUBMITTED
    assert "Schedule…" not in text_of(parse(author.get(draft_url(draft()))).select_one("#content-main"))


def test_a_scheduled_draft_cannot_change(author, publisher):
    schedule(publisher)
    response = author.post(change_url(Centre.objects.get(slug="taso")), {"website": "https://elsewhere.example"})
    assert any(
        "is scheduled, and cannot change" in message for message in admin_messages(author.get(response["Location"]))
    )
    assert draft().changes.get().state["website"] == WEBSITE
    assert author.post(draft_url(draft(), "withdraw")).status_code == 302
    assert draft().status == Draft.Status.SCHEDULED
    assert author.get(preview_url(draft())).status_code == 200  # what will go live, to read again


def test_unscheduling_returns_it_to_reviewed_to_publish_now_or_schedule_again(author, publisher, client):
    schedule(publisher)
    publisher.post(draft_url(draft(), "unschedule"))
    assert draft().status == Draft.Status.REVIEWED
    assert "Reviewed by pat" in text_of(parse(publisher.get(draft_url(draft()))).select_one("#schedule"))
    assert parse(publisher.get("/admin/")).select_one("#review-queue") is None
    assert schedule(publisher, time="1pm").status_code == 302
    assert draft().scheduled_time == "1pm on 15 January 2030 (UK time, GMT)"
    publisher.post(draft_url(draft(), "unschedule"))
    publisher.post(draft_url(draft(), "publish"), {"major_change": "yes", "change_note": NOTE})
    assert draft().status == Draft.Status.PUBLISHED
    assert taso_website(client) == WEBSITE
    actions = [event.action for event in draft().events.all()]
    assert actions == ["submitted", "scheduled", "unscheduled", "scheduled", "unscheduled", "published"]


@pytest.mark.parametrize("caching", ["cached", "uncached"])
def test_at_its_minute_the_first_request_shows_it_and_not_before(author, publisher, client, time_machine, caching):
    schedule(publisher)
    with override_settings(**({"CACHES": CACHING_OFF} if caching == "uncached" else {})):
        before = client.get(PAGE_URL).content  # in the cache, if it is on
        at(time_machine, datetime.datetime(2030, 1, 15, 12, 29, 59, 999999, tzinfo=UK))
        assert client.get(PAGE_URL).content == before
        assert draft().status == Draft.Status.SCHEDULED
        at(time_machine, datetime.datetime(2030, 1, 15, 12, 30, tzinfo=UK))
        assert taso_website(client) == WEBSITE
        assert latest_update(client) == f"15 January 2030 {NOTE}"
    assert draft().status == Draft.Status.PUBLISHED


def test_its_change_note_is_dated_the_day_it_goes_live(author, publisher, client, time_machine):
    schedule(publisher, day="16 January 2030", time="12:30am")
    at(time_machine, datetime.datetime(2030, 1, 16, 0, 45, tzinfo=UK))
    assert latest_update(client) == f"16 January 2030 {NOTE}"


def test_a_page_from_the_cache_costs_one_query_while_a_draft_is_scheduled(
    author, publisher, client, django_assert_max_num_queries
):
    schedule(publisher)
    client.get(PAGE_URL)
    with django_assert_max_num_queries(1):
        assert client.get(PAGE_URL).status_code == 200


def test_the_publisher_of_record_is_who_scheduled_it_whoever_comes_first(author, publisher, time_machine):
    schedule(publisher)
    at(time_machine, datetime.datetime(2030, 1, 15, 12, 31, tzinfo=UK))
    author.get("/admin/")  # the author's admin page is the first request after its minute
    published = draft()
    assert (published.status, published.finished_by.username, published.reviewed_by.username) == (
        "published",
        "pat",
        "pat",
    )
    version = Centre.objects.get(slug="taso").history.latest()
    assert version.history_user.username == "pat"
    assert version.history_change_reason == (
        "Published at its scheduled time, 12:30pm on 15 January 2030 (UK time, GMT), from the draft "
        f"“TASO's new website”, written by erin. Major change: {NOTE}"
    )
    events = [(event.action, event.user.username) for event in published.events.all()]
    assert events[-1] == (DraftEvent.Action.PUBLISHED_AS_SCHEDULED, "pat")
    history = text_of(parse(author.get(draft_url(published))).select_one("#draft-history").find_next("table"))
    assert "Reviewed and scheduled" in history and "Published at its scheduled time" in history


def test_the_command_publishes_what_is_due_once(author, publisher, time_machine, capsys):
    schedule(publisher)
    call_command("publish_scheduled")
    assert capsys.readouterr().out == "No scheduled draft is due.\n"
    at(time_machine, datetime.datetime(2030, 1, 15, 12, 30, tzinfo=UK))
    call_command("publish_scheduled")
    call_command("publish_scheduled")
    assert capsys.readouterr().out == (
        f"Published “TASO's new website” ({draft().pk}), scheduled for 12:30pm on 15 January 2030 (UK time, GMT).\n"
        "No scheduled draft is due.\n"
    )
    assert [event.action for event in draft().events.all()].count(DraftEvent.Action.PUBLISHED_AS_SCHEDULED) == 1


def test_one_that_cannot_go_live_is_marked_failed_and_not_tried_again(
    author, publisher, client, time_machine, caplog, django_assert_max_num_queries
):
    schedule(publisher)
    Centre.objects.filter(slug="taso").update(website="https://taso.example.org")  # changed on the live site since
    at(time_machine, datetime.datetime(2030, 1, 15, 12, 30, tzinfo=UK))
    with caplog.at_level(logging.ERROR, logger="drafts.scheduling"):
        assert taso_website(client) == "https://taso.example.org"
    failed = draft()
    assert failed.status == Draft.Status.FAILED
    assert "Records it changes were changed on the live site after it was scheduled: Centre" in failed.failure
    assert "(Website)" in failed.failure
    assert [record.getMessage() for record in caplog.records] == [
        f"The draft “TASO's new website” ({failed.pk}) could not go live at 12:30pm on 15 January 2030 "
        f"(UK time, GMT): {failed.failure}"
    ]
    with django_assert_max_num_queries(1):  # a page from the cache: nothing is tried again
        assert client.get(PAGE_URL).status_code == 200
    queue = text_of(parse(publisher.get("/admin/")).select_one("#review-queue"))
    assert "Could not go live at their scheduled time" in queue and failed.failure in queue
    page = text_of(parse(author.get(draft_url(failed))).select_one("#schedule"))
    assert page.startswith("Could not go live at 12:30pm on 15 January 2030 (UK time, GMT)")
    # Its author withdraws it, brings it up to date and submits it again.
    author.post(draft_url(failed, "withdraw"))
    author.post(draft_url(failed, "update"))
    author.post(draft_url(failed, "submit"))
    assert draft().status == Draft.Status.SUBMITTED
    assert (draft().failure, draft().scheduled_for) == ("", None)
