"""Production settings pass Django's deployment checks and send the security headers."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from csp.constants import NONCE
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from network.content_security import SitePolicyCSPMiddleware
from tests.conftest import PUBLIC_URLS, parse
from tests.test_settings import PROJECT

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


def test_plain_http_is_redirected_to_https():
    response = fetch_in_production("/guidance/what-works-network", HOST)
    assert response["status"] == 301
    assert response["headers"]["Location"] == "https://www.example.gov.uk/guidance/what-works-network"


def test_https_at_the_proxy_is_trusted_only_when_configured():
    forwarded = {**HOST, "HTTP_X_FORWARDED_PROTO": "https"}
    assert fetch_in_production("/admin/", forwarded)["status"] == 301
    behind_proxy = fetch_in_production("/admin/", forwarded, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https")
    assert behind_proxy["status"] == 302
    assert behind_proxy["headers"]["Location"].startswith("/admin/login/")
    assert behind_proxy["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_a_local_production_run_can_serve_plain_http():
    response = fetch_in_production("/admin/", HOST, HTTPS="false")
    assert response["status"] == 302
    assert response["headers"]["Location"].startswith("/admin/login/")
    assert "Strict-Transport-Security" not in response["headers"]


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
    if response["Content-Type"].startswith("text/html"):
        # What the policy would block anyway must not be in the page: no inline scripts or styles.
        soup = parse(response)
        assert all(script.get("src") for script in soup.find_all("script") if script.get("type") != "application/json")
        assert not soup.find_all("style")
        assert not soup.select("[style]")
        assert not [tag for tag in soup.find_all(True) if any(name.startswith("on") for name in tag.attrs)]


def test_session_and_csrf_cookies_are_secure_in_production():
    script = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, env=PRODUCTION_ENVIRONMENT, capture_output=True, text=True
    )
    assert result.stdout.split() == ["True", "True", "True"]


def csp_response(make_response, request=None):
    """The CSP header the site's middleware gives a response, and the one django-csp itself gives."""
    request = request or RequestFactory().get("/")
    site = SitePolicyCSPMiddleware(lambda request: make_response(request))(request)
    request_for_library = RequestFactory().get("/")
    library = CSPMiddleware(lambda request: make_response(request))(request_for_library)
    return site.get("Content-Security-Policy"), library.get("Content-Security-Policy")


def test_the_site_policy_is_the_one_django_csp_builds():
    site, library = csp_response(lambda request: HttpResponse("page"))
    assert site == library
    assert "default-src 'self'" in site


def test_a_view_that_changes_the_policy_gets_its_own():
    @csp_update({"img-src": ["https://images.example"]})
    def view(request):
        return HttpResponse("page")

    site, library = csp_response(view)
    assert "https://images.example" in site
    assert site == library


def test_a_nonce_used_by_a_view_goes_into_its_policy(settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "script-src": ["'self'", NONCE]}}

    def view(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    request = RequestFactory().get("/")
    response = SitePolicyCSPMiddleware(view)(request)
    assert f"'nonce-{request._csp_nonce}'" in response["Content-Security-Policy"]
    without_nonce = SitePolicyCSPMiddleware(lambda request: HttpResponse("page"))(RequestFactory().get("/"))
    assert "nonce" not in without_nonce["Content-Security-Policy"]
