"""Deleting in the admin says what the public pages and the history lose, and asks for a centre's name."""

import pytest

from centres.models import Centre, Kind, Membership, PolicyArea
from tests.helpers import PAGE_URL, change_url, field_errors, parse, table_rows, text_of


def delete_url(obj):
    return change_url(obj).replace("/change/", "/delete/")


def warning(response):
    return text_of(parse(response).select_one("#deletion-warning"))


def test_deleting_a_centre_warns_what_disappears_and_suggests_ending_it(staff):
    response = staff.get(delete_url(Centre.objects.get(slug="taso")))
    text = warning(response)
    assert "its row in the table of current members" in text
    assert "its place in every year’s counts since 2020" in text
    assert "use “End membership” instead" in text
    assert parse(response).find("input", attrs={"name": "confirm_name"}) is not None


@pytest.mark.parametrize(
    "typed",
    [None, "", "taso", "TASO", "centre for transforming access and student outcomes in higher education (taso)"],
)
def test_a_centre_with_a_record_is_not_deleted_without_its_name(staff, get_page, typed):
    centre = Centre.objects.get(slug="taso")
    values = {"post": "yes"} | ({} if typed is None else {"confirm_name": typed})
    response = staff.post(delete_url(centre), values)
    assert response.status_code == 200
    assert field_errors(response) == {"confirm_name": [f"Type the centre’s name, {centre.name}, to delete it."]}
    assert Centre.objects.filter(slug="taso").exists()
    assert centre.name in [row[1] for row in table_rows(get_page())]


def test_a_centre_is_deleted_once_its_name_is_typed(staff, get_page):
    centre = Centre.objects.get(slug="taso")
    response = staff.post(delete_url(centre), {"post": "yes", "confirm_name": f" {centre.name} "})
    assert response.status_code == 302
    assert not Centre.objects.filter(slug="taso").exists()
    assert len(table_rows(get_page(PAGE_URL))) == 11


def test_a_centre_that_has_not_joined_yet_is_deleted_without_typing(staff):
    centre = Centre.objects.create(name="Centre for Evidence in Sport", slug="sport", website="https://sport.example")
    Membership.objects.create(centre=centre, kind=Kind.AFFILIATE, start_date="2099-01-01")
    response = staff.get(delete_url(centre))
    assert parse(response).find("input", attrs={"name": "confirm_name"}) is None
    assert warning(response) == "What deleting this does Its page, /centres/sport, disappears."
    assert staff.post(delete_url(centre), {"post": "yes"}).status_code == 302
    assert not Centre.objects.filter(slug="sport").exists()


def test_centres_are_not_deleted_in_bulk(staff):
    response = staff.get("/admin/centres/centre/")
    actions = [option["value"] for option in parse(response).select("select[name=action] option")]
    assert "delete_selected" not in actions
    taso = Centre.objects.get(slug="taso")
    staff.post("/admin/centres/centre/", {"action": "delete_selected", "_selected_action": [taso.pk], "post": "yes"})
    assert Centre.objects.filter(pk=taso.pk).exists()


def test_deleting_a_started_membership_warns_about_the_history(staff):
    membership = Membership.objects.get(centre__slug="youth-futures-foundation", kind=Kind.AFFILIATE)
    text = warning(staff.get(delete_url(membership)))
    assert "the counts of every year from 2019 to 2022" in text
    assert "use “End membership” or “Change membership kind” on the centre instead" in text


def test_deleting_a_membership_that_has_not_started(staff):
    centre = Centre.objects.create(name="Centre for Evidence in Sport", slug="sport", website="https://sport.example")
    membership = Membership.objects.create(centre=centre, kind=Kind.AFFILIATE, start_date="2099-01-01")
    text = warning(staff.get(delete_url(membership)))
    assert text.endswith("Centre for Evidence in Sport will no longer start this membership on 1 January 2099.")


def test_deleting_memberships_in_bulk_warns_first(staff):
    pks = list(Membership.objects.filter(centre__slug="taso").values_list("pk", flat=True))
    response = staff.post("/admin/centres/membership/", {"action": "delete_selected", "_selected_action": pks})
    assert "disappear from the public pages and the network’s history" in warning(response)


def test_a_policy_area_in_use_cannot_be_deleted_and_says_why(staff):
    area = PolicyArea.objects.get(slug="higher-education")
    text = warning(staff.get(delete_url(area)))
    assert "Its page, /policy-areas/higher-education, disappears." in text
    assert "Memberships in the record name it, so it cannot be deleted" in text
    staff.post(delete_url(area), {"post": "yes"})
    assert PolicyArea.objects.filter(pk=area.pk).exists()
