"""Production settings pass Django's deployment checks and send the security headers."""

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.helpers import PUBLIC_URLS
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
    assert behind_proxy["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


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
