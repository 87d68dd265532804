"""Addresses that last: when a page, help page, centre or policy area gets a new slug, its old
addresses answer 301 to the new ones, from the cache's path or not, and the redirects are listed in
the admin."""

import contextlib

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.db import transaction
from django.test import Client, override_settings

from centres.models import Centre, PolicyArea
from network.models import HelpPage, Page
from network.roles import EDITOR
from tests.helpers import (
    CACHING_OFF,
    PAGE_URL,
    SECURITY_HEADERS,
    add_url,
    change_url,
    field_errors,
    form_values,
    history_url,
    parse,
    post_change_form,
    signed_in,
    text_of,
)

REDIRECTS_URL = "/admin/redirects/redirect/"
FORGED_HOST = "attacker.example:6666"
# Each kind of record, one of the demo's, and its public addresses (network/urls.py) made from a slug.
ADDRESSES = {
    Page: (
        "what-works-network",
        ["/guidance/{}", "/guidance/{}.atom", "/guidance/{}/history", "/api/content/guidance/{}"],
    ),
    Centre: ("taso", ["/centres/{}"]),
    PolicyArea: ("youth-employment", ["/policy-areas/{}"]),
    HelpPage: ("cookies", ["/help/{}"]),
}


def rename(client, model, slug, new_slug):
    """Change a record's slug in its admin form, as staff do (a minor change)."""
    response = post_change_form(client, model.objects.get(slug=slug), slug=new_slug, major_change="no")
    assert response.status_code == 302, field_errors(response)


def redirect_of(url, **headers):
    response = Client().get(url, headers=headers)
    assert response.status_code == 301, (url, response.status_code)
    return response["Location"]


def redirects_listed(client):
    """The admin's list of redirects: (from, to) for each row."""
    rows = parse(client.get(REDIRECTS_URL)).select("#result_list tbody tr")
    return sorted(tuple(text_of(cell) for cell in row.select("th, td")[-2:]) for row in rows)


@pytest.mark.parametrize("caching", ["cached", "uncached"])
@pytest.mark.parametrize("model", ADDRESSES, ids=lambda model: model.__name__)
def test_every_old_address_of_a_renamed_record_redirects_to_its_new_one(staff, model, caching):
    slug, patterns = ADDRESSES[model]
    with override_settings(CACHES=CACHING_OFF) if caching == "uncached" else contextlib.nullcontext():
        caches["default"].clear()
        reader = Client()
        etags = {pattern: reader.get(pattern.format(slug))["ETag"] for pattern in patterns}
        if caching == "cached":
            assert all(reader.get(pattern.format(slug)).templates == [] for pattern in patterns)
        rename(staff, model, slug, "renamed")
        for pattern in patterns:
            old, new = pattern.format(slug), pattern.format("renamed")
            assert redirect_of(old) == new
            # A browser's copy of the old page is not current: the answer is the redirect, not 304.
            assert redirect_of(old, **{"If-None-Match": etags[pattern]}) == new
            assert redirect_of(old, **{"If-None-Match": "*"}) == new
            assert reader.head(old).status_code == 301
            assert reader.get(new).status_code == 200
    assert len(redirects_listed(staff)) == len(patterns)


def test_a_redirect_carries_the_security_headers_and_is_kept_by_no_one(staff):
    page = Client().get(PAGE_URL)
    rename(staff, Centre, "taso", "transforming-access")
    response = Client().get("/centres/taso")
    assert response.status_code == 301
    assert {header: response.get(header) for header in SECURITY_HEADERS} == {
        header: page[header] for header in SECURITY_HEADERS
    }
    # A redirect may change (the slug changes again, or back): browsers and proxies ask each time.
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert not response.cookies


def test_renaming_twice_leaves_no_chain(staff):
    rename(staff, Centre, "taso", "taso-2")
    rename(staff, Centre, "taso-2", "taso-3")
    assert redirect_of("/centres/taso") == "/centres/taso-3"
    assert redirect_of("/centres/taso-2") == "/centres/taso-3"
    assert redirects_listed(staff) == [("/centres/taso", "/centres/taso-3"), ("/centres/taso-2", "/centres/taso-3")]


def test_renaming_back_makes_the_old_address_live_again(staff):
    rename(staff, PolicyArea, "youth-employment", "employment")
    rename(staff, PolicyArea, "employment", "youth-employment")
    assert Client().get("/policy-areas/youth-employment").status_code == 200
    assert redirect_of("/policy-areas/employment") == "/policy-areas/youth-employment"
    assert redirects_listed(staff) == [("/policy-areas/employment", "/policy-areas/youth-employment")]


def test_reverting_the_slug_in_history_redirects_the_other_way(staff):
    page = Page.objects.get(slug="what-works-network")
    rename(staff, Page, "what-works-network", "the-network")
    as_loaded = page.history.earliest()
    url = f"{history_url(page)}{as_loaded.history_id}/"
    values = form_values(staff.get(url))
    values["major_change"] = "no"
    response = staff.post(url, values)
    assert response.status_code == 302, field_errors(response)
    assert Client().get(f"{PAGE_URL}.atom").status_code == 200
    assert redirect_of("/guidance/the-network.atom") == f"{PAGE_URL}.atom"
    assert redirect_of("/api/content/guidance/the-network") == f"/api/content{PAGE_URL}"


def test_a_slug_changed_outside_the_admin_redirects_too(demo):
    # As publishing a draft does: an ordinary save, in a transaction.
    with transaction.atomic():
        centre = Centre.objects.get(slug="taso")
        centre.slug = "transforming-access"
        centre.save()
    assert redirect_of("/centres/taso") == "/centres/transforming-access"


def test_a_new_record_at_an_old_address_takes_it_over(staff):
    rename(staff, PolicyArea, "youth-employment", "employment")
    values = form_values(staff.get(add_url(PolicyArea)))
    values.update(name="Youth work", slug="youth-employment", major_change="no")
    response = staff.post(add_url(PolicyArea), values)
    assert response.status_code == 302, field_errors(response)
    assert "Youth work" in text_of(parse(Client().get("/policy-areas/youth-employment")).find("h1"))
    assert redirects_listed(staff) == []


def test_deleting_a_record_deletes_the_redirects_to_it(staff):
    centre = Centre.objects.create(name="Centre for Evidence in Sport", slug="sport", website="https://sport.example")
    rename(staff, Centre, "sport", "evidence-in-sport")
    assert redirect_of("/centres/sport") == "/centres/evidence-in-sport"
    response = staff.post(change_url(centre).replace("/change/", "/delete/"), {"post": "yes"})
    assert response.status_code == 302
    # Its old address answers as its own does, rather than leading to a missing page.
    assert Client().get("/centres/sport").status_code == 404
    assert Client().get("/centres/evidence-in-sport").status_code == 404
    assert redirects_listed(staff) == []


def test_a_forged_host_at_an_old_address_gets_400(staff):
    rename(staff, Centre, "taso", "transforming-access")
    reader = Client()
    for _ in range(2):  # the second time, the new address is in the cache
        assert reader.get("/centres/transforming-access").status_code == 200
        response = reader.get("/centres/taso", headers={"Host": FORGED_HOST})
        assert response.status_code == 400
        assert b"attacker" not in response.content
        assert "Location" not in response


def test_a_slug_is_short_enough_for_the_redirects_from_its_addresses(staff):
    longest = "a" * 170
    rename(staff, Page, "what-works-network", longest)
    assert redirect_of(f"/api/content{PAGE_URL}") == f"/api/content/guidance/{longest}"
    page = Page.objects.get(slug=longest)
    response = post_change_form(staff, page, slug="a" * 171, major_change="no")
    assert field_errors(response) == {"slug": ["The slug must be 170 characters or fewer."]}


@pytest.fixture
def editor_client(demo):
    user = User.objects.create_user("editor", password="a long passphrase for tests", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return signed_in(user)


def test_editors_read_the_redirects_among_the_content_and_change_none(editor_client):
    centre = Centre.objects.get(slug="taso")  # renamed by a publisher: editors change content in drafts
    centre.slug = "transforming-access"
    centre.save()
    index = parse(editor_client.get("/admin/"))
    content = [text_of(th) for th in index.select("#content-main .module th[scope=row]")]
    assert content[-3:] == [
        "Redirects",
        "Feedback",
        "Checked links",
    ]  # after the content: then feedback and link checks
    assert redirects_listed(editor_client) == [("/centres/taso", "/centres/transforming-access")]
    assert editor_client.get(f"{REDIRECTS_URL}add/").status_code == 403
    redirect_url = parse(editor_client.get(REDIRECTS_URL)).select_one("#result_list tbody a")["href"]
    assert editor_client.get(redirect_url).status_code == 200
    assert editor_client.post(redirect_url.replace("/change/", "/delete/"), {"post": "yes"}).status_code == 403
    assert redirect_of("/centres/taso") == "/centres/transforming-access"
