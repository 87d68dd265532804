"""Staff text is untrusted: hostile values in every editable field reach no public page active.

The fields are found from the models, so a field added later is covered without editing this
test. Values are written straight to the database, past the admin's checks, as a fixture or a
shell could; the pages, feeds and JSON must still show them inert, or the database refuse them.
Each hostile value goes into every field at once, and then each public address is fetched once.
"""

import datetime
import json
import xml.etree.ElementTree as ElementTree

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib import admin
from django.db import IntegrityError, models, transaction
from django.db.models import Value
from django.db.models.functions import Concat

from network.models import Page
from network.roles import CONTENT_APPS
from tests.helpers import PUBLIC_URLS, change_url, field_errors, form_values

# Shown as "EVALUATED" only if the value were run as a template: Django's syntax, and Jinja2's too.
TEMPLATE_SYNTAX = '{{ "evaluated"|upper }} {% filter upper %}evaluated{% endfilter %}'
HOSTILE_VALUES = [
    '<script>alert("xss")</script>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=9 /></svg>",
    '<a href="javascript:alert(1)">a link</a>',
    "[a link](javascript:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "[data](data:text/html,alert)",
    '<div onclick="alert(1)" style="position:fixed">x</div>',
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    TEMPLATE_SYNTAX,
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/<script>alert(1)</script>",
]
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "poster", "background"}
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "base", "frame", "frameset"}


def editable_text_fields():
    """(model, field name) for every staff-editable text or URL field of the content models."""
    return [
        (model, field.name)
        for app in CONTENT_APPS
        for model in apps.get_app_config(app).get_models()
        if admin.site.is_registered(model)
        for field in model._meta.concrete_fields
        if field.editable
        and isinstance(field, models.CharField | models.TextField)
        # Slugs are validated to letters, digits and hyphens; choices are fixed.
        and not isinstance(field, models.SlugField)
        and not field.choices
    ]


def is_dangerous_url(value):
    return "".join(value.split()).lower().startswith(DANGEROUS_SCHEMES)


def active_html(soup):
    """What in parsed HTML could run: scripts, event handlers, script URLs, embedding elements."""
    found = []
    for tag in soup.find_all(True):
        if tag.name == "script" and not (tag.get("src", "").startswith("/") or tag.get("type") == "application/json"):
            found.append(str(tag))
        if tag.name in FORBIDDEN_ELEMENTS:
            found.append(str(tag))
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"{tag.name} {name}={value}")
            if name.lower() in URL_ATTRIBUTES and is_dangerous_url(str(value)):
                found.append(f"{tag.name} {name}={value}")
    return found


def active_in_atom(content):
    """An Atom feed must parse as XML (nothing unescaped broke out) and carry only inert HTML."""
    root = ElementTree.fromstring(content)
    found = []
    for element in root.iter():
        local_name = element.tag.rsplit("}", 1)[-1]
        if local_name in {"script", *FORBIDDEN_ELEMENTS}:
            found.append(local_name)
        for name, value in element.attrib.items():
            if name.rsplit("}", 1)[-1].lower().startswith("on") or is_dangerous_url(value):
                found.append(f"{local_name} {name}={value}")
        if element.get("type") == "html" and element.text:
            found += active_html(BeautifulSoup(element.text, "html.parser"))
        elif local_name in {"id", "uri", "icon", "logo"} and element.text and is_dangerous_url(element.text):
            found.append(f"{local_name}: {element.text}")
    return found


# The JSON's keys whose values are addresses; every other string in it is text.
JSON_URL_KEYS = {"base_path", "web_url", "website"}


def json_values(data, key=None):
    """(key, string) for every string in parsed JSON, with the key it is under."""
    if isinstance(data, dict):
        for name, value in data.items():
            yield from json_values(value, name)
    elif isinstance(data, list):
        for value in data:
            yield from json_values(value, key)
    elif isinstance(data, str):
        yield key, data


def active_in_json(content):
    """JSON, as GOV.UK's content API: `details.body` and a withdrawal's explanation are HTML, addresses
    are links, everything else is text."""
    data = json.loads(content)
    found = [value for key, value in json_values(data) if key in JSON_URL_KEYS and is_dangerous_url(value)]
    for html in (data.get("details", {}).get("body"), data.get("withdrawn_notice", {}).get("explanation")):
        if html:
            found += active_html(BeautifulSoup(html, "html.parser"))
    return found


def active_content(response):
    content_type = response["Content-Type"].split(";")[0].strip()
    content = response.content.decode(response.charset or "utf-8")
    if content_type == "text/html":
        return active_html(BeautifulSoup(content, "html.parser"))
    if content_type in {"application/atom+xml", "application/xml", "text/xml", "application/rss+xml"}:
        return active_in_atom(content)
    if content_type == "application/json":
        return active_in_json(content)
    raise AssertionError(f"No check for content of type {content_type}")


def write_before_every_value(model, field_name, text):
    """Put `text` in front of the field's value in every record. The value stays, so each stays
    unique where it must be, and the page's placeholders still fill it in."""
    model.objects.update(**{field_name: Concat(Value(f"{text} "), field_name)})


def withdraw_every_page():
    """Withdraw the pages, so that their withdrawal notice is public too: the database holds a
    withdrawal explanation only with its date."""
    Page.objects.update(withdrawn_on=datetime.date(2026, 11, 28), withdrawal_explanation="Withdrawn.")


def store_everywhere(value):
    """Write `value` into every editable text field of every content record, as far as the database
    accepts it; return the fields it refused."""
    withdraw_every_page()
    refused = set()
    for model, field_name in editable_text_fields():
        try:
            with transaction.atomic():
                write_before_every_value(model, field_name, value)
        except IntegrityError:
            refused.add((model, field_name))
    return refused


def public_responses(client):
    """Each public address, fetched once."""
    responses = {url: client.get(url) for url in PUBLIC_URLS}
    for url, response in responses.items():
        assert response.status_code == 200, url
    return responses


def test_every_content_model_has_editable_text():
    """The enumeration finds the fields it must: a check on the check."""
    found = {(model.__name__, name) for model, name in editable_text_fields()}
    assert {("Centre", "website"), ("Centre", "name"), ("Section", "body"), ("PageUpdate", "note")} <= found


def test_every_editable_text_field_reaches_a_public_page(client, demo):
    """So the hostile values below are put where the public sees them."""
    markers = {
        (model, name): f"https://example.org/marked/{model.__name__}/{name}" for model, name in editable_text_fields()
    }
    withdraw_every_page()
    for (model, name), marker in markers.items():
        write_before_every_value(model, name, marker)
    text = "".join(response.content.decode() for response in public_responses(client).values())
    assert [f"{model.__name__}.{name}" for (model, name), marker in markers.items() if marker not in text] == []


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_values_in_every_field_are_shown_inert(client, demo, value):
    refused = store_everywhere(value)
    # Only web address fields may refuse, and only what is not an http(s) address.
    assert all(isinstance(model._meta.get_field(name), models.URLField) for model, name in refused), refused
    assert not (refused and value.startswith("http")), refused
    for url, response in public_responses(client).items():
        assert not active_content(response), url
        assert "EVALUATED" not in response.content.decode(), url


URL_FIELDS = [
    (model, name) for model, name in editable_text_fields() if isinstance(model._meta.get_field(name), models.URLField)
]


@pytest.mark.parametrize("model, field_name", URL_FIELDS, ids=[f"{m.__name__}.{n}" for m, n in URL_FIELDS])
@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/file", "mailto:a@example.org"]
)
def test_web_addresses_must_be_http(admin_client, demo, model, field_name, address):
    record = model.objects.first()
    before = getattr(record, field_name)
    values = form_values(admin_client.get(change_url(record)))
    values[field_name] = address
    values["major_change"] = "no"
    response = admin_client.post(change_url(record), values)
    assert list(field_errors(response)) == [field_name]
    record.refresh_from_db()
    assert getattr(record, field_name) == before
