"""The admin's messages: one banner per save, an error summary linking to each field, errors that say what to type."""

import pytest

from centres.models import Centre, Kind, Membership, PolicyArea
from network.models import Page
from tests.helpers import (
    add_url,
    admin_messages,
    change_url,
    field_errors,
    form_values,
    parse,
    post_change_form,
    text_of,
)
from updates.models import PageUpdate

URL_MESSAGE = "Enter a web address starting https:// or http://."
DATE_MESSAGE = "Enter a date like 1 December 2026 or 2026-12-01."


def test_adding_a_policy_area_from_a_pop_up_asks_nothing_and_publishes_nothing(staff):
    url = f"{add_url(PolicyArea)}?_to_field=id&_popup=1"
    form = parse(staff.get(url)).select_one("#content-main form")
    assert form.find(attrs={"name": "major_change"}) is None
    assert form.find(attrs={"name": "change_note"}) is None
    notes = PageUpdate.objects.count()
    values = form_values(staff.get(url))
    values.update(name="Public policy in Wales", slug="public-policy-in-wales")
    response = staff.post(url, values)
    assert response.status_code == 200, field_errors(response)
    assert b"popup_response" in response.content
    area = PolicyArea.objects.get(slug="public-policy-in-wales")
    assert area.history.get().history_change_reason == "Minor change"
    assert PageUpdate.objects.count() == notes


def test_changing_a_policy_area_from_a_pop_up_still_asks(staff):
    area = PolicyArea.objects.get(name="Homelessness")
    form = parse(staff.get(f"{change_url(area)}?_to_field=id&_popup=1")).select_one("#content-main form")
    assert form.find(attrs={"name": "major_change"}) is not None


def test_a_major_change_has_one_banner_naming_its_note(staff):
    centre = Centre.objects.get(slug="taso")
    post_change_form(staff, centre, text_after_link="(new)", major_change="yes", change_note="TASO moved.")
    (banner,) = admin_messages(staff.get(change_url(centre)))
    assert banner.startswith("The centre “")
    assert "was changed successfully." in banner
    assert banner.endswith("Its change note “TASO moved.” was published on “What Works Network”.")


def test_a_minor_change_has_one_banner(staff):
    centre = Centre.objects.get(slug="taso")
    post_change_form(staff, centre, text_after_link="(hosted by a new university)", major_change="no")
    (banner,) = admin_messages(staff.get(change_url(centre)))
    assert "was changed successfully." in banner
    assert "change note" not in banner


def test_a_major_change_no_page_shows_is_one_warning(staff):
    Page.objects.get().sections.update(body="No placeholders.")
    centre = Centre.objects.get(slug="taso")
    post_change_form(staff, centre, text_after_link="(x)", major_change="yes", change_note="TASO moved.")
    response = staff.get(change_url(centre))
    assert [li["class"] for li in parse(response).select(".messagelist li")] == [["warning"]]
    assert admin_messages(response)[0].endswith("No page shows it, so its change note was not published anywhere.")


def test_the_error_summary_links_to_each_field_with_an_error(staff):
    centre = Centre.objects.get(slug="taso")
    values = form_values(staff.get(change_url(centre)))
    values.update(
        {
            "name": "",
            "website": "not a web address",
            "memberships-1-kind": Kind.WHAT_WORKS_CENTRE,
            "memberships-1-start_date": "2021-01-01",
            "major_change": "yes",
            "change_note": "",
        }
    )
    response = staff.post(change_url(centre), values)
    soup = parse(response)
    assert text_of(soup.select_one(".govuk-error-summary__title")) == "There is a problem"
    assert soup.select_one(".govuk-error-summary [role=alert]") is not None
    links = [(text_of(a), a["href"]) for a in soup.select(".govuk-error-summary__list a")]
    assert links == [
        ("Name: This field is required.", "#id_name"),
        (f"Website: {URL_MESSAGE}", "#id_website"),
        ("Change note: Enter a change note: a major change is published with one.", "#id_change_note"),
        (
            "Membership 2, Start date: This overlaps the centre's Affiliate from 1 March 2020 membership. "
            "A centre holds one membership at a time: end the other one first, on or before this one's start date.",
            "#id_memberships-1-start_date",
        ),
    ]
    for _, href in links:
        assert soup.find(id=href.removeprefix("#")) is not None, href
    assert soup.title.text.startswith("Error:")
    # The summary replaces the admin's own note, which named no field.
    assert "Please correct the error" not in text_of(soup)


@pytest.mark.parametrize("website", ["not a web address", "ftp://files.example.org", "javascript:alert(1)"])
def test_a_web_address_error_says_what_is_allowed(staff, website):
    response = post_change_form(staff, Centre.objects.get(slug="taso"), website=website, major_change="no")
    assert field_errors(response) == {"website": [URL_MESSAGE]}


def test_the_publishers_address_error_says_what_is_allowed(staff):
    response = post_change_form(staff, Page.objects.get(), organisation_url="gov uk", major_change="no")
    assert field_errors(response) == {"organisation_url": [URL_MESSAGE]}


def test_a_web_address_without_a_scheme_is_taken_as_https(staff):
    centre = Centre.objects.get(slug="taso")
    assert post_change_form(staff, centre, website="taso.example.org", major_change="no").status_code == 302
    centre.refresh_from_db()
    assert centre.website == "https://taso.example.org"


@pytest.mark.parametrize("typed", ["1 December 2099", "2099-12-01", "1 Dec 2099", "01/12/2099"])
def test_dates_may_be_written_out_or_as_numbers(staff, typed):
    centre = Centre.objects.get(slug="what-works-centre-for-wellbeing")
    values = form_values(staff.get(add_url(Membership)))
    values.update(centre=str(centre.pk), kind=Kind.AFFILIATE, start_date=typed, major_change="no")
    response = staff.post(add_url(Membership), values)
    assert response.status_code == 302, field_errors(response)
    assert centre.memberships.latest("start_date").start_date.isoformat() == "2099-12-01"


@pytest.mark.parametrize("typed", ["31/31/2020", "December 2026", "tomorrow"])
def test_a_date_error_gives_an_example(staff, typed):
    response = post_change_form(staff, Membership.objects.get(centre__slug="taso"), end_date=typed, major_change="no")
    assert field_errors(response) == {"end_date": [DATE_MESSAGE]}


def test_a_date_error_in_an_inline_and_on_a_page_update_gives_the_example(staff):
    centre = Centre.objects.get(slug="taso")
    response = post_change_form(staff, centre, major_change="no", **{"memberships-0-end_date": "next week"})
    assert field_errors(response) == {"memberships-0-end_date": [DATE_MESSAGE]}
    response = post_change_form(staff, PageUpdate.objects.get(note="Updated links"), date="21.11.2015")
    assert field_errors(response) == {"date": [DATE_MESSAGE]}


def test_date_fields_show_dates_in_the_form_they_accept(staff):
    membership = Membership.objects.get(centre__slug="taso")
    assert form_values(staff.get(change_url(membership)))["start_date"] == "2020-03-01"


def test_adding_a_centre_from_a_pop_up_still_asks(staff):
    # Its memberships, added with it, are public as soon as it is saved.
    form = parse(staff.get(f"{add_url(Centre)}?_to_field=id&_popup=1")).select_one("#content-main form")
    assert form.find(attrs={"name": "major_change"}) is not None
