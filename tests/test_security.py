"""Production settings pass Django's deployment checks and send the security headers."""

import contextlib
import json
import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test import Client

from tests.helpers import PAGE_URL, PUBLIC_URLS, SECURITY_HEADERS, signed_in_superuser
from tools.serving import PROJECT

PRODUCTION_ENVIRONMENT = {
    "PATH": os.environ["PATH"],
    "ENV_FILE": os.devnull,
    "DJANGO_SETTINGS_MODULE": "network.settings",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "www.example.gov.uk",
    # The requests below are answered before any query: an empty database will do.
    "DATABASE_URL": "sqlite://:memory:",
}
HOST = {"HTTP_HOST": "www.example.gov.uk"}

# Fetches an address with the production settings and Django's test client, reporting what came back.
FETCH_SCRIPT = """
import json, sys, django
django.setup()
from django.test import Client
response = Client().get(sys.argv[1], **json.loads(sys.argv[2]))
print(json.dumps({"status": response.status_code, "headers": dict(response.headers)}))
"""


def fetch_in_production(url, headers=None, **environment):
    """A GET through the production settings (DEBUG off, HTTPS on unless the environment says otherwise)."""
    result = subprocess.run(
        [sys.executable, "-c", FETCH_SCRIPT, url, json.dumps(headers or {})],
        cwd=PROJECT,
        env={**PRODUCTION_ENVIRONMENT, **environment},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.drill
def test_the_deployment_checks_pass_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=PRODUCTION_ENVIRONMENT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.drill
def test_the_deployment_checks_catch_plain_http():
    """HTTPS=false is for a local run: the checks name what it gives up."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env={**PRODUCTION_ENVIRONMENT, "HTTPS": "false"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


@pytest.mark.drill
def test_plain_http_is_redirected_to_https():
    response = fetch_in_production("/guidance/what-works-network", HOST)
    assert response["status"] == 301
    assert response["headers"]["Location"] == "https://www.example.gov.uk/guidance/what-works-network"


@pytest.mark.drill
def test_https_at_the_proxy_is_trusted_only_when_configured():
    forwarded = {**HOST, "HTTP_X_FORWARDED_PROTO": "https"}
    assert fetch_in_production("/admin/", forwarded)["status"] == 301
    behind_proxy = fetch_in_production("/admin/", forwarded, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https")
    assert behind_proxy["status"] == 302
    assert behind_proxy["headers"]["Location"].startswith("/admin/login/")
    assert behind_proxy["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.drill
def test_hsts_preload_is_sent_only_when_asked_for():
    forwarded = {**HOST, "HTTP_X_FORWARDED_PROTO": "https"}
    proxy = {"SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https"}
    preloaded = fetch_in_production("/admin/", forwarded, SECURE_HSTS_PRELOAD="true", **proxy)
    assert preloaded["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.drill
def test_a_local_production_run_can_serve_plain_http():
    response = fetch_in_production("/admin/", HOST, HTTPS="false")
    assert response["status"] == 302
    assert response["headers"]["Location"].startswith("/admin/login/")
    assert "Strict-Transport-Security" not in response["headers"]


@pytest.mark.drill
def test_the_load_balancer_health_check_is_not_redirected():
    response = fetch_in_production("/healthz", HOST)
    assert response["status"] == 200


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_send_the_security_headers(client, demo, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


FORGED_HOST = "attacker.example:6666"


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_host_the_site_does_not_serve_gets_400_whether_or_not_the_page_is_cached(client, demo, url):
    caches["default"].clear()
    assert client.get(url, headers={"Host": FORGED_HOST}).status_code == 400  # not cached
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url).templates == []  # cached now
    for condition in ({}, {"If-None-Match": first["ETag"]}, {"If-None-Match": "*"}, {"If-Match": first["ETag"]}):
        response = client.get(url, headers={"Host": FORGED_HOST, **condition})
        assert response.status_code == 400, condition
        assert response.templates == [] or "400.html" in [template.name for template in response.templates]
        assert b"attacker" not in response.content
    assert client.head(url, headers={"Host": FORGED_HOST}).status_code == 400
    assert client.options(url, headers={"Host": FORGED_HOST}).status_code == 400


def sign_in_as_staff(client):
    signed_in_superuser(client, User)
    assert client.get("/admin/").status_code == 200


def visit_the_login_page(client):
    assert client.get("/admin/login/").cookies  # the admin's CSRF cookie


@pytest.mark.parametrize("admin_visit", [visit_the_login_page, sign_in_as_staff])
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_set_no_cookies(client, demo, url, admin_visit):
    admin_visit(client)
    caches["default"].clear()
    built = client.get(url)
    cached = client.get(url)
    assert built.templates or url.endswith(".atom") or "/api/" in url
    assert cached.templates == []
    for response in (built, cached, client.get(url, headers={"If-None-Match": built["ETag"]})):
        assert not response.cookies
        assert not response.has_header("Set-Cookie")
        assert "cookie" not in response.get("Vary", "").lower()


def answers_of_every_status(client):
    """(status, response) for every kind of answer the site gives."""
    page = client.get(PAGE_URL)
    yield 200, page
    yield 200, client.get(PAGE_URL)  # from the cache
    yield 304, client.get(PAGE_URL, headers={"If-None-Match": page["ETag"]})
    yield 412, client.get(PAGE_URL, headers={"If-Match": '"another-version"'})
    yield 302, client.get("/")
    yield 301, client.get("/admin")  # the address with its slash
    yield 400, client.get(PAGE_URL, headers={"Host": FORGED_HOST})
    yield 403, Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a", "password": "b"})
    yield 404, client.get("/centres/nowhere")
    yield 404, client.get("/nowhere")
    yield 405, client.post(PAGE_URL)
    yield 200, client.options(PAGE_URL)
    with renamed("centres_membership"):  # a table the page is built from goes missing
        yield 500, client.get("/policy-areas/youth-employment")
    with renamed("network_contentversion"):  # the content version cannot be read
        yield 200, client.get(PAGE_URL)  # its last good copy
        yield 503, client.get("/centres/youth-futures-foundation")


@contextlib.contextmanager
def renamed(table):
    """A table gone missing, and back. (Committed: the test runs outside a transaction, as the
    server's requests do, so the failure does not spoil the next query.)"""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_gone")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table}_gone RENAME TO {table}")


@pytest.mark.django_db(transaction=True)
def test_every_answer_carries_the_security_headers(demo):
    caches["default"].clear()  # no page's last good copy from another test
    client = Client(raise_request_exception=False)
    page = client.get(PAGE_URL)
    expected = {header: page[header] for header in SECURITY_HEADERS}
    assert all(expected.values())
    statuses = set()
    for status, response in answers_of_every_status(client):
        assert response.status_code == status
        statuses.add(status)
        assert {header: response.get(header) for header in SECURITY_HEADERS} == expected, status
    assert statuses == {200, 301, 302, 304, 400, 403, 404, 405, 412, 500, 503}
