"""Readers' feedback in a browser: "Is this page useful?" and a problem report, sent with and without
JavaScript; axe on the prompt opened, a refused report, the thank-you page and the admin's list."""

import pytest
from django.core.cache import caches

from feedback.models import Feedback, Kind
from tests.browser.axe import axe_violations, describe_violations
from tests.browser.conftest import sign_in
from tests.helpers import PAGE_URL

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo", "posts_from_the_live_server")]


@pytest.fixture
def posts_from_the_live_server(live_server, settings):
    """The live server's own pages are this site's: their posts' Origin is its address, not SITE_URL's.
    No posts are counted against this machine's address from earlier tests."""
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    caches["default"].clear()


def report_a_problem(page, what_doing, what_wrong):
    page.get_by_text("Report a problem with this page").click()
    page.get_by_label("What were you doing?").fill(what_doing)
    page.get_by_label("What went wrong?").fill(what_wrong)
    page.get_by_role("button", name="Send").click()


def test_without_javascript_yes_and_a_report_lead_to_the_thank_you_page_and_back(tab_without_javascript):
    page = tab_without_javascript.open(f"{PAGE_URL}/history")
    page.get_by_role("button", name="Yes this page is useful").click()
    page.get_by_role("heading", name="Thank you for your feedback").wait_for()
    page.get_by_role("link", name="Go back to the page you were reading").click()
    page.wait_for_url(f"**{PAGE_URL}/history")
    report_a_problem(page, "Counting members", "The 2019 figures look wrong")
    page.get_by_role("heading", name="Thank you for your feedback").wait_for()
    assert list(Feedback.objects.order_by("pk").values_list("kind", "path", "what_wrong")) == [
        (Kind.USEFUL, f"{PAGE_URL}/history", ""),
        (Kind.PROBLEM, f"{PAGE_URL}/history", "The 2019 figures look wrong"),
    ]
    assert tab_without_javascript.problems == []


def test_with_javascript_the_thanks_replace_the_forms_on_the_page(tab):
    page = tab.open(PAGE_URL)
    page.get_by_role("button", name="No this page is not useful").click()
    thanks = page.get_by_role("status")
    thanks.get_by_text("Thank you for your feedback.").wait_for()
    assert page.url.endswith(PAGE_URL)
    assert thanks.evaluate("element => element === document.activeElement")
    assert not page.get_by_role("button", name="Yes this page is useful").is_visible()
    assert not page.get_by_text("Report a problem with this page").is_visible()
    page = tab.open("/centres/taso")
    report_a_problem(page, "", "The website link is out of date")
    page.get_by_role("status").get_by_text("Thank you for your feedback.").wait_for()
    assert list(Feedback.objects.order_by("pk").values_list("kind", "path", "what_wrong")) == [
        (Kind.NOT_USEFUL, PAGE_URL, ""),
        (Kind.PROBLEM, "/centres/taso", "The website link is out of date"),
    ]
    assert tab.problems == []


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_an_empty_report_comes_back_with_the_reason(browser, live_server, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + PAGE_URL)
    report_a_problem(page, "", "")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter what you were doing or what went wrong." in summary.inner_text()
    summary.get_by_role("link").click()
    assert page.evaluate("() => document.activeElement.id") == "feedback-what-doing"
    context.close()
    assert not Feedback.objects.exists()


def test_axe_finds_no_violations_on_the_feedback_screens(tab, django_user_model):
    found = {}
    page = tab.open(PAGE_URL)
    page.get_by_text("Report a problem with this page").click()
    found["the prompt, opened"] = axe_violations(page)
    page.get_by_label("What went wrong?").fill("x" * 3_001)
    page.get_by_role("button", name="Send").click()
    page.locator(".govuk-error-summary").wait_for()
    found["a refused report"] = axe_violations(page)
    page.get_by_label("What went wrong?").fill("A typo")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you for your feedback").wait_for()
    found["the thank-you page"] = axe_violations(page)
    page = tab.open(PAGE_URL)
    page.get_by_role("button", name="Yes this page is useful").click()
    page.get_by_role("status").get_by_text("Thank you for your feedback.").wait_for()
    found["the thanks in place"] = axe_violations(page)
    sign_in(tab, django_user_model, "editor")
    found["the admin's list"] = axe_violations(tab.open("/admin/feedback/feedback/"))
    found["an answer in the admin"] = axe_violations(
        tab.open(f"/admin/feedback/feedback/{Feedback.objects.first().pk}/change/")
    )
    found = {screen: describe_violations(violations) for screen, violations in found.items() if violations}
    assert found == {}, "\n".join(f"{screen}:\n{text}" for screen, text in found.items())
