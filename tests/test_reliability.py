"""Reliability: /healthz for load balancers, and a database restart survived without restarting the app."""

import contextlib
import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings

from tests.helpers import PAGE_URL, skip_or_fail, text_of
from tests.servers import Browser, free_port, gunicorn, new_database, prepare_demo_database


def test_healthz_reports_a_healthy_database_and_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failed": [], "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_broken_cache_as_degraded(client, db, tmp_path, caplog):
    """Pages are built without a cache, so the server stays in service, and the log says why."""
    # A real file-based cache that cannot write: its directory would be under a regular file.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    broken = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": blocker / "cache"}
    }
    with override_settings(CACHES=broken):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "failed": [], "checks": {"database": "ok", "cache": "degraded"}}
    assert "the cache is not working" in caplog.text


def test_healthz_reports_an_unreachable_redis_as_degraded(client, db, caplog):
    nothing_listening = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{free_port()}/7"}
    }
    with override_settings(CACHES=nothing_listening):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "degraded"}
    assert "the cache is not working" in caplog.text


def postgres_binaries():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        skip_or_fail("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    return os.path.dirname(found[-1])


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own in a temporary folder, so the shared one is untouched.

    PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
    """

    def __init__(self, folder):
        self.bin = postgres_binaries()
        self.folder = folder
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}"

    def run(self, program, *args):
        command = [os.path.join(self.bin, program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)

    def initialise(self):
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.run("initdb", "-D", f"{self.folder}/data", "-U", "postgres", "-A", "trust")

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.run("pg_ctl", "-D", f"{self.folder}/data", "-o", options, "-l", f"{self.folder}/log", "-w", "start")

    def stop(self):
        self.run("pg_ctl", "-D", f"{self.folder}/data", "-m", "fast", "-w", "stop")

    def processes(self):
        """The postmaster, then its children (the backends and background workers)."""
        postmaster = int(open(f"{self.folder}/data/postmaster.pid").readline())
        children = []
        for status in glob.glob("/proc/[0-9]*/status"):
            with contextlib.suppress(OSError):
                fields = dict(line.split(":\t", 1) for line in open(status).read().splitlines() if ":\t" in line)
                if int(fields["PPid"]) == postmaster:
                    children.append(int(fields["Pid"]))
        return [postmaster, *children]

    @contextlib.contextmanager
    def frozen(self):
        """Every process of the server stopped (SIGSTOP), as a hung machine would be, and continued on leaving."""
        processes = self.processes()
        for pid in processes:
            os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for pid in processes:
                os.kill(pid, signal.SIGCONT)


@pytest.fixture
def private_postgres():
    folder = tempfile.mkdtemp(prefix="wwn-postgres-")
    os.chmod(folder, 0o755)
    postgres = PrivatePostgres(folder)
    try:
        postgres.initialise()
        postgres.start()
        yield postgres
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


def fetch(browser, url):
    status, _headers, body = browser.request(url)
    return status, body


def heading(body):
    return text_of(BeautifulSoup(body, "html.parser").find("h1"))


# Pages the drills read before the database fails (so they are in the cache), and pages they do not.
CACHED_URLS = [PAGE_URL, f"{PAGE_URL}.atom", "/centres/youth-futures-foundation"]
UNCACHED_URLS = [f"{PAGE_URL}/history", "/policy-areas/youth-employment"]


def assert_served_while_the_database_fails(browser, server, fresh):
    """Pages in the cache are served from it, marked stale; the rest answer 503 with the site's page."""
    for url in CACHED_URLS:
        status, headers, body = browser.request(server + url)
        assert status == 200, url
        assert body == fresh[url]
        assert headers["X-Page-Stale"]
        assert headers["Cache-Control"] == "max-age=30"
    for url in UNCACHED_URLS:
        status, headers, body = browser.request(server + url)
        assert status == 503, url
        assert headers["Retry-After"] == "30"
        assert heading(body) == "Sorry, the service is unavailable"


def assert_back_to_normal(browser, server):
    for url in CACHED_URLS + UNCACHED_URLS:
        status, headers, _body = browser.request(server + url)
        assert status == 200, url
        assert "X-Page-Stale" not in headers
    assert fetch(browser, f"{server}/healthz")[0] == 200


@pytest.mark.drill
def test_the_pages_stay_up_while_the_database_restarts(private_postgres):
    with new_database(private_postgres.url) as database_url:
        prepare_demo_database(database_url)
        # Connections are kept between requests, as in production, and checked before reuse.
        with gunicorn(database_url, CONN_MAX_AGE="600", CONN_HEALTH_CHECKS="true") as server:
            browser = Browser()
            fresh = {url: fetch(browser, server + url)[1] for url in CACHED_URLS}

            # The kept connection dies with the restart; the next request must not fail on it.
            private_postgres.stop()
            private_postgres.start()
            assert fetch(browser, server + PAGE_URL) == (200, fresh[PAGE_URL])

            # While the database is down, the load balancer hears which part failed, and readers
            # still get the pages in the cache.
            private_postgres.stop()
            status, body = fetch(browser, f"{server}/healthz")
            assert status == 503
            assert json.loads(body)["failed"] == ["database"]
            assert_served_while_the_database_fails(browser, server, fresh)

            private_postgres.start()
            assert_back_to_normal(browser, server)


@pytest.mark.drill
def test_a_frozen_database_costs_a_request_seconds_not_a_worker(private_postgres):
    with new_database(private_postgres.url) as database_url:
        prepare_demo_database(database_url)
        with gunicorn(database_url) as server:
            browser = Browser()
            fresh = {url: fetch(browser, server + url)[1] for url in CACHED_URLS}
            with private_postgres.frozen():
                started = time.monotonic()
                assert_served_while_the_database_fails(browser, server, fresh)
                answers = len(CACHED_URLS + UNCACHED_URLS)
                assert time.monotonic() - started < 5 * answers
                for url in CACHED_URLS + UNCACHED_URLS:
                    asked = time.monotonic()
                    assert fetch(browser, server + url)[0] in (200, 503)
                    assert time.monotonic() - asked < 5, url
            assert_back_to_normal(browser, server)
