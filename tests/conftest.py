"""Fixtures shared by the whole suite. Helpers that are not fixtures are in tests/helpers.py."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import redis
from django.core.cache import caches
from django.db.models import F
from django.template.backends import jinja2 as jinja2_backend
from django.test import Client, override_settings
from django.test.signals import template_rendered

from network.models import Page
from tests.helpers import PAGE_URL, content_for_the_module, load_demo, parse, signed_in_superuser, skip_or_fail


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
    client = Client()
    client.force_login(user)
    return client


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
