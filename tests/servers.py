"""Real servers for tests that need more than the test client: gunicorn processes on databases of
their own, on the shared PostgreSQL (127.0.0.1:5432) or on a private one."""

import contextlib
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import types
import urllib.error
import urllib.parse
import urllib.request
import uuid

import psycopg
from bs4 import BeautifulSoup

from tests.helpers import PAGE_URL, form_values, skip_or_fail, text_of
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
    """Run a management command on the database; returns what it wrote to standard output."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=server_environment(database_url, **environment),
        check=True,
        capture_output=True,
        text=True,
    ).stdout


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


def log_in(browser, server):
    _status, _headers, body = browser.request(f"{server}/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    status, _headers, _body = browser.request(
        f"{server}/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "next": "/admin/", **STAFF},
    )
    assert status == 302, "login failed"


def change_title(browser, server, title):
    """Post the page's admin form with a new title, as staff do."""
    _status, _headers, body = browser.request(f"{server}/admin/network/page/")
    change_path = re.search(r'href="(/admin/network/page/\d+/change/)"', body).group(1)
    status, _headers, form = browser.request(server + change_path)
    assert status == 200, "the session is not valid on this server"
    values = form_values(types.SimpleNamespace(content=form.encode(), charset="utf-8"))
    values["title"] = title
    values["major_change"] = "no"
    status, _headers, _body = browser.request(server + change_path, values)
    assert status == 302, "the change was refused"


def heading(browser, base):
    """The page's heading as served at base."""
    status, _headers, body = browser.request(base + PAGE_URL)
    assert status == 200
    return text_of(BeautifulSoup(body, "html.parser").find("h1"))


NGINX = "/usr/sbin/nginx"
NGINX_MAIN = """
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
{user}
events {{}}
http {{
    access_log off;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/whatworks.conf;
}}
"""


@contextlib.contextmanager
def nginx_proxy(app_base, folder):
    """Debian's nginx with deploy/nginx.conf in front of the app server at app_base, on a free
    loopback port, its files in folder: yields its base URL."""
    if not os.access(NGINX, os.X_OK):
        skip_or_fail(f"nginx is not installed at {NGINX}")
    address = free_loopback_address()
    site = (PROJECT / "deploy" / "nginx.conf").read_text()
    # What deploy/nginx.conf sets for a real host, and the test's own values.
    for default, value in (
        ("server 127.0.0.1:8000;", f"server {app_base.removeprefix('http://')};"),
        ("listen 8080;", f"listen {address};"),
        ("/var/cache/nginx/whatworks", f"{folder}/cache"),
    ):
        assert default in site, default
        site = site.replace(default, value)
    (folder / "whatworks.conf").write_text(site)
    # As root, nginx's workers would run as nobody, who cannot write in the test's folder.
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(NGINX_MAIN.format(folder=folder, user=user))
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://{address}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                Browser().request(f"{base}/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {(folder / 'error.log').read_text()[-2000:]}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
