"""Whole-page caching: every kind of change shows at once. (A page from the cache costs one query: tests/test_queries.py.)"""

import datetime
import json

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from centres.models import Centre, Kind, Membership
from network.models import ContentVersion, Page
from tests.helpers import (
    CACHING_OFF,
    PAGE_URL,
    PUBLIC_URLS,
    change_url,
    form_values,
    parse,
    signed_in_superuser,
    table_rows,
    text_of,
)

NEW_TITLE = "What Works Network, revised"


def heading(client, url=PAGE_URL):
    return text_of(parse(client.get(url)).find("h1"))


def save_through_the_model(client):
    page = Page.objects.get()
    page.title = NEW_TITLE
    page.save()


def update_a_queryset(client):
    Page.objects.update(title=NEW_TITLE)


def run_raw_sql(client):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE network_page SET title = %s", [NEW_TITLE])


def load_a_fixture(client, tmp_path):
    fixture = tmp_path / "page.json"
    call_command("dumpdata", "network.page", natural_primary=True, output=str(fixture), verbosity=0)
    records = json.loads(fixture.read_text())
    records[0]["fields"]["title"] = NEW_TITLE
    fixture.write_text(json.dumps(records))
    call_command("loaddata", str(fixture), verbosity=0)


def save_in_the_admin(client):
    """A staff member's own save, then the public page in the same browser."""
    signed_in_superuser(client, User)
    page = Page.objects.get()
    values = form_values(client.get(change_url(page)))
    values["title"] = NEW_TITLE
    values["major_change"] = "no"
    assert client.post(change_url(page), values).status_code == 302


@pytest.mark.parametrize(
    "change", [save_through_the_model, update_a_queryset, run_raw_sql, load_a_fixture, save_in_the_admin]
)
def test_a_change_shows_on_the_next_request(client, demo, change, tmp_path):
    assert heading(client) == "What Works Network"
    assert heading(client) == "What Works Network"  # now from the cache
    if change is load_a_fixture:
        change(client, tmp_path)
    else:
        change(client)
    assert heading(client) == NEW_TITLE


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_conditional_request_gets_304_without_rendering(client, demo, url, django_assert_max_num_queries):
    first = client.get(url)
    assert "no-cache" in first["Cache-Control"]
    with django_assert_max_num_queries(1):
        repeat = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert repeat.status_code == 304
    assert repeat.templates == []
    assert repeat.content == b""
    assert repeat["ETag"] == first["ETag"]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_change_gives_a_new_etag_and_a_full_response(client, demo, url):
    first = client.get(url)
    Centre.objects.filter(slug="taso").update(text_after_link="(renamed)")
    repeat = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert repeat.status_code == 200
    assert repeat["ETag"] != first["ETag"]


def test_a_scheduled_membership_date_takes_effect_on_its_day(client, demo):
    day = datetime.date(2030, 6, 1)
    centre = Centre.objects.create(name="Centre of Tomorrow", slug="tomorrow", website="https://tomorrow.example")
    Membership.objects.create(centre=centre, kind=Kind.ASSOCIATE, start_date=day)
    Membership.objects.filter(centre__slug="taso", end_date=None).update(end_date=day)
    local = timezone.get_current_timezone()
    with time_machine.travel(datetime.datetime(2030, 5, 31, 23, 59, tzinfo=local), tick=False):
        names = [row[1] for row in table_rows(parse(client.get(PAGE_URL)))]
        assert "Centre of Tomorrow" not in names
        assert "Centre for Transforming Access and Student Outcomes in Higher Education (TASO)" in names
    with time_machine.travel(datetime.datetime(2030, 6, 1, 0, 1, tzinfo=local), tick=False):
        names = [row[1] for row in table_rows(parse(client.get(PAGE_URL)))]
        assert "Centre of Tomorrow" in names
        assert "Centre for Transforming Access and Student Outcomes in Higher Education (TASO)" not in names


def test_dummy_cache_turns_page_caching_off(client, demo):
    with override_settings(CACHES=CACHING_OFF):
        client.get(PAGE_URL)
        repeat = client.get(PAGE_URL)
    assert "network/guidance_page.html" in [template.name for template in repeat.templates]  # rendered again


def test_pages_are_shared_through_redis(client, demo, redis_cache, django_assert_max_num_queries):
    first = client.get(PAGE_URL)
    assert redis_cache.keys("page:*")
    with django_assert_max_num_queries(1):
        repeat = client.get(PAGE_URL)
    assert repeat.templates == []
    assert repeat.content == first.content
    Page.objects.update(title=NEW_TITLE)
    assert heading(client) == NEW_TITLE


def test_pages_are_served_while_redis_is_down(client, demo):
    unreachable = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    with override_settings(CACHES={"default": unreachable}):
        assert heading(client) == "What Works Network"


def test_a_request_that_requires_another_version_is_refused(client, demo):
    """If-Match names the version an edit was based on: a page since changed answers 412."""
    first = client.get(PAGE_URL)
    assert client.get(PAGE_URL, headers={"If-Match": first["ETag"]}).status_code == 200
    Page.objects.update(title=NEW_TITLE)
    assert client.get(PAGE_URL, headers={"If-Match": first["ETag"]}).status_code == 412


def test_the_content_version_reads_alike_whether_or_not_queries_are_watched(demo):
    """Unwatched, it is read on the driver's own cursor; watched, through Django's, and counted."""
    expected = ContentVersion.objects.values_list("token", flat=True).get()
    assert ContentVersion.objects.token() == expected
    with CaptureQueriesContext(connection) as watched:
        assert ContentVersion.objects.token() == expected
    assert len(watched) == 1


def test_a_database_error_reading_the_content_version_is_djangos(db):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE network_contentversion RENAME TO network_contentversion_gone")
    with pytest.raises(DatabaseError):
        ContentVersion.objects.token()


MISSING_URLS = ["/guidance/nowhere", "/guidance/nowhere.atom", "/api/content/guidance/nowhere", "/centres/nowhere"]


@pytest.mark.parametrize("condition", [{"If-None-Match": "*"}, {"If-Match": "*"}, {"If-Match": '"any-version"'}])
def test_a_conditional_request_for_a_missing_page_gets_404(client, demo, condition):
    first = client.get(PAGE_URL)  # a page in the cache, whose ETag a request could name
    for url in MISSING_URLS:
        assert client.get(url, headers=condition).status_code == 404, url
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 404, url


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_options_names_the_methods_without_building_the_page(client, demo, url, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.options(url)
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.content == b""
    assert response.templates == []


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_other_methods_are_not_allowed_on_a_public_page(client, demo, url):
    response = client.post(url, {"title": "posted"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_query_strings_add_no_cache_entries(client, demo, redis_cache):
    etags = {url: client.get(url)["ETag"] for url in PUBLIC_URLS}
    entries = redis_cache.keys("page:*")
    assert len(entries) == len(PUBLIC_URLS)
    for number in range(1000):
        url = PUBLIC_URLS[number % len(PUBLIC_URLS)]
        response = client.get(f"{url}?q={number}&utm_source=feed{number}")
        assert response.status_code == 200
        assert response["ETag"] == etags[url]
        assert response.templates == []  # the page's one entry
    assert sorted(redis_cache.keys("page:*")) == sorted(entries)
    # A new version replaces each page's entry rather than adding one.
    Page.objects.update(title=NEW_TITLE)
    for url in PUBLIC_URLS:
        assert client.get(f"{url}?after=change")["ETag"] != etags[url]
    assert sorted(redis_cache.keys("page:*")) == sorted(entries)


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_cache_seconds_lets_proxies_keep_public_pages(client, demo, url, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    noon = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(noon, tick=False):
        built = client.get(url)
        cached = client.get(url)
        not_modified = client.get(url, headers={"If-None-Match": built["ETag"]})
    assert cached.templates == []
    for response in (built, cached, not_modified):
        assert cache_control(response) == {"public", "max-age=300"}
    # Never kept past midnight, when memberships change.
    with time_machine.travel(noon.replace(hour=23, minute=59, second=30), tick=False):
        assert cache_control(client.get(url)) == {"public", "max-age=30"}


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_by_default_public_pages_are_asked_for_every_time(client, demo, url):
    response = client.get(url)
    assert response["Cache-Control"] == "no-cache"
    assert response["ETag"]


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/centres/nowhere", "/", "/healthz"])
def test_everything_else_is_private_and_never_stored(client, demo, settings, url):
    settings.PUBLIC_CACHE_SECONDS = 300
    response = client.get(url)
    assert {"private", "no-store"} <= cache_control(response), response["Cache-Control"]
    assert "public" not in cache_control(response)
