"""Two members of staff editing the same record: the second save is refused, saying who changed it
and when, rather than the last save silently winning; saving the refused form again is a
deliberate overwrite."""

import datetime
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections, transaction

from centres.models import Centre, Kind, Membership, PolicyArea
from network.models import Page, Section
from tests.helpers import (
    add_url,
    admin_messages,
    change_url,
    field_errors,
    form_values,
    history_url,
    parse,
    post_change_form,
    text_of,
)
from updates.models import PageUpdate

AFTER_THE_REFUSAL = (
    "Nothing you typed has been saved: it is all still below. "
    "Changed since you opened it: {changes}. "
    "History lists their change. Saving this form again saves it as it stands, over their change."
)


def at(time_machine, hour, minute):
    """Move the clock to that time on 15 January 2030, the day of the `editor` fixture."""
    time_machine.move_to(datetime.datetime(2030, 1, 15, hour, minute, tzinfo=ZoneInfo("Europe/London")), tick=False)


def error_summary(response):
    return [text_of(link) for link in parse(response).select(".govuk-error-summary__list a")]


def saved(response):
    assert response.status_code == 302, error_summary(response) or field_errors(response)


def test_the_second_save_of_a_centre_is_refused_saying_who_changed_it_and_when(editor, colleague, time_machine):
    centre = Centre.objects.get(slug="taso")
    mine = form_values(editor.get(change_url(centre)))  # opened at noon
    at(time_machine, 12, 10)
    saved(post_change_form(colleague, centre, website="https://taso.example", major_change="no"))

    at(time_machine, 12, 15)
    mine.update(text_after_link="(hosted by King’s College London)", major_change="no")
    refused = editor.post(change_url(centre), mine)
    assert refused.status_code == 200
    assert text_of(parse(refused).title).startswith("Error:")
    assert error_summary(refused) == [
        "Priya Shah changed this centre at 12:10 on 15 January 2030, after you opened it. "
        + AFTER_THE_REFUSAL.format(changes="Website")
    ]
    centre.refresh_from_db()
    assert (centre.website, centre.text_after_link) == ("https://taso.example", "")
    # What I typed is still in the form, to save again.
    again = form_values(refused)
    assert (again["text_after_link"], again["major_change"]) == ("(hosted by King’s College London)", "no")

    saved(editor.post(change_url(centre), again))
    centre.refresh_from_db()
    assert (centre.website, centre.text_after_link) == ("https://taso.org.uk", "(hosted by King’s College London)")
    assert centre.history.latest().history_user.username == "editor"


def test_a_change_to_a_centres_membership_refuses_the_centres_save(editor, colleague, time_machine):
    centre = Centre.objects.get(slug="taso")
    membership = centre.memberships.get()
    mine = form_values(editor.get(change_url(centre)))
    at(time_machine, 12, 10)
    saved(post_change_form(colleague, membership, end_date="2030-06-01", major_change="no"))

    mine.update(text_after_link="(x)", major_change="no")
    refused = editor.post(change_url(centre), mine)
    assert error_summary(refused) == [
        "Priya Shah changed this centre at 12:10 on 15 January 2030, after you opened it. "
        + AFTER_THE_REFUSAL.format(
            changes=f"Membership “{centre}: Affiliate from 1 March 2020 to 31 May 2030”: End date"
        )
    ]
    membership.refresh_from_db()
    centre.refresh_from_db()
    assert (membership.end_date, centre.text_after_link) == (datetime.date(2030, 6, 1), "")

    # Saved again, the form's memberships are saved as it shows them.
    saved(editor.post(change_url(centre), form_values(refused)))
    membership.refresh_from_db()
    centre.refresh_from_db()
    assert (membership.end_date, centre.text_after_link) == (None, "(x)")


def test_a_change_to_the_centre_refuses_a_save_of_its_memberships(editor, colleague, time_machine):
    centre = Centre.objects.get(slug="taso")
    mine = form_values(editor.get(change_url(centre)))
    at(time_machine, 12, 10)
    saved(post_change_form(colleague, centre, name="TASO", major_change="no"))

    mine.update({"memberships-0-end_date": "2030-06-01", "major_change": "no"})
    refused = editor.post(change_url(centre), mine)
    assert error_summary(refused)[0].startswith("Priya Shah changed this centre at 12:10 on 15 January 2030")
    assert "Changed since you opened it: Name." in error_summary(refused)[0]
    assert centre.memberships.get().end_date is None


def test_a_change_to_a_pages_section_refuses_the_pages_save(editor, colleague, time_machine):
    page = Page.objects.get()
    mine = form_values(editor.get(change_url(page)))
    at(time_machine, 12, 10)
    theirs = form_values(colleague.get(change_url(page)))
    assert theirs["sections-0-heading"] == "Introduction"
    theirs.update({"sections-0-body": "Their new introduction.", "major_change": "no"})
    saved(colleague.post(change_url(page), theirs))

    mine.update(title="What Works Network (updated)", major_change="no")
    refused = editor.post(change_url(page), mine)
    assert error_summary(refused) == [
        "Priya Shah changed this page at 12:10 on 15 January 2030, after you opened it. "
        + AFTER_THE_REFUSAL.format(changes="Section “Introduction”: Body")
    ]
    page.refresh_from_db()
    assert page.title == "What Works Network"
    assert page.sections.get(heading="Introduction").body == "Their new introduction."

    saved(editor.post(change_url(page), form_values(refused)))
    page.refresh_from_db()
    assert page.title == "What Works Network (updated)"
    assert page.sections.get(heading="Introduction").body == mine["sections-0-body"]


def test_sections_added_and_deleted_since_are_named(editor, colleague):
    page = Page.objects.get()
    mine = form_values(editor.get(change_url(page)))
    Section(page=page, heading="Further reading", body="More.").save()
    page.sections.get(heading="Introduction").delete()

    mine.update(major_change="no")
    refused = editor.post(change_url(page), mine)
    message = error_summary(refused)[0]  # then Django's own error on the deleted section's row
    assert "Changed since you opened it: Section “Further reading” added; A section deleted." in message
    assert page.sections.filter(heading="Further reading").exists()


def test_a_change_the_history_does_not_record_is_said_plainly(editor):
    centre = Centre.objects.get(slug="taso")
    mine = form_values(editor.get(change_url(centre)))
    Centre.objects.filter(pk=centre.pk).update(website="https://elsewhere.example")

    mine.update(major_change="no")
    refused = editor.post(change_url(centre), mine)
    assert error_summary(refused) == [
        "Someone changed this centre after you opened it; its history does not say who or when. "
        "Nothing you typed has been saved: it is all still below. Changed since you opened it: Website. "
        "Saving this form again saves it as it stands, over their change."
    ]


def test_a_form_that_does_not_say_which_version_it_showed_is_refused(editor):
    centre = Centre.objects.get(slug="taso")
    mine = form_values(editor.get(change_url(centre)))
    del mine["record_version"]
    mine.update(major_change="no")
    refused = editor.post(change_url(centre), mine)
    assert error_summary(refused) == [
        "The form does not say which version of this centre you opened, so it could be out of date. "
        "Nothing you typed has been saved: it is all still below. Saving this form again saves it as it stands."
    ]
    saved(editor.post(change_url(centre), form_values(refused)))


# No false alarms.


@pytest.mark.parametrize(
    "model",
    [Centre, Membership, PolicyArea, Page, Section, PageUpdate],
    ids=lambda model: model._meta.model_name,
)
def test_a_record_nobody_else_changed_saves_at_once(editor, model):
    """The demo content has no history yet: its first save in the admin is not taken for someone else's."""
    obj = model.objects.order_by("pk").first()
    assert not obj.history.exists()
    response = post_change_form(editor, obj, major_change="no")
    saved(response)
    assert "was changed successfully" in admin_messages(editor.get(response.url))[0]
    # Opened again after that save, it saves again.
    saved(post_change_form(editor, obj, major_change="no"))


def test_saving_a_form_shown_again_with_a_mistake_is_not_refused(editor):
    centre = Centre.objects.get(slug="taso")
    mistaken = post_change_form(editor, centre, website="not a web address", major_change="no")
    assert list(field_errors(mistaken)) == ["website"]
    values = form_values(mistaken)
    values["website"] = "https://taso.example"
    saved(editor.post(change_url(centre), values))


def test_a_change_to_another_record_does_not_refuse_mine(editor, colleague):
    taso = Centre.objects.get(slug="taso")
    mine = form_values(editor.get(change_url(taso)))
    other = Centre.objects.exclude(pk=taso.pk).first()
    saved(post_change_form(colleague, other, text_after_link="(elsewhere)", major_change="no"))
    mine.update(text_after_link="(x)", major_change="no")
    saved(editor.post(change_url(taso), mine))


def test_adding_records_is_never_refused(editor, colleague):
    values = form_values(editor.get(add_url(PolicyArea)))
    saved(post_change_form(colleague, PolicyArea.objects.first(), name="Renamed", major_change="no"))
    values.update(name="Sport", slug="sport", major_change="no")
    saved(editor.post(add_url(PolicyArea), values))
    assert PolicyArea.objects.filter(slug="sport").exists()


# Reverting to a past version, and the centre's membership actions.


def revert_url(obj, record):
    return f"{history_url(obj)}{record.history_id}/"


def test_a_revert_over_a_later_change_is_refused(editor, colleague, time_machine):
    section = Section.objects.get(heading="Introduction")
    saved(post_change_form(editor, section, body="A mistaken rewrite.", major_change="no"))
    url = revert_url(section, section.history.earliest())
    mine = form_values(editor.get(url))
    at(time_machine, 12, 10)
    saved(post_change_form(colleague, section, body="Their correction.", major_change="no"))

    mine["major_change"] = "no"
    refused = editor.post(url, mine)
    assert error_summary(refused) == [
        "Priya Shah changed this section at 12:10 on 15 January 2030, after you opened it. "
        + AFTER_THE_REFUSAL.format(changes="Body")
    ]
    section.refresh_from_db()
    assert section.body == "Their correction."

    saved(editor.post(url, form_values(refused)))
    section.refresh_from_db()
    assert section.body == mine["body"]


def test_a_revert_is_not_refused_for_a_change_to_what_it_does_not_save(editor, colleague):
    """A revert saves the centre alone: a change to its memberships meanwhile is not overwritten."""
    centre = Centre.objects.get(slug="taso")
    saved(post_change_form(editor, centre, text_after_link="(x)", major_change="no"))
    url = revert_url(centre, centre.history.earliest())
    mine = form_values(editor.get(url))
    saved(post_change_form(colleague, centre.memberships.get(), end_date="2030-06-01", major_change="no"))
    mine["major_change"] = "no"
    saved(editor.post(url, mine))
    centre.refresh_from_db()
    assert centre.text_after_link == ""
    assert centre.memberships.get().end_date == datetime.date(2030, 6, 1)


def action_url(centre, action):
    return f"{change_url(centre).removesuffix('change/')}membership/{action}/"


def test_a_membership_action_over_a_later_change_is_shown_again_to_confirm(editor, colleague, time_machine):
    centre = Centre.objects.get(slug="taso")
    url = action_url(centre, "change-kind")
    details = form_values(editor.get(url))
    details["kind"] = Kind.WHAT_WORKS_CENTRE
    question = form_values(editor.post(url, details))
    at(time_machine, 12, 10)
    saved(post_change_form(colleague, centre.memberships.get(), end_date="2030-06-01", major_change="no"))

    question.update(major_change="yes", change_note="TASO is now a What Works Centre.")
    refused = editor.post(url, question)
    soup = parse(refused)
    (message,) = [text_of(li) for li in soup.select(".errorlist.nonfield li")]
    assert message.startswith("Priya Shah changed this centre at 12:10 on 15 January 2030, after you opened it.")
    assert f"Membership “{centre}: Affiliate from 1 March 2020 to 31 May 2030”: End date" in message
    assert centre.memberships.count() == 1
    # What will be saved is said again, worked out from their change; my note is kept.
    assert [text_of(li) for li in soup.select("#membership-changes li")] == [
        "Affiliate from 1 March 2020 to 14 January 2030",
        "What Works Centre from 15 January 2030 to 31 May 2030",
    ]
    again = form_values(refused)
    assert again["change_note"] == "TASO is now a What Works Centre."

    saved(editor.post(url, again))
    assert [(m.kind, m.end_date) for m in centre.memberships.order_by("start_date")] == [
        (Kind.AFFILIATE, datetime.date(2030, 1, 15)),
        (Kind.WHAT_WORKS_CENTRE, datetime.date(2030, 6, 1)),
    ]


# Two saves at the same moment.


def wait_until_a_query_waits_for_this_transaction(thread):
    """Wait until another connection's query waits for a lock this connection holds (or `thread` has finished)."""
    with connection.cursor() as cursor:
        while thread.is_alive():
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)


@pytest.mark.django_db(transaction=True)
def test_a_save_made_while_another_is_being_saved_waits_for_it_and_is_refused(staff, colleague):
    """PostgreSQL: the second save's check waits for the first save's transaction, then sees its change."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks are PostgreSQL's: SQLite lets one transaction write at a time")
    centre = Centre.objects.get(slug="taso")
    mine = form_values(staff.get(change_url(centre)))
    mine.update(text_after_link="(x)", major_change="no")
    answers = []

    def save_mine():
        try:
            answers.append(staff.post(change_url(centre), mine))
        finally:
            connections.close_all()

    saving_mine = threading.Thread(target=save_mine)
    with transaction.atomic():  # their save, not committed until mine is waiting for it
        saved(post_change_form(colleague, centre, website="https://taso.example", major_change="no"))
        saving_mine.start()
        wait_until_a_query_waits_for_this_transaction(saving_mine)
    saving_mine.join()

    (refused,) = answers
    assert error_summary(refused)[0].startswith("Priya Shah changed this centre at ")
    centre.refresh_from_db()
    assert (centre.website, centre.text_after_link) == ("https://taso.example", "")
