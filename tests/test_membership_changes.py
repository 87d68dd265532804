"""Membership changes as staff think of them: change its kind, end it, start one; started memberships keep their record."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from centres.models import Centre, Kind, Membership
from tests.helpers import (
    PAGE_URL,
    change_url,
    field_errors,
    form_values,
    network_sentence,
    parse,
    post_change_form,
    text_of,
)
from updates.audit import AS_LOADED
from updates.models import PageUpdate

TODAY = datetime.date(2030, 1, 15)  # the day of the `editor` fixture


def action_url(centre, action):
    return f"{change_url(centre)}membership/{action}/".replace("/change/membership/", "/membership/")


def run_action(client, centre, action, answer="yes", note=None, **details):
    """Fill in the action's details, continue, answer the major-change question and save.

    Returns the second step's page and the response to saving it. `note=None` keeps the suggested note.
    """
    url = action_url(centre, action)
    values = form_values(client.get(url))
    values.update(details)
    question = client.post(url, values)
    assert question.status_code == 200
    assert field_errors(question) == {}, field_errors(question)
    values = form_values(question)
    values["major_change"] = answer
    if note is not None:
        values["change_note"] = note
    return question, client.post(url, values)


def action_errors(client, centre, action, **details):
    """The errors shown when an action's details are sent."""
    values = form_values(client.get(action_url(centre, action)))
    values.update(details)
    return field_errors(client.post(action_url(centre, action), values))


def memberships(centre):
    return [
        (
            m.kind,
            m.policy_area.slug if m.policy_area else None,
            m.start_date.isoformat(),
            m.end_date and m.end_date.isoformat(),
        )
        for m in centre.memberships.order_by("start_date")
    ]


def test_the_centre_page_offers_the_actions_that_fit(editor):
    def offered(slug):
        soup = parse(editor.get(change_url(Centre.objects.get(slug=slug))))
        return [text_of(link) for link in soup.select(".object-tools a")][:-2]  # before History, View on site

    assert offered("youth-endowment-fund") == ["Change membership kind", "End membership"]
    assert offered("what-works-centre-for-wellbeing") == ["Start membership"]


def test_promoting_an_affiliate_ends_one_membership_and_starts_the_next(editor, get_page):
    centre = Centre.objects.get(slug="youth-endowment-fund")
    question, response = run_action(editor, centre, "change-kind", kind=Kind.WHAT_WORKS_CENTRE)
    # The second step says what will be saved and suggests the change note.
    assert [text_of(li) for li in parse(question).select("#membership-changes li")] == [
        "Affiliate from 1 March 2020 to 14 January 2030",
        "What Works Centre from 15 January 2030",
    ]
    assert form_values(question)["change_note"] == "Youth Endowment Fund is now a What Works Centre."
    assert response.status_code == 302
    assert memberships(centre) == [
        ("affiliate", "youth-offending", "2020-03-01", "2030-01-15"),
        ("centre", "youth-offending", "2030-01-15", None),
    ]
    assert network_sentence(get_page()) == "10 independent What Works Centres and 2 affiliate members"
    assert text_of(get_page().select("#full-history li")[0]) == (
        "15 January 2030 Youth Endowment Fund is now a What Works Centre."
    )
    # The audit trail keeps both memberships' versions with the action and its note.
    reasons = {m.history.latest().history_change_reason for m in centre.memberships.all()}
    assert reasons == {"Change membership kind. Major change: Youth Endowment Fund is now a What Works Centre."}
    affiliate = centre.memberships.get(kind=Kind.AFFILIATE)
    assert affiliate.history.earliest().history_change_reason == AS_LOADED


def test_a_promotion_goes_to_the_end_of_its_kind_in_the_table(editor):
    centre = Centre.objects.get(slug="youth-endowment-fund")
    run_action(editor, centre, "change-kind", kind=Kind.WHAT_WORKS_CENTRE)
    promoted = centre.memberships.get(kind=Kind.WHAT_WORKS_CENTRE)
    others = Membership.objects.current(TODAY).filter(kind=Kind.WHAT_WORKS_CENTRE).exclude(pk=promoted.pk)
    assert promoted.position > max(others.values_list("position", flat=True))


def test_a_change_of_kind_on_a_later_day_is_published_on_that_day(editor, get_page, time_machine):
    centre = Centre.objects.get(slug="youth-endowment-fund")
    _, response = run_action(editor, centre, "change-kind", kind=Kind.ASSOCIATE, day="2030-03-01")
    assert response.status_code == 302
    note = PageUpdate.objects.get(note="Youth Endowment Fund is now an associate member.")
    assert note.date == datetime.date(2030, 3, 1)
    # Until that day the page shows neither the change nor its note, and "Last updated" stays.
    page = get_page()
    assert "Youth Endowment Fund is now" not in text_of(page)
    assert "Last updated 19 July 2024" in text_of(page.select_one(".app-metadata"))
    time_machine.move_to(datetime.datetime(2030, 3, 1, 9, tzinfo=ZoneInfo("Europe/London")), tick=False)
    page = get_page()
    assert (
        text_of(page.select("#full-history li")[0]) == "1 March 2030 Youth Endowment Fund is now an associate member."
    )
    assert "Last updated 1 March 2030" in text_of(page.select_one(".app-metadata"))


def test_a_minor_change_of_kind_publishes_nothing(editor):
    centre = Centre.objects.get(slug="youth-endowment-fund")
    _, response = run_action(editor, centre, "change-kind", answer="no", kind=Kind.WHAT_WORKS_CENTRE)
    assert response.status_code == 302
    assert PageUpdate.objects.count() == 19
    assert centre.memberships.count() == 2


def test_the_suggested_note_can_be_reworded(editor):
    centre = Centre.objects.get(slug="youth-endowment-fund")
    note = "The Youth Endowment Fund became a What Works Centre."
    _, response = run_action(editor, centre, "change-kind", note=note, kind=Kind.WHAT_WORKS_CENTRE)
    assert response.status_code == 302
    assert PageUpdate.objects.filter(note=note, date=TODAY).exists()


def test_a_major_change_needs_its_note(editor):
    centre = Centre.objects.get(slug="youth-endowment-fund")
    _, response = run_action(editor, centre, "change-kind", note="", kind=Kind.WHAT_WORKS_CENTRE)
    assert field_errors(response) == {"change_note": ["Enter a change note: a major change is published with one."]}
    assert centre.memberships.count() == 1


def test_changing_to_the_same_kind_and_area_is_refused(editor):
    centre = Centre.objects.get(slug="youth-endowment-fund")
    errors = action_errors(editor, centre, "change-kind", kind=Kind.AFFILIATE)
    assert list(errors) == ["kind"]
    assert "already an affiliate member in Youth offending" in errors["kind"][0]


def test_a_change_of_policy_area_is_a_change_too(editor):
    centre = Centre.objects.get(slug="youth-endowment-fund")
    question, response = run_action(
        editor, centre, "change-kind", kind=Kind.AFFILIATE, policy_area=str(centre.memberships.get().policy_area.pk + 1)
    )
    assert response.status_code == 302
    assert form_values(question)["change_note"].startswith("Youth Endowment Fund’s policy area is now ")


def test_changing_the_kind_of_a_centre_that_is_not_a_member_is_refused(editor):
    centre = Centre.objects.get(slug="what-works-centre-for-wellbeing")
    errors = action_errors(editor, centre, "change-kind", kind=Kind.AFFILIATE)
    assert errors == {
        "day": [
            "What Works Centre for Wellbeing holds no membership on 15 January 2030: use “Start membership” to add one."
        ]
    }


def test_ending_a_membership(editor, get_page):
    centre = Centre.objects.get(slug="money-and-pensions-service")
    question, response = run_action(editor, centre, "end")
    assert form_values(question)["change_note"] == "Money and Pensions Service has left the network."
    assert response.status_code == 302
    assert memberships(centre) == [("affiliate", "financial-wellbeing", "2022-06-15", "2030-01-15")]
    assert network_sentence(get_page()) == "9 independent What Works Centres and 2 affiliate members"
    centre_page = text_of(get_page("/centres/money-and-pensions-service"))
    assert "Affiliate from 15 June 2022 to 14 January 2030" in centre_page
    assert "Left the network on 15 January 2030" in centre_page


def test_ending_on_a_later_day_is_announced_that_day(editor):
    centre = Centre.objects.get(slug="money-and-pensions-service")
    _, response = run_action(editor, centre, "end", day="2030-11-27")
    assert response.status_code == 302
    assert PageUpdate.objects.get(note="Money and Pensions Service has left the network.").date == datetime.date(
        2030, 11, 27
    )


def test_ending_a_membership_that_has_ended_is_refused(editor):
    centre = Centre.objects.get(slug="what-works-centre-for-wellbeing")
    errors = action_errors(editor, centre, "end")
    assert list(errors) == ["day"]
    assert "there is none to end" in errors["day"][0]


def test_starting_a_membership(editor, get_page):
    centre = Centre.objects.create(name="Centre for Evidence in Sport", slug="sport", website="https://sport.example")
    question, response = run_action(editor, centre, "start", kind=Kind.AFFILIATE)
    assert (
        form_values(question)["change_note"]
        == "Centre for Evidence in Sport has joined the network as an affiliate member."
    )
    assert response.status_code == 302
    assert memberships(centre) == [("affiliate", None, "2030-01-15", None)]
    assert network_sentence(get_page()) == "9 independent What Works Centres and 4 affiliate members"


def test_a_centre_that_left_can_rejoin(editor):
    centre = Centre.objects.get(slug="what-works-centre-for-wellbeing")
    question, response = run_action(editor, centre, "start", kind=Kind.ASSOCIATE, day="2030-12-01")
    assert form_values(question)["change_note"] == (
        "What Works Centre for Wellbeing has rejoined the network as an associate member."
    )
    assert response.status_code == 302
    assert text_of(parse(editor.get("/centres/what-works-centre-for-wellbeing")).select_one(".govuk-summary-list")) == (
        "Website https://whatworkswellbeing.org Membership Joins the network on 1 December 2030 Policy area None"
    )


def test_starting_a_membership_for_a_member_is_refused(editor):
    centre = Centre.objects.get(slug="taso")
    errors = action_errors(editor, centre, "start", kind=Kind.AFFILIATE)
    assert list(errors) == ["day"]
    assert "already a member on that day" in errors["day"][0]


def test_details_that_stopped_holding_are_asked_for_again(editor):
    """Another editor ended the membership between the two steps: nothing is saved."""
    centre = Centre.objects.get(slug="taso")
    values = form_values(editor.get(action_url(centre, "change-kind")))
    values.update(kind=Kind.WHAT_WORKS_CENTRE)
    values = form_values(editor.post(action_url(centre, "change-kind"), values))
    centre.memberships.update(end_date="2025-01-01")
    values["major_change"] = "no"
    response = editor.post(action_url(centre, "change-kind"), values)
    assert list(field_errors(response)) == ["day"]
    assert centre.memberships.count() == 1


def test_staff_without_permission_to_change_memberships_are_refused(client, demo):
    user = User.objects.create_user("viewer", password="a long passphrase", is_staff=True)
    user.user_permissions.set(
        [
            permission
            for permission in user.user_permissions.model.objects.filter(codename__in=["change_centre", "view_centre"])
        ]
    )
    client.force_login(user)
    assert client.get(action_url(Centre.objects.get(slug="taso"), "end")).status_code == 403


# Editing the record of a membership that has started.


def edit_membership(client, membership, **changes):
    return post_change_form(client, membership, major_change="no", **changes)


def test_changing_the_kind_of_a_started_membership_is_refused(editor):
    membership = Membership.objects.get(centre__slug="youth-endowment-fund")
    response = edit_membership(editor, membership, kind=Kind.WHAT_WORKS_CENTRE)
    errors = field_errors(response)
    assert list(errors) == ["kind"]
    assert "“Change membership kind”" in errors["kind"][0]
    assert "This corrects a mistake in the record" in errors["kind"][0]
    membership.refresh_from_db()
    assert membership.kind == Kind.AFFILIATE


@pytest.mark.parametrize("field, value", [("start_date", "2020-04-01"), ("policy_area", "")])
def test_the_start_and_policy_area_of_a_started_membership_are_kept(editor, field, value):
    membership = Membership.objects.get(centre__slug="youth-endowment-fund")
    assert list(field_errors(edit_membership(editor, membership, **{field: value}))) == [field]


def test_a_correction_is_saved_and_recorded_as_one(editor):
    membership = Membership.objects.get(centre__slug="youth-endowment-fund")
    response = edit_membership(editor, membership, start_date="2020-04-01", corrects_mistake="on")
    assert response.status_code == 302, field_errors(response)
    membership.refresh_from_db()
    assert membership.start_date == datetime.date(2020, 4, 1)
    assert membership.history.latest().history_change_reason == "Correction of a mistake in the record. Minor change"


def test_the_end_date_and_position_of_a_started_membership_stay_editable(editor):
    membership = Membership.objects.get(centre__slug="youth-endowment-fund")
    response = edit_membership(editor, membership, end_date="2030-06-01", position="7")
    assert response.status_code == 302, field_errors(response)


def test_a_membership_that_has_not_started_can_be_edited_freely(editor):
    centre = Centre.objects.create(name="Centre for Evidence in Sport", slug="sport", website="https://sport.example")
    membership = Membership.objects.create(centre=centre, kind=Kind.AFFILIATE, start_date="2030-06-01")
    response = edit_membership(editor, membership, kind=Kind.ASSOCIATE, start_date="2030-07-01")
    assert response.status_code == 302, field_errors(response)


def test_the_centres_inline_refuses_rewriting_a_started_membership(editor):
    centre = Centre.objects.get(slug="youth-endowment-fund")
    values = form_values(editor.get(change_url(centre)))
    values.update({"memberships-0-kind": Kind.WHAT_WORKS_CENTRE, "major_change": "no"})
    response = editor.post(change_url(centre), values)
    assert list(field_errors(response)) == ["memberships-0-kind"]
    values["memberships-0-corrects_mistake"] = "on"
    response = editor.post(change_url(centre), values)
    assert response.status_code == 302, field_errors(response)
    membership = centre.memberships.get()
    assert membership.kind == Kind.WHAT_WORKS_CENTRE
    assert membership.history.latest().history_change_reason == "Correction of a mistake in the record. Minor change"


# Dates of change notes.


def test_a_major_change_ending_a_membership_later_is_published_on_its_end_date(editor, get_page):
    membership = Membership.objects.get(centre__slug="money-and-pensions-service")
    values = form_values(editor.get(change_url(membership)))
    values.update(
        end_date="2030-11-27", major_change="yes", change_note="Money and Pensions Service has left the network."
    )
    response = editor.post(change_url(membership), values)
    assert response.status_code == 302, field_errors(response)
    assert PageUpdate.objects.get(note__startswith="Money and Pensions").date == datetime.date(2030, 11, 27)
    assert "Money and Pensions Service has left" not in text_of(get_page())


def test_a_membership_added_through_the_centre_for_a_later_day_is_published_that_day(editor):
    centre = Centre.objects.get(slug="taso")
    values = form_values(editor.get(change_url(centre)))
    values.update(
        {
            "memberships-0-end_date": "2030-09-01",
            "memberships-1-kind": Kind.WHAT_WORKS_CENTRE,
            "memberships-1-start_date": "2030-09-01",
            "memberships-1-position": "10",
            "major_change": "yes",
            "change_note": "TASO is now a What Works Centre.",
        }
    )
    response = editor.post(change_url(centre), values)
    assert response.status_code == 302, field_errors(response)
    assert PageUpdate.objects.get(note="TASO is now a What Works Centre.").date == datetime.date(2030, 9, 1)


def test_staff_cannot_date_a_change_note_after_today(editor):
    update = PageUpdate.objects.first()
    values = form_values(editor.get(change_url(update)))
    values.update(date="2030-01-16")
    errors = field_errors(editor.post(change_url(update), values))
    assert list(errors) == ["date"]
    assert errors["date"][0].startswith("Enter today’s date or an earlier one")
    values.update(date="2030-01-15")
    assert editor.post(change_url(update), values).status_code == 302


def test_a_note_scheduled_by_a_major_change_keeps_its_date_when_reworded(editor):
    centre = Centre.objects.get(slug="money-and-pensions-service")
    run_action(editor, centre, "end", day="2030-11-27")
    update = PageUpdate.objects.get(note="Money and Pensions Service has left the network.")
    values = form_values(editor.get(change_url(update)))
    values.update(note="Money and Pensions Service is leaving the network.")
    assert editor.post(change_url(update), values).status_code == 302
    update.refresh_from_db()
    assert update.date == datetime.date(2030, 11, 27)


def test_the_feed_and_json_show_a_note_from_its_date(editor, client, time_machine):
    centre = Centre.objects.get(slug="money-and-pensions-service")
    run_action(editor, centre, "end", day="2030-02-01")
    note = "Money and Pensions Service has left the network."
    assert note not in client.get(f"{PAGE_URL}.atom").content.decode()
    assert note not in [
        entry["note"] for entry in client.get(f"/api/content{PAGE_URL}").json()["details"]["change_history"]
    ]
    time_machine.move_to(datetime.datetime(2030, 2, 1, 0, 1, tzinfo=ZoneInfo("Europe/London")), tick=False)
    assert note in client.get(f"{PAGE_URL}.atom").content.decode()
    content = client.get(f"/api/content{PAGE_URL}").json()
    assert content["details"]["change_history"][0]["note"] == note
    assert content["public_updated_at"].startswith("2030-02-01")


@pytest.mark.parametrize("where", ["membership", "centre"])
def test_the_end_date_rule_is_written_under_the_field(editor, where):
    membership = Membership.objects.get(centre__slug="youth-endowment-fund")
    obj, field_id = (
        (membership, "id_end_date") if where == "membership" else (membership.centre, "id_memberships-0-end_date")
    )
    soup = parse(editor.get(change_url(obj)))
    help_text = text_of(soup.find(id=f"{field_id}_helptext"))
    assert "The first day the centre no longer holds this membership: its last day is the day before" in help_text
    assert soup.find(id=field_id)["aria-describedby"] == f"{field_id}_helptext"


def test_a_long_change_note_is_kept_whole_in_the_audit_trail(editor):
    centre = Centre.objects.get(slug="youth-endowment-fund")
    note = "Youth Endowment Fund is now a What Works Centre, " + "covering youth offending and violence, " * 5
    _, response = run_action(editor, centre, "change-kind", note=note.strip(), kind=Kind.WHAT_WORKS_CENTRE)
    assert response.status_code == 302
    reason = centre.memberships.get(kind=Kind.WHAT_WORKS_CENTRE).history.latest().history_change_reason
    assert reason == f"Change membership kind. Major change: {note.strip()}"


def test_a_major_change_to_a_membership_not_started_yet_is_published_when_it_starts(editor):
    centre = Centre.objects.create(name="Centre for Evidence in Sport", slug="sport", website="https://sport.example")
    membership = Membership.objects.create(centre=centre, kind=Kind.AFFILIATE, start_date="2030-06-01")
    values = form_values(editor.get(change_url(membership)))
    note = "Centre for Evidence in Sport has joined the network as a What Works Centre."
    values.update(kind=Kind.WHAT_WORKS_CENTRE, major_change="yes", change_note=note)
    response = editor.post(change_url(membership), values)
    assert response.status_code == 302, field_errors(response)
    assert PageUpdate.objects.get(note=note).date == datetime.date(2030, 6, 1)
