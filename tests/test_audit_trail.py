"""Every admin change is kept: who changed which fields, and when, viewable in the admin."""

from django.core.management import call_command

from centres.models import Centre, Membership, PolicyArea
from network.models import Page, Section
from tests.helpers import change_url, field_errors, form_values, parse, text_of
from updates.models import PageUpdate

HISTORY_MODELS = [Page, Section, PolicyArea, Centre, Membership, PageUpdate]


def history_rows(client, obj):
    soup = parse(client.get(f"{change_url(obj).removesuffix('change/')}history/"))
    return [text_of(row) for row in soup.select("#change-history tbody tr")]


def test_loading_the_demo_twice_keeps_no_history(db):
    call_command("loaddata", "demo", verbosity=0)
    call_command("loaddata", "demo", verbosity=0)
    assert {model.__name__: model.history.count() for model in HISTORY_MODELS} == dict.fromkeys(
        (model.__name__ for model in HISTORY_MODELS), 0
    )


def test_a_centre_change_records_who_changed_which_field(staff):
    centre = Centre.objects.get(slug="taso")
    values = form_values(staff.get(change_url(centre)))
    values.update(text_after_link="(hosted by a new university)", major_change="no")
    assert staff.post(change_url(centre), values).status_code == 302
    record = centre.history.latest()
    assert record.history_user.username == "editor"
    assert record.history_change_reason == "Minor change"
    row, first_version = history_rows(staff, centre)
    assert "As it was before its first change" in first_version
    assert "editor" in row
    assert "Text after link: → (hosted by a new university)" in row


def test_memberships_changed_through_the_centre_are_recorded_with_the_change_note(staff):
    centre = Centre.objects.get(slug="taso")
    values = form_values(staff.get(change_url(centre)))
    values.update(
        {"memberships-0-end_date": "2030-01-01", "major_change": "yes", "change_note": "TASO will leave in 2030."}
    )
    response = staff.post(change_url(centre), values)
    assert response.status_code == 302, field_errors(response)
    membership = centre.memberships.get()
    record = membership.history.latest()
    assert record.history_user.username == "editor"
    assert record.history_change_reason == "Major change: TASO will leave in 2030."
    row, _ = history_rows(staff, membership)
    assert "End date: None → 2030-01-01" in row
    assert "editor" in row


def test_page_text_changes_keep_each_version(staff):
    section = Section.objects.get(heading="Introduction")
    old_body = section.body
    for body in ("First rewrite.", "Second rewrite."):
        values = form_values(staff.get(change_url(section)))
        values.update(body=body, major_change="no")
        assert staff.post(change_url(section), values).status_code == 302
    versions = [record.body for record in section.history.order_by("history_date")]
    assert versions == [old_body, "First rewrite.", "Second rewrite."]
    rows = history_rows(staff, section)
    assert len(rows) == 3
    assert "Second rewrite." in rows[0] and "First rewrite." in rows[0]
    assert "First rewrite." in rows[1] and old_body[:30] in rows[1]
    assert "As it was before its first change" in rows[2]


def test_page_and_update_history_open_in_the_admin(staff):
    page = Page.objects.get()
    values = form_values(staff.get(change_url(page)))
    values.update(title="What Works Network (renamed)", major_change="yes", change_note="Renamed the page.")
    assert staff.post(change_url(page), values).status_code == 302
    assert "What Works Network (renamed)" in history_rows(staff, page)[0]
    update = PageUpdate.objects.get(note="Renamed the page.")
    assert "editor" in history_rows(staff, update)[0]
