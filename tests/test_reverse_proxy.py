"""Behind a caching reverse proxy (nginx with deploy/nginx.conf), as behind a CDN: public pages are
kept for PUBLIC_CACHE_SECONDS, so few requests reach the app server, and a change shows within
that time."""

import re
import time

import pytest

from tests.helpers import PAGE_URL
from tests.servers import Browser, change_title, gunicorn, heading, log_in, nginx_proxy, prepare_demo_database

# Real servers and processes: `make test-quick` leaves these out.
pytestmark = pytest.mark.drill

KEPT_SECONDS = 2


@pytest.fixture
def site_behind_nginx(tmp_path):
    """The production server with PUBLIC_CACHE_SECONDS=2 behind nginx: yields the proxy's base URL
    and the app server's access log."""
    database_url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    prepare_demo_database(database_url)
    app_log = tmp_path / "app-access.log"
    proxy_folder = tmp_path / "nginx"
    proxy_folder.mkdir()
    with (
        gunicorn(database_url, PUBLIC_CACHE_SECONDS=str(KEPT_SECONDS), ACCESS_LOG=str(app_log)) as app,
        nginx_proxy(app, proxy_folder) as proxy,
    ):
        yield proxy, app_log


def page_requests_reaching_the_app(app_log):
    """The page's requests in the app server's access log, whatever their query string."""
    request_line = re.compile(rf'"GET {re.escape(PAGE_URL)}[ ?]')
    return sum(bool(request_line.search(line)) for line in app_log.read_text().splitlines())


def test_the_proxy_answers_most_requests_for_a_public_page(site_behind_nginx):
    proxy, app_log = site_behind_nginx
    browser = Browser()
    cache_statuses = []
    started = time.monotonic()
    for number in range(200):
        status, headers, _body = browser.request(f"{proxy}{PAGE_URL}?visit={number}")
        assert status == 200
        assert headers["Cache-Control"] == f"public, max-age={KEPT_SECONDS}"
        cache_statuses.append(headers["X-Cache-Status"])
    elapsed = time.monotonic() - started
    # The first request, and at most one more each time the proxy's copy expires.
    assert 1 <= page_requests_reaching_the_app(app_log) <= 2 + elapsed / KEPT_SECONDS
    assert cache_statuses.count("HIT") >= 150


def test_admin_pages_are_never_kept_by_the_proxy(site_behind_nginx):
    proxy, _app_log = site_behind_nginx
    browser = Browser()
    log_in(browser, proxy)
    for _ in range(2):
        status, headers, body = browser.request(f"{proxy}/admin/")
        assert status == 200
        assert "private" in headers["Cache-Control"]
        assert headers.get("X-Cache-Status") in (None, "", "BYPASS", "MISS")
    assert Browser().request(f"{proxy}/admin/")[0] == 302  # another visitor is not signed in


def test_a_change_in_the_admin_shows_through_the_proxy_within_its_seconds(site_behind_nginx):
    proxy, _app_log = site_behind_nginx
    browser = Browser()
    assert heading(browser, proxy) == heading(browser, proxy) == "What Works Network"  # kept by the proxy
    log_in(browser, proxy)
    change_title(browser, proxy, "What Works Network, changed behind the proxy")
    changed = time.monotonic()
    while heading(browser, proxy) != "What Works Network, changed behind the proxy":
        assert time.monotonic() - changed < KEPT_SECONDS + 1, "the change did not show in time"
        time.sleep(0.05)
