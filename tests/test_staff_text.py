"""Staff text cannot hurt the page: no text makes it slow, every field has a length limit, and
placeholders are refused wherever they would not fill in as text."""

import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from centres.models import Centre, PolicyArea
from network.models import Page, Section
from tests.helpers import PAGE_URL, field_errors, form_values, parse
from updates.models import PageUpdate

SECTION_ADD = "/admin/network/section/add/"
TEXT_LIMIT = 10_000

# Inputs that take some Markdown parsers quadratic time or deep recursion, each up to the limit.
PATHOLOGICAL = {
    "nested brackets": "[" * (TEXT_LIMIT // 2) + "]" * (TEXT_LIMIT // 2),
    "image openers": "![" * (TEXT_LIMIT // 2),
    "unclosed links": "[a](" * (TEXT_LIMIT // 4),
    "unclosed HTML tags": "<a " * (TEXT_LIMIT // 3),
    "deep list": "- " * (TEXT_LIMIT // 2 - 1) + "x",
    "deep indented list": "".join("  " * depth + "- x\n" for depth in range(97)),
    "deep quotes": "> " * (TEXT_LIMIT // 2),
    "emphasis run": "*a" * (TEXT_LIMIT // 2),
    "strong emphasis openers": "**" * (TEXT_LIMIT // 2 - 1) + "a",
    "underscores": "_a " * (TEXT_LIMIT // 3),
    "backticks": "`" * TEXT_LIMIT,
    "an unclosed brace": "{a" + " " * (TEXT_LIMIT - 2),
    "braces": "{a}" * (TEXT_LIMIT // 3),
    "over the limit": "![" * (TEXT_LIMIT // 2) + "!",
}


def section_values(admin_client, **changes):
    values = form_values(admin_client.get(SECTION_ADD))
    values.update(
        {"page": str(Page.objects.get().pk), "heading": "Pathological", "position": "99", "major_change": "no"}
    )
    values.update(changes)
    return values


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_no_text_makes_saving_or_the_page_slow(admin_client, demo, text):
    values = section_values(admin_client, body=text)
    response, seconds = timed(lambda: admin_client.post(SECTION_ADD, values))
    assert seconds < 1
    if len(text) > TEXT_LIMIT:
        assert field_errors(response) == {"body": ["Section text must be 10,000 characters or fewer."]}
    if response.status_code != 302:  # refused, and said why on the field
        assert list(field_errors(response)) == ["body"]
        return

    cache.clear()
    for path in ("built", "cached"):
        page, seconds = timed(lambda: admin_client.get(PAGE_URL))
        assert page.status_code == 200, path
        assert seconds < 1, path
    assert parse(page).find("h2", string="Pathological")


@pytest.mark.parametrize(
    "model, field, message",
    [
        (Section, "body", "Section text must be 10,000 characters or fewer."),
        (Page, "summary", "The summary must be 1,000 characters or fewer."),
        (PageUpdate, "note", "A change note must be 1,000 characters or fewer."),
    ],
)
def test_long_text_is_refused_on_its_field(demo, model, field, message):
    record = model.objects.first()
    limit = int(message.split()[-4].replace(",", ""))
    setattr(record, field, "a" * limit)
    record.full_clean()
    setattr(record, field, "a" * (limit + 1))
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict == {field: [message]}


def test_a_long_change_note_is_refused_in_the_major_change_question(admin_client, demo):
    values = section_values(admin_client, body="Text.", major_change="yes", change_note="a" * 1001)
    response = admin_client.post(SECTION_ADD, values)
    assert field_errors(response) == {"change_note": ["A change note must be 1,000 characters or fewer."]}
    assert not Section.objects.filter(heading="Pathological").exists()


ATTRIBUTE_MESSAGE = (
    "{network_members} cannot be part of a link's address, an image or an HTML attribute: "
    "a placeholder fills in text only."
)


@pytest.mark.parametrize(
    "body",
    [
        "Read [the list]({network_members}).",
        "Read [the list](https://example.org/{network_members}).",
        "Read [the list](https://example.org/ '{network_members}').",
        "Read [the list][list].\n\n[list]: https://example.org/?q={network_members}",
        "Read <https://example.org/{network_members}>.",
        "![{network_members}](https://example.org/chart.png)",
        "![A chart](https://example.org/{network_members}.png)",
        '![A chart](https://example.org/chart.png "{network_members}")',
        '<abbr title="{network_members}">WWN</abbr> is a network.',
        '<a href="https://example.org/" title="{network_members}">the list</a>',
        '<a href="https://example.org/?q=&#123;network_members&#125;">the list</a>',
    ],
    ids=[
        "link address",
        "in a link address",
        "link title",
        "reference link",
        "autolink",
        "image text",
        "image address",
        "image title",
        "abbreviation title",
        "HTML link title",
        "character references",
    ],
)
def test_a_placeholder_inside_a_link_image_or_attribute_is_refused(admin_client, demo, body):
    response = admin_client.post(SECTION_ADD, section_values(admin_client, body=body))
    assert field_errors(response) == {"body": [ATTRIBUTE_MESSAGE]}
    assert not Section.objects.filter(heading="Pathological").exists()


@pytest.mark.parametrize(
    "body",
    [
        "There are {network_members}.",
        "[{network_members}](https://example.org/) and `{affiliate_members}`.",
        "Intro.\n\n{centres_table}\n\nAfter the table.",
    ],
)
def test_placeholders_standing_as_text_are_saved(admin_client, demo, body):
    response = admin_client.post(SECTION_ADD, section_values(admin_client, body=body))
    assert response.status_code == 302, field_errors(response)
    assert Section.objects.get(heading="Pathological").body == body


KNOWN = "{centres_table}, {network_members}, {what_works_centres}, {affiliate_members}, {associate_members}"


@pytest.mark.parametrize("braces", ["{Centres_Table}", "{network members}", "{NETWORK_MEMBERS}", "{ centre_count }"])
def test_braces_that_look_like_a_placeholder_are_refused_with_the_names(admin_client, demo, braces):
    response = admin_client.post(SECTION_ADD, section_values(admin_client, body=f"We have {braces} today."))
    assert field_errors(response) == {"body": [f"{braces} is not a placeholder. The placeholders are: {KNOWN}."]}


@pytest.mark.parametrize(
    "body", ["The members are {centres_table} today.", "The members:\n{centres_table}", "- {centres_table}"]
)
def test_the_table_placeholder_must_stand_on_a_line_of_its_own(admin_client, demo, body):
    response = admin_client.post(SECTION_ADD, section_values(admin_client, body=body))
    assert field_errors(response) == {
        "body": ["{centres_table} must stand on a line of its own, with a blank line before and after it."]
    }


def test_braces_that_are_not_placeholder_like_are_text(admin_client, demo):
    body = 'Sets are written {1, 2, 3}; JSON as {"a": 1}.'
    response = admin_client.post(SECTION_ADD, section_values(admin_client, body=body))
    assert response.status_code == 302, field_errors(response)


@pytest.mark.parametrize(
    "model, field",
    [
        (Page, "title"),
        (Page, "summary"),
        (Page, "table_caption"),
        (Page, "withdrawal_explanation"),
        (Section, "heading"),
        (Centre, "name"),
        (Centre, "text_after_link"),
        (PolicyArea, "name"),
        (PageUpdate, "note"),
    ],
)
@pytest.mark.parametrize("braces", ["{network_members}", "{Network_Members}"])
def test_fields_shown_as_typed_refuse_placeholders(demo, model, field, braces):
    record = model.objects.first()
    setattr(record, field, f"About {braces}")
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict[field] == [
        f"{braces} would be shown as typed: placeholders fill in only in a section's text. "
        f"The placeholders are: {KNOWN}."
    ]


def test_a_placeholder_in_the_summary_is_refused_in_the_admin(admin_client, demo):
    page = Page.objects.get()
    url = f"/admin/network/page/{page.pk}/change/"
    values = form_values(admin_client.get(url))
    values.update({"summary": "The network has {Network_Members}.", "major_change": "no"})
    response = admin_client.post(url, values)
    assert list(field_errors(response)) == ["summary"]
    assert "{network_members}" in field_errors(response)["summary"][0]
