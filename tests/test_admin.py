"""Staff edit everything in the admin; the public page shows it on the next request."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from centres.models import Centre, Kind, Membership, PolicyArea
from network.models import Page, Section
from tests.helpers import (
    PAGE_URL,
    add_url,
    change_url,
    field_errors,
    form_values,
    network_sentence,
    parse,
    table_rows,
    text_of,
)
from updates.models import PageUpdate

ADMIN_PAGES = [
    "/admin/",
    "/admin/centres/centre/",
    "/admin/centres/membership/",
    "/admin/centres/policyarea/",
    "/admin/network/page/",
    "/admin/network/section/",
    "/admin/updates/pageupdate/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_non_staff_users_are_sent_to_log_in(client, db):
    client.force_login(User.objects.create_user("reader", password="a long passphrase"))
    response = client.get("/admin/centres/centre/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_list_pages_open_for_staff(staff, url):
    assert staff.get(url).status_code == 200


@pytest.mark.parametrize(
    "url, expected, absent",
    [
        ("/admin/centres/centre/?q=youth", "Youth Endowment Fund", "Centre for Ageing Better"),
        ("/admin/centres/centre/?current_kind=affiliate", "Money and Pensions Service", "Centre for Ageing Better"),
        ("/admin/centres/centre/?current_kind=none", "What Works Centre for Wellbeing", "Centre for Ageing Better"),
        ("/admin/centres/membership/?status=ended", "What Works Centre for Wellbeing", "Centre for Ageing Better"),
        ("/admin/centres/membership/?kind__exact=associate", "What Works Scotland", "Centre for Ageing Better"),
        ("/admin/updates/pageupdate/?q=Strategy", "The What Works Network Strategy", "First published"),
        ("/admin/network/section/?q=secretariat", "The What Works Network", "More information on What Works"),
    ],
)
def test_list_pages_search_and_filter(staff, url, expected, absent):
    response = staff.get(url)
    results = text_of(parse(response).select_one("#result_list"))
    assert expected in results
    assert absent not in results


def test_view_on_site_leads_to_the_public_page(staff):
    page = Page.objects.get(slug="what-works-network")
    response = staff.get(change_url(page))
    assert b"View on site" in response.content
    redirect = staff.get(f"/admin/r/{ContentType.objects.get_for_model(Page).pk}/{page.pk}/")
    assert redirect["Location"] == f"http://testserver{PAGE_URL}"  # the site's own host (SITE_URL), not example.com


def test_editing_the_page_text_shows_on_the_next_request(staff, get_page):
    page = Page.objects.get(slug="what-works-network")
    values = form_values(staff.get(change_url(page)))
    values["major_change"] = "no"  # a minor change: no change note
    values["title"] = "The What Works Network"
    section_field = next(key for key, value in values.items() if key.endswith("-heading") and value == "Introduction")
    values[section_field.replace("-heading", "-body")] = "A new introduction with [a link](https://example.org)."
    response = staff.post(change_url(page), values)
    assert response.status_code == 302, field_errors(response)
    soup = get_page()
    assert text_of(soup.find("h1")) == "The What Works Network"
    intro = soup.find(id="introduction").find_next_sibling("p")
    assert text_of(intro) == "A new introduction with a link."
    assert intro.find("a")["href"] == "https://example.org"


def test_adding_an_affiliate_centre_with_its_membership(staff, get_page):
    response = staff.get(add_url(Centre))
    values = form_values(response)
    area = PolicyArea.objects.get(name="Youth offending")
    values.update(
        {
            "name": "Centre for Evidence in Sport",
            "slug": "evidence-in-sport",
            "website": "https://sport.example.org",
            "text_after_link": "(hosted by a university)",
            "memberships-0-kind": Kind.AFFILIATE,
            "memberships-0-policy_area": str(area.pk),
            "memberships-0-start_date": timezone.localdate().isoformat(),
            "memberships-0-position": "4",
            "major_change": "no",
        }
    )
    response = staff.post(add_url(Centre), values)
    assert response.status_code == 302, field_errors(response)
    soup = get_page()
    assert network_sentence(soup) == "9 independent What Works Centres and 4 affiliate members"
    assert table_rows(soup)[-1] == (
        "Affiliate:",
        "Centre for Evidence in Sport",
        "https://sport.example.org",
        "(hosted by a university)",
        "Youth offending",
    )


def test_promoting_an_affiliate_in_one_save(staff, get_page):
    """End the affiliate membership and start a What Works Centre one on the same day, in one form."""
    centre = Centre.objects.get(slug="taso")
    values = form_values(staff.get(change_url(centre)))
    values["major_change"] = "no"  # a minor change: no change note
    today = timezone.localdate().isoformat()
    values["memberships-0-end_date"] = today
    values.update(
        {
            "memberships-1-kind": Kind.WHAT_WORKS_CENTRE,
            "memberships-1-start_date": today,
            "memberships-1-position": "10",
            "memberships-1-policy_area": values["memberships-0-policy_area"],
        }
    )
    response = staff.post(change_url(centre), values)
    assert response.status_code == 302, field_errors(response)
    assert network_sentence(get_page()) == "10 independent What Works Centres and 2 affiliate members"


def test_overlapping_memberships_in_the_form_are_refused_on_the_field(staff):
    centre = Centre.objects.get(slug="taso")
    values = form_values(staff.get(change_url(centre)))
    values["major_change"] = "no"  # a minor change: no change note
    values.update({"memberships-1-kind": Kind.WHAT_WORKS_CENTRE, "memberships-1-start_date": "2021-01-01"})
    response = staff.post(change_url(centre), values)
    assert response.status_code == 200
    errors = field_errors(response)
    assert list(errors) == ["memberships-1-start_date"]
    assert "overlaps the centre's Affiliate from 1 March 2020 membership" in errors["memberships-1-start_date"][0]
    assert centre.memberships.count() == 1


def test_an_end_before_the_start_is_refused_on_the_end_date(staff):
    centre = Centre.objects.get(slug="taso")
    values = form_values(staff.get(change_url(centre)))
    values["major_change"] = "no"  # a minor change: no change note
    values["memberships-0-end_date"] = "2019-01-01"
    response = staff.post(change_url(centre), values)
    assert field_errors(response) == {"memberships-0-end_date": ["The end date must be after the start date."]}
    assert centre.memberships.get().end_date is None


def test_a_single_membership_form_checks_the_centres_other_memberships(staff):
    centre = Centre.objects.get(slug="youth-futures-foundation")
    values = form_values(staff.get(add_url(Membership)))
    values["major_change"] = "no"  # a minor change: no change note
    values.update(
        {
            "centre": str(centre.pk),
            "kind": Kind.ASSOCIATE,
            "start_date": "2020-01-01",
            "end_date": "2021-01-01",
            "position": "0",
        }
    )
    response = staff.post(add_url(Membership), values)
    errors = field_errors(response)
    assert list(errors) == ["start_date"]
    assert "Affiliate from 1 October 2019 to 14 June 2022" in errors["start_date"][0]


def test_an_unknown_placeholder_is_refused_in_the_page_form(staff):
    page = Page.objects.get(slug="what-works-network")
    values = form_values(staff.get(change_url(page)))
    values["major_change"] = "no"  # a minor change: no change note
    body_field = next(key for key in values if key.endswith("-body") and "{network_members}" in values[key])
    values[body_field] = values[body_field].replace("{network_members}", "{network_size}")
    response = staff.post(change_url(page), values)
    errors = field_errors(response)
    assert list(errors) == [body_field]
    assert "{network_size}" in errors[body_field][0]
    assert "{network_members}" in Section.objects.get(heading="The What Works Network").body


def test_correcting_an_update_in_the_admin(staff, get_page):
    update = PageUpdate.objects.get(note="Updated links")
    values = form_values(staff.get(change_url(update)))
    values.update({"note": "Updated links to the centres' websites.", "date": "2015-11-21"})
    response = staff.post(change_url(update), values)
    assert response.status_code == 302, field_errors(response)
    items = [text_of(li) for li in get_page().select("#full-history li")]
    assert "21 November 2015 Updated links to the centres' websites." in items
    assert not any(item.endswith("Updated links") for item in items)


def test_adding_a_policy_area_and_using_it(staff, get_page):
    values = form_values(staff.get(add_url(PolicyArea)))
    values.update({"name": "Public policy in Wales", "slug": "public-policy-in-wales", "major_change": "no"})
    assert staff.post(add_url(PolicyArea), values).status_code == 302
    Membership.objects.filter(centre__slug="wales-centre-for-public-policy", end_date=None).update(
        policy_area=PolicyArea.objects.get(slug="public-policy-in-wales")
    )
    row = next(row for row in table_rows(get_page()) if row[1] == "Wales Centre for Public Policy")
    assert row[4] == "Public policy in Wales"


def test_ending_a_membership_in_the_future_keeps_it_until_then(staff, get_page):
    membership = Membership.objects.get(centre__slug="money-and-pensions-service")
    values = form_values(staff.get(change_url(membership)))
    values["major_change"] = "no"  # a minor change: no change note
    values["end_date"] = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert staff.post(change_url(membership), values).status_code == 302
    assert network_sentence(get_page()) == "9 independent What Works Centres and 3 affiliate members"
