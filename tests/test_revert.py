"""Reverting to a past version in an object's History is a save like any other: it asks the question."""

import datetime

from centres.models import Membership
from network.models import Section
from tests.helpers import admin_messages, change_url, field_errors, form_values, parse, post_change_form, text_of
from updates.models import PageUpdate

TODAY = datetime.date(2030, 1, 15)  # the day of the `editor` fixture


def edit(client, obj, **changes):
    response = post_change_form(client, obj, major_change="no", **changes)
    assert response.status_code == 302, field_errors(response)


def revert_url(obj, record):
    return f"{change_url(obj).removesuffix('change/')}history/{record.history_id}/"


def test_reverting_a_membership_asks_the_question_and_publishes_its_note(editor, get_page):
    membership = Membership.objects.get(centre__slug="money-and-pensions-service")
    edit(editor, membership, end_date="2030-01-10")
    assert "Money and Pensions Service" not in text_of(get_page().select_one("main table"))
    as_loaded = membership.history.earliest()
    form = parse(editor.get(revert_url(membership, as_loaded))).select_one("#content-main form")
    assert [text_of(label) for label in form.select("#id_major_change label")][0].startswith("Yes")

    values = form_values(editor.get(revert_url(membership, as_loaded)))
    values.update(major_change="yes", change_note="Money and Pensions Service is a member again.")
    response = editor.post(revert_url(membership, as_loaded), values, follow=True)
    assert response.redirect_chain, field_errors(response)
    membership.refresh_from_db()
    assert membership.end_date is None
    assert "Money and Pensions Service" in text_of(get_page().select_one("main table"))
    assert PageUpdate.objects.filter(date=TODAY, note="Money and Pensions Service is a member again.").count() == 1
    # One banner, saying what was saved and where its note was published.
    (message,) = admin_messages(response)
    assert "was changed successfully" in message
    assert "“Money and Pensions Service is a member again.” was published on “What Works Network”" in message
    assert membership.history.latest().history_change_reason == (
        "Major change: Money and Pensions Service is a member again."
    )


def test_reverting_a_section_as_a_minor_change(editor, get_page):
    section = Section.objects.get(heading="Introduction")
    original = section.body
    edit(editor, section, body="A mistaken rewrite.")
    as_loaded = section.history.earliest()
    values = form_values(editor.get(revert_url(section, as_loaded)))
    values["major_change"] = "no"
    response = editor.post(revert_url(section, as_loaded), values)
    assert response.status_code == 302, field_errors(response)
    section.refresh_from_db()
    assert section.body == original
    assert PageUpdate.objects.filter(date=TODAY).count() == 0
    assert "A mistaken rewrite." not in text_of(get_page().find("main"))


def test_a_revert_without_an_answer_says_what_is_missing(editor):
    section = Section.objects.get(heading="Introduction")
    edit(editor, section, body="A mistaken rewrite.")
    url = revert_url(section, section.history.earliest())
    values = form_values(editor.get(url))
    response = editor.post(url, values)
    assert response.status_code == 200
    assert field_errors(response) == {"major_change": ["Select yes if this is a major change."]}
    summary = parse(response).select(".govuk-error-summary__list a")
    assert [(text_of(a), a["href"]) for a in summary] == [
        ("Is this a major change?: Select yes if this is a major change.", "#id_major_change_0")
    ]
    section.refresh_from_db()
    assert section.body == "A mistaken rewrite."
