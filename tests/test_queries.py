"""Every public page runs a fixed, small number of queries, however long the history or large the network."""

import pytest
from django.test import override_settings

from tests.conftest import CACHING_OFF, PAGE_URL, PUBLIC_URLS, parse
from tests.test_page import table_rows
from tools.bench_content import ADD_CONTENT, CURRENT_MEMBERSHIPS, PAGE_UPDATES, SIZES

# Uncached: the content version, then the page, its sections, the current memberships (counted
# from the same rows) and the page's updates; the JSON also fetches every centre's memberships.
# The other pages need fewer. Cached: the content version only.
UNCACHED_QUERIES = {url: 5 for url in PUBLIC_URLS} | {f"/api/content{PAGE_URL}": 6}
CACHED_QUERIES = 1


@pytest.fixture(params=SIZES)
def size(request, demo):
    if ADD_CONTENT[request.param]:
        ADD_CONTENT[request.param]()
    return request.param


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_uncached_pages_run_a_fixed_number_of_queries(client, size, url, django_assert_max_num_queries):
    with override_settings(CACHES=CACHING_OFF):
        for _ in range(2):
            with django_assert_max_num_queries(UNCACHED_QUERIES[url]):
                assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_cached_pages_run_one_query(client, size, url, django_assert_max_num_queries):
    first = client.get(url)
    with django_assert_max_num_queries(CACHED_QUERIES):
        repeat = client.get(url)
    assert repeat.status_code == 200
    assert repeat.content == first.content


def test_the_large_network_is_all_on_the_page(client, demo):
    ADD_CONTENT["large-network"]()
    soup = parse(client.get(PAGE_URL))
    assert len(table_rows(soup)) == CURRENT_MEMBERSHIPS
    assert len(soup.select("#full-history li")) == PAGE_UPDATES


def test_the_long_history_stays_off_the_page(client, demo):
    ADD_CONTENT["long-history"]()
    soup = parse(client.get(PAGE_URL))
    assert len(table_rows(soup)) == 12
    assert "Former centre" not in soup.get_text()
