"""Withdrawal, as GOV.UK does it: a page that is no longer current stays readable, with a notice at
the top, "[Withdrawn]" in its title, and its feed and JSON saying so. It is a change to the page
like any other (saved in the admin or through a draft), and clearing it undoes it."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.db import IntegrityError, transaction
from django.test import override_settings

from drafts.models import Draft
from network.models import Page
from network.placeholders import KNOWN
from tests.helpers import (
    CACHING_OFF,
    PAGE_URL,
    change_url,
    field_errors,
    parse,
    post_change_form,
    save_as_draft,
    submit_and_publish,
    text_of,
)
from updates.models import PageUpdate

TODAY = "2030-01-15"  # the day of the `editor` fixture
EXPLANATION = "This guidance is out of date. Read [the new guidance](https://www.gov.uk/new-guidance) instead."
NOTICE = "This guidance was withdrawn on 15 January 2030"
ATOM = "{http://www.w3.org/2005/Atom}"
FEED_URL = f"{PAGE_URL}.atom"
CONTENT_URL = f"/api/content{PAGE_URL}"


def withdraw(client, day=TODAY, explanation=EXPLANATION, **changes):
    """Save the page's form with the withdrawal fields filled in (or cleared, with empty values)."""
    values = {"withdrawn_on": day, "withdrawal_explanation": explanation, "major_change": "no", **changes}
    return post_change_form(client, Page.objects.get(), **values)


def notice(soup):
    """The withdrawal notice: GOV.UK's notice component, a notification banner with no title bar."""
    notices = soup.select("main section.govuk-notification-banner[aria-label='Notice']")
    assert len(notices) <= 1
    return notices[0] if notices else None


def feed(client):
    return ET.fromstring(client.get(FEED_URL).content)


# --- Withdrawing in the admin --------------------------------------------------------------------


@pytest.mark.parametrize("caches", ["cached", "uncached"])
def test_a_withdrawn_page_stays_readable_with_the_notice_at_the_top(editor, client, caches):
    with override_settings(**({} if caches == "cached" else {"CACHES": CACHING_OFF})):
        before = parse(client.get(PAGE_URL))
        assert notice(before) is None
        assert text_of(before.title) == "What Works Network - Guidance"
        assert withdraw(editor).status_code == 302
        for _ in ("built", "again"):
            response = client.get(PAGE_URL)
            soup = parse(response)
            assert text_of(soup.title) == "[Withdrawn] What Works Network - Guidance"
            assert text_of(soup.h1) == "What Works Network"  # GOV.UK marks the title, not the heading
            banner = notice(soup)
            heading = banner.select_one("h2.govuk-notification-banner__heading")
            assert text_of(heading) == NOTICE
            assert heading.time["datetime"] == TODAY
            link = banner.select_one("p.govuk-body a.govuk-link")
            assert text_of(banner.p) == "This guidance is out of date. Read the new guidance instead."
            assert link["href"] == "https://www.gov.uk/new-guidance"
            # Under the page's metadata, above its contents, as on GOV.UK; the page is all there.
            assert banner.find_previous_sibling("dl", class_="app-metadata")
            assert banner.find_next("nav", class_="app-contents-list")
            assert text_of(before.select_one("#full-history")) == text_of(soup.select_one("#full-history"))
        # The second request was served from the cache, under the new content version, with the notice.
        assert (response.templates == []) == (caches == "cached")


def test_the_notice_names_the_pages_document_type(editor, client):
    withdraw(editor, document_type="Detailed guide")
    assert text_of(notice(parse(client.get(PAGE_URL))).h2) == "This detailed guide was withdrawn on 15 January 2030"


def test_a_withdrawal_needs_no_change_note(editor, client):
    """GOV.UK publishes no change note for a withdrawal: the notice tells readers."""
    notes = PageUpdate.objects.count()
    withdraw(editor)
    assert PageUpdate.objects.count() == notes
    assert Page.objects.get().withdrawn_on == datetime.date(2030, 1, 15)


def test_the_page_list_shows_which_pages_are_withdrawn(editor):
    withdraw(editor)
    column = parse(editor.get("/admin/network/page/")).select_one("#result_list tbody .field-withdrawn_on")
    assert text_of(column) == "15 Jan 2030"


def test_the_page_form_explains_withdrawal(editor):
    soup = parse(editor.get(change_url(Page.objects.get())))
    fieldset = next(f for f in soup.select("fieldset") if text_of(f).startswith("Withdrawal"))
    text = text_of(fieldset)
    assert "Enter both fields to withdraw it, clear both to undo." in text
    assert fieldset.select_one("input[name=withdrawn_on]") and fieldset.select_one(
        "textarea[name=withdrawal_explanation]"
    )


# --- The feed and the JSON -----------------------------------------------------------------------


def test_the_feed_says_the_page_is_withdrawn(editor, client):
    entries = len(feed(client).findall(f"{ATOM}entry"))
    withdraw(editor)
    withdrawn = feed(client)
    assert withdrawn.find(f"{ATOM}title").text == "[Withdrawn] What Works Network: updates"
    assert withdrawn.find(f"{ATOM}subtitle").text == (
        "This guidance was withdrawn on 15 January 2030. This guidance is out of date. Read the new guidance instead."
    )
    # No entry of its own: the feed's entries are change notes, and a withdrawal needs none.
    assert len(withdrawn.findall(f"{ATOM}entry")) == entries


def test_the_json_has_gov_uks_withdrawn_notice(editor, client):
    assert client.get(CONTENT_URL).json()["withdrawn_notice"] == {}  # as GOV.UK's content store has it
    withdraw(editor)
    content = client.get(CONTENT_URL).json()
    assert content["title"] == "What Works Network"
    assert content["withdrawn_notice"]["withdrawn_at"] == "2030-01-15T00:00:00+00:00"
    explanation = BeautifulSoup(content["withdrawn_notice"]["explanation"], "html.parser")
    assert text_of(explanation) == "This guidance is out of date. Read the new guidance instead."
    assert explanation.a["href"] == "https://www.gov.uk/new-guidance"
    assert set(content["withdrawn_notice"]) == {"explanation", "withdrawn_at"}


# --- Undoing it ----------------------------------------------------------------------------------


def test_clearing_the_withdrawal_undoes_it_everywhere(editor, client):
    withdraw(editor)
    assert notice(parse(client.get(PAGE_URL)))
    assert withdraw(editor, day="", explanation="").status_code == 302
    soup = parse(client.get(PAGE_URL))
    assert notice(soup) is None
    assert text_of(soup.title) == "What Works Network - Guidance"
    assert feed(client).find(f"{ATOM}title").text == "What Works Network: updates"
    assert feed(client).find(f"{ATOM}subtitle").text == Page.objects.get().summary
    assert client.get(CONTENT_URL).json()["withdrawn_notice"] == {}


def test_the_audit_trail_keeps_the_withdrawal_and_its_undoing(editor):
    withdraw(editor)
    withdraw(editor, day="", explanation="")
    history = text_of(parse(editor.get(f"{change_url(Page.objects.get()).removesuffix('change/')}history/")))
    assert "Withdrawn on: — → 15 January 2030" in history
    assert "Withdrawn on: 15 January 2030 → —" in history


# --- Through a draft -----------------------------------------------------------------------------


def test_a_withdrawal_saved_as_a_draft_shows_only_once_published(editor, client):
    version = client.get(PAGE_URL).content
    save_as_draft(
        editor,
        change_url(Page.objects.get()),
        draft_name="Withdraw the network page",
        withdrawn_on=TODAY,
        withdrawal_explanation=EXPLANATION,
    )
    draft = Draft.objects.get()
    assert client.get(PAGE_URL).content == version
    assert Page.objects.get().withdrawn_on is None
    assert text_of(notice(parse(editor.get(f"/preview/{draft.pk}{PAGE_URL}"))).h2) == NOTICE
    comparison = parse(editor.get(f"/admin/drafts/draft/{draft.pk}/change/")).select_one(".app-comparison")
    rows = [[text_of(cell) for cell in row.select("th, td")] for row in comparison.select("tbody tr")]
    assert rows == [["Withdrawn on", "—", "15 January 2030"], ["Withdrawal explanation", "—", EXPLANATION]]

    _reviewer, response = submit_and_publish(editor, draft, answer="no", note="")
    assert response.status_code == 302
    soup = parse(client.get(PAGE_URL))
    assert text_of(notice(soup).h2) == NOTICE
    assert text_of(soup.title) == "[Withdrawn] What Works Network - Guidance"


# --- What is refused -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, explanation, errors",
    [
        (
            TODAY,
            "",
            {
                "withdrawal_explanation": [
                    "Enter an explanation: readers see it under the withdrawal notice. Or clear the date."
                ]
            },
        ),
        ("", EXPLANATION, {"withdrawn_on": ["Enter the day the page was withdrawn, or clear the explanation."]}),
        (
            "2030-01-16",
            EXPLANATION,
            {
                "withdrawn_on": [
                    "Enter today’s date or an earlier one: the page is withdrawn when this change is published."
                ]
            },
        ),
        ("15 Jan", EXPLANATION, {"withdrawn_on": ["Enter a date like 1 December 2026 or 2026-12-01."]}),
        (
            TODAY,
            "a" * 1001,
            {"withdrawal_explanation": ["The withdrawal explanation must be 1,000 characters or fewer."]},
        ),
        (
            TODAY,
            "See {network_members}.",
            {
                "withdrawal_explanation": [
                    "{network_members} would be shown as typed: placeholders fill in only in a section's text. "
                    f"The placeholders are: {KNOWN}."
                ]
            },
        ),
    ],
    ids=["date alone", "explanation alone", "a later day", "not a date", "too long", "a placeholder"],
)
def test_a_withdrawal_is_refused_on_the_field_that_needs_it(editor, client, day, explanation, errors):
    live = client.get(PAGE_URL).content
    response = withdraw(editor, day=day, explanation=explanation)
    assert response.status_code == 200
    assert field_errors(response) == errors
    summary = text_of(parse(response).select_one(".govuk-error-summary"))
    assert all(message in summary for messages in errors.values() for message in messages)
    assert client.get(PAGE_URL).content == live


def test_an_explanation_of_the_limit_is_saved(editor):
    assert withdraw(editor, explanation="a" * 1000).status_code == 302


@pytest.mark.parametrize(
    "fields", [{"withdrawn_on": datetime.date(2030, 1, 15)}, {"withdrawal_explanation": EXPLANATION}]
)
def test_the_database_refuses_one_without_the_other(demo, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.update(**fields)
