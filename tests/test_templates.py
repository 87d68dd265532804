"""The template engines: Jinja2 for the public pages, Django's for the admin, each finding only its own
files; and Jinja2 escaping every value that is not marked safe."""

from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.template import TemplateDoesNotExist, engines
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

PUBLIC_TEMPLATES = sorted(
    path.relative_to(settings.BASE_DIR / "templates").as_posix()
    for path in (settings.BASE_DIR / "templates").rglob("*.html")
)
ADMIN_TEMPLATES = ["admin/updates/change_form_with_change_note.html", "admin/change_form.html"]


@pytest.mark.parametrize("name", PUBLIC_TEMPLATES)
def test_public_templates_are_jinja2_templates_only(name):
    engines["jinja2"].get_template(name)  # found, and parsed as Jinja2
    with pytest.raises(TemplateDoesNotExist):
        engines["django"].get_template(name)


@pytest.mark.parametrize("name", ADMIN_TEMPLATES)
def test_admin_templates_are_django_templates_only(name):
    engines["django"].get_template(name)
    with pytest.raises(TemplateDoesNotExist):
        engines["jinja2"].get_template(name)


def test_values_are_escaped_and_safe_html_is_not():
    text = """<b class="bold">It's</b> & more"""
    safe_html = mark_safe('<p class="govuk-body">Marked safe, it\'s written out as it is.</p>')
    html = render_to_string(
        "network/body.html", {"sections": [(SimpleNamespace(anchor=text, heading=text), safe_html)]}
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("h2")["id"] == text  # in an attribute: its quotes escaped
    assert soup.find("h2").get_text() == text  # in text: shown as written, not as markup
    assert safe_html in html
    assert "<b" not in html
