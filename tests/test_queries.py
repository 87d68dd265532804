"""Every public page runs a fixed, small number of queries, however long the history or large the
network, and a page from the cache costs one query."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from links.models import CheckedLink
from network.models import Page
from tests.helpers import (
    CACHING_OFF,
    HELP_PAGES,
    PAGE_URL,
    PUBLIC_URLS,
    SECURITY_HEADERS,
    content_for_the_module,
    load_demo,
    local_site,
    parse,
    table_rows,
)
from tools.bench_content import ADD_CONTENT, CURRENT_MEMBERSHIPS, PAGE_UPDATES, SIZES, add_open_drafts

# Uncached: the content version, then the page, its sections, the current memberships (counted
# Uncached: the content version, then the page, its sections, the current memberships (counted
# from the same rows) and the page's updates; an HTML page also the footer's links to the help
# pages, and the JSON every centre's memberships. The guidance page and its JSON add one for the
# page's related links (a list of their own, as its sections are). The other pages need fewer; a
# help page: the content version, the page with when it was last updated, and the footer's links.
# Cached: the content version only.
UNCACHED_QUERIES = (
    {url: 6 for url in PUBLIC_URLS}
    | {PAGE_URL: 7, f"/api/content{PAGE_URL}": 7, f"{PAGE_URL}.atom": 5}
    | {url: 3 for url, _title in HELP_PAGES}
)
CACHED_QUERIES = 1
# What the middleware below the page cache adds, which a page from the cache must still carry.
# At each size: the rows of the main table and the page's updates.
ON_THE_PAGE = {"demo": (12, 19), "long-history": (12, 19), "large-network": (CURRENT_MEMBERSHIPS, PAGE_UPDATES)}


@pytest.fixture(scope="module", params=SIZES)
def content_at_size(request, django_db_setup, django_db_blocker):
    """The demo content at one of the benchmark's sizes, with its 200 open drafts, built once for all
    the tests at that size."""

    def build():
        load_demo()
        if ADD_CONTENT[request.param]:
            ADD_CONTENT[request.param]()
        add_open_drafts()

    with content_for_the_module(django_db_blocker, build):
        yield request.param


@pytest.fixture
def size(db, content_at_size):
    return content_at_size


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_uncached_pages_run_a_fixed_number_of_queries(client, size, url, django_assert_max_num_queries):
    with override_settings(CACHES=CACHING_OFF):
        for _ in range(2):
            with django_assert_max_num_queries(UNCACHED_QUERIES[url]):
                assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_page_from_the_cache_costs_one_query_and_no_rendering(client, size, url, django_assert_max_num_queries):
    first = client.get(url)
    with django_assert_max_num_queries(CACHED_QUERIES):  # the content version, and nothing else
        repeat = client.get(url)
    assert repeat.status_code == 200
    assert repeat.templates == []
    assert repeat.content == first.content
    assert repeat["ETag"] == first["ETag"]
    for header in SECURITY_HEADERS:
        assert first.get(header), header
        assert repeat.get(header) == first.get(header), header


def test_the_current_members_and_every_update_are_on_the_page(client, size):
    soup = parse(client.get(PAGE_URL))
    assert (len(table_rows(soup)), len(soup.select("#full-history li"))) == ON_THE_PAGE[size]
    assert "Former centre" not in soup.get_text()


def test_link_checks_add_no_query_and_no_request_to_other_sites_to_a_page(client, size, django_assert_max_num_queries):
    """The link checks' records (links/) are for staff: a public page neither reads them nor checks a link."""
    with local_site({"/": (200, {})}) as other_site, override_settings(CACHES=CACHING_OFF):
        Page.objects.update(organisation_url=f"{other_site.address}/")
        assert CheckedLink.objects.refresh_from_site()  # the links as a check lists them, with where each appears
        with django_assert_max_num_queries(UNCACHED_QUERIES[PAGE_URL]):
            page = client.get(PAGE_URL)
        assert parse(page).find("a", href=f"{other_site.address}/")
        assert other_site.requests == []


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_no_public_page_reads_the_link_checks_or_the_feedback(client, size, url):
    """Their tables are for staff; a page built from them would go stale with every check and every answer."""
    with override_settings(CACHES=CACHING_OFF), CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    read = [query["sql"] for query in queries if "links_" in query["sql"] or "feedback_" in query["sql"]]
    assert read == []
