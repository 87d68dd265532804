"""App servers are stateless: two of them on one PostgreSQL (and one Redis, where the cache uses
it) serve one site. A staff change through either shows on the next request to the other, and
a login on one is valid on both."""

import pytest

from tests.servers import Browser, change_title, gunicorn, heading, log_in, new_database, prepare_demo_database

# Real servers and processes: `make test-quick` leaves these out.
pytestmark = pytest.mark.drill

# What a deployment's app servers share besides the database: the signing key (sessions) and the
# cache (Redis, with a key prefix of the test's own).
SHARED_SETTINGS = {
    "SECRET_KEY": "one key for every app server of the deployment",
    "CACHE_URL": "redis://127.0.0.1:6379/6?key_prefix=wwn-two-servers",
}


@pytest.fixture(scope="module")
def two_servers():
    with new_database() as database_url:
        prepare_demo_database(database_url)
        with gunicorn(database_url, **SHARED_SETTINGS) as first, gunicorn(database_url, **SHARED_SETTINGS) as second:
            yield first, second


def test_a_change_through_either_server_shows_on_the_other(two_servers):
    first, second = two_servers
    browser = Browser()
    # Both servers have served (and may have cached) the page before the change.
    assert heading(browser, first) == heading(browser, second) == "What Works Network"

    log_in(browser, first)
    change_title(browser, second, "The What Works Network, changed on the second server")
    assert heading(browser, first) == "The What Works Network, changed on the second server"

    change_title(browser, first, "The What Works Network, changed on the first server")
    assert heading(browser, second) == "The What Works Network, changed on the first server"
    assert heading(browser, first) == "The What Works Network, changed on the first server"
