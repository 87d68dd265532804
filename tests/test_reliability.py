"""Reliability: /healthz for load balancers, and a database restart survived without restarting the app."""

import contextlib
import glob
import json
import os
import shutil
import subprocess
import tempfile

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


def test_healthz_names_a_broken_cache(client, db, tmp_path):
    # A real file-based cache that cannot write: its directory would be under a regular file.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    broken = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": blocker / "cache"}
    }
    with override_settings(CACHES=broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


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


@pytest.mark.drill
def test_the_app_serves_again_after_the_database_restarts(private_postgres):
    with new_database(private_postgres.url) as database_url:
        prepare_demo_database(database_url)
        # Connections are kept between requests, as in production, and checked before reuse.
        with gunicorn(database_url, CONN_MAX_AGE="600", CONN_HEALTH_CHECKS="true") as server:
            browser = Browser()
            assert fetch(browser, server + PAGE_URL)[0] == 200

            # The kept connection dies with the restart; the next request must not fail on it.
            private_postgres.stop()
            private_postgres.start()
            assert fetch(browser, server + PAGE_URL)[0] == 200

            # While the database is down, the load balancer hears which part failed.
            private_postgres.stop()
            status, body = fetch(browser, f"{server}/healthz")
            assert status == 503
            assert json.loads(body)["failed"] == ["database"]
            status, body = fetch(browser, server + PAGE_URL)
            assert status == 500
            assert (
                text_of(BeautifulSoup(body, "html.parser").find("h1")) == "Sorry, there is a problem with the service"
            )

            private_postgres.start()
            assert fetch(browser, f"{server}/healthz")[0] == 200
            status, body = fetch(browser, server + PAGE_URL)
            assert status == 200
            assert text_of(BeautifulSoup(body, "html.parser").find("h1")) == "What Works Network"
