"""Every admin change is kept: who changed which fields, and when, viewable in the admin."""

import datetime

from django.core.management import call_command

from centres.models import Centre, Membership, PolicyArea
from network.models import Page, Section
from tests.helpers import change_url, field_errors, form_values, history_url, parse, post_change_form, text_of
from updates.models import PageUpdate

HISTORY_MODELS = [Page, Section, PolicyArea, Centre, Membership, PageUpdate]


def history_rows(client, obj, table_id="change-history"):
    soup = parse(client.get(history_url(obj)))
    return [text_of(row) for row in soup.select(f"#{table_id} tbody tr")]


def cells(row):
    return [text_of(cell) for cell in row.find_all("td")]


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
    assert "editor" in row
    assert "Text after link: — → (hosted by a new university)" in row
    # The version as loaded from the demo is not the editor's: no author, and not "Created".
    assert "As loaded" in first_version
    assert "editor" not in first_version
    assert "Created" not in first_version
    assert centre.history.earliest().history_user is None


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
    assert "End date: — → 1 January 2030" in row
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
    assert "As loaded" in rows[2]


def test_page_and_update_history_open_in_the_admin(staff):
    page = Page.objects.get()
    values = form_values(staff.get(change_url(page)))
    values.update(title="What Works Network (renamed)", major_change="yes", change_note="Renamed the page.")
    assert staff.post(change_url(page), values).status_code == 302
    assert "What Works Network (renamed)" in history_rows(staff, page)[0]
    update = PageUpdate.objects.get(note="Renamed the page.")
    assert "editor" in history_rows(staff, update)[0]


def test_changes_read_in_the_admins_words(staff):
    # A membership that has not started yet, whose kind and policy area may still change.
    membership = Membership.objects.create(
        centre=Centre.objects.get(slug="what-works-centre-for-wellbeing"),
        kind="affiliate",
        policy_area=PolicyArea.objects.get(name="Higher Education"),
        start_date=datetime.date(2099, 1, 1),
    )
    youth_offending = PolicyArea.objects.get(name="Youth offending")
    response = post_change_form(
        staff, membership, kind="centre", policy_area=str(youth_offending.pk), end_date="2100-11-27", major_change="no"
    )
    assert response.status_code == 302, field_errors(response)
    changes = [text_of(li) for li in parse(staff.get(history_url(membership))).select("#change-history tbody tr li")]
    assert sorted(changes) == [
        "End date: — → 27 November 2100",
        "Kind: Affiliate → What Works Centre",
        "Policy area: Higher Education → Youth offending",
    ]


def test_a_centres_history_lists_its_memberships_changes(staff):
    centre = Centre.objects.get(slug="taso")
    promotion = {
        "memberships-0-end_date": "2030-01-01",
        "memberships-1-kind": "centre",
        "memberships-1-start_date": "2030-01-01",
    }
    response = post_change_form(
        staff, centre, major_change="yes", change_note="TASO is now a What Works Centre.", **promotion
    )
    assert response.status_code == 302, field_errors(response)
    soup = parse(staff.get(history_url(centre)))
    assert text_of(soup.select_one("#membership-history")) == "Memberships"
    rows = soup.select("#membership-change-history tbody tr")
    # Newest first: the new membership, its predecessor's end, and that one as loaded.
    assert [cells(row)[2:5] for row in rows] == [
        ["Created", "editor", "Major change: TASO is now a What Works Centre."],
        ["Changed", "editor", "Major change: TASO is now a What Works Centre."],
        ["As loaded", "—", "As loaded, before its first change in the admin"],
    ]
    assert "End date: — → 1 January 2030" in text_of(rows[1])
    assert cells(rows[0])[0].endswith("What Works Centre from 1 January 2030")
    # Each version links to its own page, from which it can be reverted.
    assert staff.get(rows[1].find("a")["href"]).status_code == 200


def test_a_pages_history_lists_its_sections_changes(staff):
    section = Section.objects.get(heading="Introduction")
    assert post_change_form(staff, section, body="A new introduction.", major_change="no").status_code == 302
    rows = history_rows(staff, section.page, table_id="section-change-history")
    assert len(rows) == 2
    assert "Introduction" in rows[0] and "Body:" in rows[0] and "A new introduction." in rows[0]


def test_a_deleted_membership_stays_in_its_centres_history(staff):
    centre = Centre.objects.get(slug="money-and-pensions-service")
    membership = centre.memberships.get()
    response = staff.post(f"/admin/centres/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    rows = history_rows(staff, centre, table_id="membership-change-history")
    assert "Deleted" in rows[0] and "editor" in rows[0]


def test_saving_a_centre_leaves_its_unchanged_memberships_history_alone(staff):
    centre = Centre.objects.get(slug="taso")
    assert post_change_form(staff, centre, text_after_link="(new)", major_change="no").status_code == 302
    assert centre.memberships.get().history.count() == 0
    assert history_rows(staff, centre, table_id="membership-change-history") == []
