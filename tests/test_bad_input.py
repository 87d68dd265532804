"""Bad input gets a clear answer and loses nothing: form errors on the field, fixtures all or nothing,
404 for unknown addresses, 400 for a forged host, and error pages in the site's style."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from centres.models import Centre, Membership, PolicyArea
from feedback.models import Feedback
from network.models import Page, Section
from tests.helpers import PAGE_URL, PUBLIC_URLS, add_url, field_errors, form_values, parse, text_of
from updates.models import PageUpdate

CONTENT_MODELS = [Page, Section, Centre, PolicyArea, Membership, PageUpdate]


def snapshot():
    """Every content record, as the database holds it."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in CONTENT_MODELS}


@pytest.mark.parametrize(
    "model, changes, field",
    [
        (
            Centre,
            {"name": "Centre for Ageing Better", "slug": "ageing-better-2", "website": "https://a.example"},
            "name",
        ),
        (Centre, {"name": "New centre", "slug": "nice", "website": "https://a.example"}, "slug"),
        (PolicyArea, {"name": "Homelessness", "slug": "homelessness-2"}, "name"),
        (PolicyArea, {"name": "Health", "slug": "homelessness"}, "slug"),
        (Section, {"heading": "Introduction", "body": "Text.", "position": "9"}, "heading"),
        (PageUpdate, {"date": "2013-03-04", "note": "First published."}, "note"),
    ],
)
def test_a_duplicate_is_refused_on_the_field_that_repeats(admin_client, demo, model, changes, field):
    values = form_values(admin_client.get(add_url(model)))
    if "page" in values:
        values["page"] = str(Page.objects.get().pk)
    values.update(changes)
    count = model.objects.count()
    values["major_change"] = "no"  # a minor change: no change note
    response = admin_client.post(add_url(model), values)
    assert response.status_code == 200
    assert list(field_errors(response)) == [field]
    assert model.objects.count() == count


def test_a_membership_starting_on_the_same_day_as_another_is_refused_on_the_start_date(admin_client, demo):
    existing = Membership.objects.get(centre__slug="taso")
    values = form_values(admin_client.get(add_url(Membership)))
    values.update({"centre": str(existing.centre.pk), "kind": "centre", "start_date": existing.start_date.isoformat()})
    values["major_change"] = "no"
    response = admin_client.post(add_url(Membership), values)
    assert list(field_errors(response)) == ["start_date"]


def write_fixture(tmp_path, text):
    path = tmp_path / "fixture.json"
    path.write_text(text)
    return path


NEW_CENTRE = {"model": "centres.centre", "fields": {"name": "New", "slug": "new", "website": "https://new.example"}}


def membership_record(**fields):
    return {
        "model": "centres.membership",
        "fields": {"centre": ["new"], "kind": "centre", "position": 0, "start_date": "2020-01-01", **fields},
    }


@pytest.mark.parametrize(
    "records, rule",
    [
        ([NEW_CENTRE, membership_record(end_date="2019-01-01")], "membership_ends_after_it_starts"),
        (
            [{**NEW_CENTRE, "fields": {**NEW_CENTRE["fields"], "website": "javascript:alert(1)"}}],
            "centre_website_is_http",
        ),
        ([NEW_CENTRE, membership_record(start_date="not a date")], "not a date"),
    ],
)
def test_an_invalid_record_fails_the_whole_fixture_naming_the_rule(demo, tmp_path, records, rule):
    before = snapshot()
    with pytest.raises(Exception) as failure:
        call_command("loaddata", write_fixture(tmp_path, json.dumps(records)), verbosity=0)
    assert rule in str(failure.value)
    assert snapshot() == before
    assert not Centre.objects.filter(slug="new").exists()


def with_unknown_slug(url):
    return re.sub(r"/(guidance|centres|policy-areas|help)/[a-z0-9-]+", r"/\1/no-such-page", url)


@pytest.mark.parametrize("url", sorted({with_unknown_slug(url) for url in PUBLIC_URLS}))
def test_unknown_slugs_are_not_found(client, demo, url):
    response = client.get(url)
    assert response.status_code == 404
    soup = parse(response)
    assert text_of(soup.find("h1")) == "Page not found"
    assert soup.select_one("header.govuk-template__header")


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_nul_character_in_a_public_address_is_not_found(client, demo, url):
    assert client.get(f"{url}%00").status_code == 404


@pytest.mark.parametrize("model, field", [(Page, "title"), (Centre, "name"), (PageUpdate, "note"), (Feedback, "path")])
@pytest.mark.parametrize("query", ["q=%00", "{field}=%00", "{field}__startswith=a%00b", "{field}%00=a"])
def test_a_nul_character_in_an_admin_lists_address_is_a_bad_request(admin_client, demo, model, field, query):
    """Not a server error on PostgreSQL, which cannot compare text holding one."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = admin_client.get(f"{url}?{query.format(field=field)}")
    assert response.status_code == 400
    assert text_of(parse(response).find("h1")) == "Sorry, there is a problem"
    assert admin_client.get(f"{url}?q=a").status_code == 200


def test_an_unknown_address_is_not_found(client, db):
    assert client.get("/guidance/what-works-network/no-such-part").status_code == 404


def test_a_refused_permission_gets_the_sites_403_page(client, demo):
    client.force_login(User.objects.create_user("reader", password="a long passphrase", is_staff=True))
    response = client.get("/admin/auth/user/add/")
    assert response.status_code == 403
    soup = parse(response)
    assert text_of(soup.find("h1")) == "You do not have permission to see this page"
    assert soup.select_one("header.govuk-template__header")


def test_a_form_without_its_csrf_token_gets_a_clear_page(demo):
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    soup = parse(response)
    assert text_of(soup.find("h1")) == "Sorry, your form could not be sent"
    assert "Nothing you entered was saved" in text_of(soup.find("main"))


def test_a_forged_host_header_is_refused(client, demo):
    response = client.get(PAGE_URL, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert text_of(parse(response).find("h1")) == "Sorry, there is a problem"


def test_the_server_error_page_needs_no_database_or_request_context():
    """No `db` fixture: any query here would fail the test."""
    response = server_error(RequestFactory().get(PAGE_URL))
    assert response.status_code == 500
    soup = parse(response)
    assert text_of(soup.find("h1")) == "Sorry, there is a problem with the service"
    assert soup.select_one("header.govuk-template__header")
    assert soup.find("link", rel="stylesheet")["href"].startswith("/static/")
