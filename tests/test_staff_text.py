"""Staff text cannot hurt the page: no text makes the work of saving it or of building the page
grow faster than the text, every field has a length limit, and placeholders are refused wherever
they would not fill in as text."""

import sys

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from centres.models import Centre, PolicyArea
from network.models import Page, Section
from tests.helpers import PAGE_URL, field_errors, form_values, parse
from updates.models import PageUpdate

SECTION_ADD = "/admin/network/section/add/"
TEXT_LIMIT = 10_000

# Inputs that take some Markdown parsers quadratic time or deep recursion, each made to a given length.
PATHOLOGICAL = {
    "nested brackets": lambda length: "[" * (length // 2) + "]" * (length // 2),
    "image openers": lambda length: "![" * (length // 2),
    "unclosed links": lambda length: "[a](" * (length // 4),
    "unclosed HTML tags": lambda length: "<a " * (length // 3),
    "deep list": lambda length: "- " * (length // 2 - 1) + "x",
    "deep indented list": lambda length: "".join("  " * depth + "- x\n" for depth in range(int(length**0.5) - 3)),
    "deep quotes": lambda length: "> " * (length // 2),
    "emphasis run": lambda length: "*a" * (length // 2),
    "strong emphasis openers": lambda length: "**" * (length // 2 - 1) + "a",
    "underscores": lambda length: "_a " * (length // 3),
    "backticks": lambda length: "`" * length,
    "an unclosed brace": lambda length: "{a" + " " * (length - 2),
    "braces": lambda length: "{a}" * (length // 3),
}


def section_values(admin_client, **changes):
    values = form_values(admin_client.get(SECTION_ADD))
    values.update(
        {"page": str(Page.objects.get().pk), "heading": "Pathological", "position": "99", "major_change": "no"}
    )
    values.update(changes)
    return values


def lines_run(call):
    """How many lines of Python run while `call()` runs, each time round a loop counted again: a
    measure of the work done that, unlike a stopwatch, does not depend on what else a shared
    machine is doing."""
    lines = 0

    def count(_frame, event, _arg):
        nonlocal lines
        lines += event == "line"
        return count

    sys.settrace(count)
    try:
        call()
    finally:
        sys.settrace(None)
    return lines


def save_and_show(admin_client, text):
    """Save a section with `text` and, if it is saved, build the page and serve it from the cache;
    then undo the save. The responses: the save's, and the page's two if it was saved."""
    with transaction.atomic():
        responses = [admin_client.post(SECTION_ADD, section_values(admin_client, body=text))]
        if responses[0].status_code == 302:
            cache.clear()
            responses += [admin_client.get(PAGE_URL), admin_client.get(PAGE_URL)]
        transaction.set_rollback(True)
    return responses


@pytest.mark.parametrize("text_of_length", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_the_work_of_saving_and_showing_text_grows_no_faster_than_the_text(admin_client, demo, text_of_length):
    save_and_show(admin_client, "Text.")  # what is done once, whatever the text, is done before counting
    anyway = lines_run(lambda: save_and_show(admin_client, "Text."))
    # Counting lines is slow, so the growth is measured on shorter texts. There, twice the text must
    # add at most twice the work, give or take the few lines that vary from one run to the next.
    # Work that grew with the text's square would add four times as much.
    eighth = lines_run(lambda: save_and_show(admin_client, text_of_length(TEXT_LIMIT // 8))) - anyway
    quarter = lines_run(lambda: save_and_show(admin_client, text_of_length(TEXT_LIMIT // 4))) - anyway
    assert quarter < 2.25 * eighth + anyway / 100
    saved, *pages = save_and_show(admin_client, text_of_length(TEXT_LIMIT))
    if saved.status_code != 302:  # refused, and said why on the field
        assert list(field_errors(saved)) == ["body"]
    for page in pages:  # built, then from the cache
        assert page.status_code == 200
        assert parse(page).find("h2", string="Pathological")


def test_text_over_the_limit_is_refused_on_its_field(admin_client, demo):
    text = PATHOLOGICAL["image openers"](TEXT_LIMIT) + "!"
    response = admin_client.post(SECTION_ADD, section_values(admin_client, body=text))
    assert field_errors(response) == {"body": ["Section text must be 10,000 characters or fewer."]}
    assert not Section.objects.filter(heading="Pathological").exists()


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
