"""Fixtures shared by the whole suite. Helpers that are not fixtures are in tests/helpers.py."""

import datetime
import types
from zoneinfo import ZoneInfo

import pytest
import redis
from django.core.cache import caches
from django.db.models import F
from django.template.backends import jinja2 as jinja2_backend
from django.test import override_settings
from django.test.signals import template_rendered

from network.models import Page
from network.roles import PUBLISHER
from tests.helpers import (
    PAGE_URL,
    content_for_the_module,
    content_linking_to,
    load_demo,
    local_site,
    parse,
    refused_address,
    signed_in,
    signed_in_superuser,
    silent_site,
    skip_or_fail,
    staff_member,
    untrusted_tls_context,
)


@pytest.fixture(autouse=True, scope="session")
def jinja2_templates_report_their_rendering():
    """Under test, Django's own templates send `template_rendered` (setup_test_environment), which
    the test client collects into `response.templates`; the public pages' Jinja2 templates send it
    too, so a test can tell whether a response rendered them. (Templates they extend are not listed.)"""
    render = jinja2_backend.Template.render

    def render_and_report(self, context=None, request=None):
        template_rendered.send(sender=self, template=self.template, context=context or {})
        return render(self, context, request)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jinja2_backend.Template, "render", render_and_report)
        yield


@pytest.fixture(scope="module")
def demo_for_the_module(django_db_setup, django_db_blocker):
    with content_for_the_module(django_db_blocker, load_demo):
        yield


@pytest.fixture
def demo(db, demo_for_the_module):
    """The demo content, loaded once for the module; each test's changes are rolled back.

    A write that changes nothing gives the content a new version for this test, so no test is
    served a page that an earlier one cached.
    """
    Page.objects.update(id=F("id"))


@pytest.fixture
def staff(client, demo, django_user_model):
    """The test client, signed in to the admin as a superuser, with the demo content."""
    return signed_in_superuser(client, django_user_model)


@pytest.fixture
def editor(client, demo, django_user_model, time_machine):
    """A superuser signed in to the admin on 15 January 2030 at noon, UK time, with the demo content."""
    time_machine.move_to(datetime.datetime(2030, 1, 15, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)
    return signed_in_superuser(client, django_user_model)


@pytest.fixture
def colleague(demo, django_user_model):
    """A second member of staff, Priya Shah (a superuser), signed in to the admin in a browser of her own."""
    user = django_user_model.objects.create_superuser(
        "priya", "priya@example.com", "a long passphrase", first_name="Priya", last_name="Shah"
    )
    return signed_in(user)


@pytest.fixture
def publisher(demo):
    """A publisher, Pat, signed in to the admin in a browser of their own, with the demo content."""
    return signed_in(staff_member("pat", PUBLISHER))


@pytest.fixture
def get_page(client):
    """Fetch a public page and return it parsed, after checking it was served."""

    def get(url=PAGE_URL):
        response = client.get(url)
        assert response.status_code == 200, response
        return parse(response)

    return get


@pytest.fixture
def redis_cache():
    """Production's cache: Redis, shared by all processes (a database of the tests' own, emptied)."""
    redis_settings = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/9",
        "KEY_PREFIX": "wwn-tests",
    }
    try:
        redis.Redis.from_url(redis_settings["LOCATION"]).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis is not available at {redis_settings['LOCATION']}: {error}")
    with override_settings(CACHES={"default": redis_settings}):
        caches["default"].delete_pattern("*")
        yield caches["default"]
        caches["default"].delete_pattern("*")


# Seconds the link checks wait for an answer in tests: the silent site takes this long.
LINK_CHECK_TIMEOUT = 1.5


@pytest.fixture
def other_sites(settings):
    """Sites the content links to, on 127.0.0.1: `addresses` names each link by what it answers;
    `site` is the server most of them are on, `head_refusing` the one that answers only GET."""
    settings.LINK_CHECK_TIMEOUT = LINK_CHECK_TIMEOUT
    answers = {
        "/ok": (200, {}),
        # A redirect that sets a cookie, to see that it is never sent back.
        "/moved": (301, {"Location": "/moved-again", "Set-Cookie": "visitor=1; Path=/"}),
        "/moved-again": (302, {"Location": "/here"}),
        "/here": (200, {}),
        "/error": (500, {}),
        "/loop": (301, {"Location": "/loop"}),
    }
    with (
        local_site(answers) as site,
        local_site({"/": (200, {})}, refuses_head=True) as head_refusing,
        local_site({"/": (200, {})}, tls_context=untrusted_tls_context()) as untrusted,
        silent_site() as silent,
    ):
        yield types.SimpleNamespace(
            site=site,
            head_refusing=head_refusing,
            addresses={
                "working": f"{site.address}/ok",
                "redirects": f"{site.address}/moved",
                "not found": f"{site.address}/missing",
                "server error": f"{site.address}/error",
                "redirect loop": f"{site.address}/loop",
                "refuses HEAD": f"{head_refusing.address}/",
                "never answers": f"{silent}/",
                "refuses connections": refused_address(),
                "untrusted certificate": f"{untrusted.address}/",
            },
        )


@pytest.fixture
def linked_content(other_sites):
    """A page, its section and three centres, linking to each of `other_sites` (the page's publisher
    is the working one, which the section links to too). Returns the page and its section."""
    links = other_sites.addresses
    return content_linking_to(
        page_address=links["working"],
        section_addresses=[
            links[name]
            for name in ("working", "redirects", "not found", "server error", "redirect loop", "refuses HEAD")
        ],
        centre_websites=[links[name] for name in ("never answers", "refuses connections", "untrusted certificate")],
    )
