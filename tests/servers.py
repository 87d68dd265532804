"""Real servers for tests that need more than the test client: gunicorn processes on databases of
their own, on the shared PostgreSQL (127.0.0.1:5432) or on a private one."""

import contextlib
import http.cookiejar
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

import psycopg

from tests.helpers import skip_or_fail
from tools.serving import PROJECT, free_loopback_address, production_environment, production_server

SHARED_POSTGRES = "postgres://postgres@127.0.0.1:5432"


def free_port():
    return int(free_loopback_address().rsplit(":", 1)[1])


def server_environment(database_url, **extra):
    """The product's settings in production mode, on plain http, with the test suite's static files
    storage (pages render without collectstatic)."""
    return production_environment(
        ENV_FILE=os.devnull,
        DJANGO_SETTINGS_MODULE="tests.settings",
        HTTPS="false",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        **extra,
    )


def manage(database_url, *args, **environment):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=server_environment(database_url, **environment),
        check=True,
        capture_output=True,
    )


STAFF = {"username": "admin", "password": "a long passphrase for tests"}


def prepare_demo_database(database_url):
    """Tables, the demo content, and a staff account (STAFF)."""
    manage(database_url, "migrate", "--no-input")
    manage(database_url, "loaddata", "demo")
    manage(
        database_url,
        "createsuperuser",
        "--no-input",
        f"--username={STAFF['username']}",
        "--email=admin@example.org",
        DJANGO_SUPERUSER_PASSWORD=STAFF["password"],
    )


def admin_connection(server_url):
    try:
        return psycopg.connect(f"{server_url}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        skip_or_fail(f"PostgreSQL is not reachable at {server_url}: {error}")


@contextlib.contextmanager
def new_database(server_url=SHARED_POSTGRES):
    """A database of the test's own, dropped afterwards: yields its URL."""
    name = f"wwn_test_{uuid.uuid4().hex[:10]}"
    with admin_connection(server_url) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server_url}/{name}"
    finally:
        with admin_connection(server_url) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def gunicorn(database_url, **environment):
    """The production server (one worker) on a free port: yields its base URL."""
    with production_server(server_environment(database_url, WEB_CONCURRENCY="1", **environment)) as base:
        yield base


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept across requests, and across servers, as a browser keeps them for one host."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects)

    def request(self, url, data=None):
        """(status, headers, body text); redirects are returned, not followed."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()
