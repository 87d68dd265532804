import datetime
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.core.management import call_command
from django.template.backends import jinja2 as jinja2_backend
from django.test import override_settings
from django.test.signals import template_rendered

PAGE_URL = "/guidance/what-works-network"
# Every public HTML page of the demo content; tests that hold for all pages go through these.
PUBLIC_PAGES = [
    PAGE_URL,
    f"{PAGE_URL}/history",
    "/centres/youth-futures-foundation",
    "/centres/what-works-centre-for-wellbeing",
    "/policy-areas/youth-employment",
]
# Every public URL: the pages, and the feed and data beside them.
PUBLIC_URLS = [*PUBLIC_PAGES, f"{PAGE_URL}.atom", f"/api/content{PAGE_URL}"]
SEED_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "seed"
# CACHE_URL=dummycache:// as settings give it: page caching off.
CACHING_OFF = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def skip_or_fail(reason):
    """Skip a test whose requirement is absent, except under CI, where absence is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


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


@pytest.fixture
def demo(db):
    call_command("loaddata", "demo", verbosity=0)


def signed_in_superuser(client, user_model):
    client.force_login(user_model.objects.create_superuser("editor", "editor@example.com", "a long passphrase"))
    return client


@pytest.fixture
def staff(client, demo, django_user_model):
    """The test client, signed in to the admin as a superuser, with the demo content."""
    return signed_in_superuser(client, django_user_model)


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def add_url(model):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"


def history_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/history/"


@pytest.fixture
def editor(client, demo, django_user_model, time_machine):
    """A superuser signed in to the admin on 15 January 2030 at noon, UK time, with the demo content."""
    time_machine.move_to(datetime.datetime(2030, 1, 15, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)
    return signed_in_superuser(client, django_user_model)


def parse(response):
    return BeautifulSoup(response.content.decode(response.charset), "html.parser")


@pytest.fixture
def get_page(client):
    """Fetch a public page and return it parsed, after checking it was served."""

    def get(url=PAGE_URL):
        response = client.get(url)
        assert response.status_code == 200, response
        return parse(response)

    return get


def text_of(element):
    """An element's visible text with white space folded, as a reader sees it."""
    return " ".join(element.get_text().split())


def form_values(response, form_id=None):
    """The values a browser would submit from a rendered form, as a dict to edit and post."""
    soup = parse(response)
    form = soup.find("form", id=form_id) if form_id else soup.select_one("#content-main form")
    values = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True)
            values[name] = chosen["value"] if chosen else ""
        elif field.name == "textarea":
            values[name] = field.text.removeprefix("\n")
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                values[name] = field.get("value", "on")
        else:
            values[name] = field.get("value", "")
    return values


def post_change_form(client, obj, **changes):
    """Post an object's admin change form as a browser would, with `changes` made to its fields."""
    url = change_url(obj)
    values = form_values(client.get(url))
    values.update(changes)
    return client.post(url, values)


def field_errors(response):
    """Error messages shown beside fields in an admin form, by field name."""
    soup = parse(response)
    return {
        error_list["id"].removeprefix("id_").removesuffix("_error"): [text_of(li) for li in error_list.find_all("li")]
        for error_list in soup.select("ul.errorlist[id$=_error]")
    }


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
