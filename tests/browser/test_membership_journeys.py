"""Staff, in the browser, change a centre's membership with the centre's own actions and see the public pages follow."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from centres.models import Centre, long_date
from tests.browser.axe import axe_violations, describe_violations
from tests.helpers import PAGE_URL
from updates.models import PageUpdate

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def open_centre(page, name):
    page.get_by_role("link", name="Centres").click()
    page.get_by_role("link", name=name, exact=True).click()


def words(text):
    return " ".join(text.split())


def assert_no_axe_violations(page):
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_staff_promote_an_affiliate_to_a_what_works_centre(admin_tab):
    page = admin_tab.page
    open_centre(page, "Youth Endowment Fund")
    page.get_by_role("link", name="Change membership kind").click()
    assert_no_axe_violations(page)
    page.get_by_label("What Works Centre").check()
    page.get_by_role("button", name="Continue").click()

    # The second step says what will be saved and suggests the change note.
    assert_no_axe_violations(page)
    assert page.locator("#membership-changes li").all_inner_texts() == [
        f"Affiliate from 1 March 2020 to {long_date(timezone.localdate() - datetime.timedelta(days=1))}",
        f"What Works Centre from {long_date(timezone.localdate())}",
    ]
    note = page.get_by_role("textbox", name="Change note")
    assert note.input_value() == "Youth Endowment Fund is now a What Works Centre."
    page.get_by_label("Yes – readers need to know").check()
    page.get_by_role("button", name="Save", exact=True).click()
    assert (
        "Its change note “Youth Endowment Fund is now a What Works Centre.” was published on “What Works Network”"
        in (page.locator(".messagelist").inner_text())
    )

    page = admin_tab.open(PAGE_URL)
    main = page.locator("main")
    assert "The network is made up of 10 independent What Works Centres and 2 affiliate members." in main.inner_text()
    page.get_by_text("Show all updates").click()
    assert (
        page.locator("#full-history li").first.inner_text().endswith("Youth Endowment Fund is now a What Works Centre.")
    )


def test_staff_schedule_a_centre_to_join_later(admin_tab, time_machine):
    Centre.objects.create(name="Centre for Evidence in Sport", slug="sport", website="https://sport.example")
    joins = timezone.localdate() + datetime.timedelta(days=3)
    page = admin_tab.page
    open_centre(page, "Centre for Evidence in Sport")
    page.get_by_role("link", name="Start membership").click()
    page.get_by_role("button", name="Continue").click()
    assert "This field is required." in page.locator(".field-kind").inner_text()
    assert_no_axe_violations(page)  # the form with its errors
    page.get_by_label("Affiliate").check()
    page.get_by_label("The day it starts").fill(joins.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("textbox", name="Change note").input_value() == (
        "Centre for Evidence in Sport has joined the network as an affiliate member."
    )
    page.get_by_label("Yes – readers need to know").check()
    page.get_by_role("button", name="Save", exact=True).click()
    assert f"to be shown from {long_date(joins)}" in page.locator(".messagelist").inner_text()

    # Until that day the centre page says when it joins, and the page has neither it nor its note.
    page = admin_tab.open("/centres/sport")
    assert f"Joins the network on {long_date(joins)}" in page.locator("main").inner_text()
    page = admin_tab.open(PAGE_URL)
    assert "Centre for Evidence in Sport" not in page.locator("main").inner_text()

    # On the day, both appear, with no one touching anything.
    time_machine.move_to(datetime.datetime.combine(joins, datetime.time(9), ZoneInfo("Europe/London")))
    page = admin_tab.open("/centres/sport")
    assert words(page.locator(".govuk-summary-list__row").nth(1).inner_text()) == "Membership Affiliate"
    page = admin_tab.open(PAGE_URL)
    page.get_by_text("Show all updates").click()
    assert words(page.locator("#full-history li").first.inner_text()) == (
        f"{long_date(joins)} Centre for Evidence in Sport has joined the network as an affiliate member."
    )


@pytest.mark.parametrize(
    "screen",
    ["centre", "centre's deletion", "membership", "membership's deletion", "change note"],
)
def test_the_changed_admin_screens_have_no_axe_violations(admin_tab, screen):
    centre = Centre.objects.get(slug="youth-endowment-fund")
    membership = centre.memberships.get()
    update = PageUpdate.objects.first()
    path = {
        "centre": f"/admin/centres/centre/{centre.pk}/change/",
        "centre's deletion": f"/admin/centres/centre/{centre.pk}/delete/",
        "membership": f"/admin/centres/membership/{membership.pk}/change/",
        "membership's deletion": f"/admin/centres/membership/{membership.pk}/delete/",
        "change note": f"/admin/updates/pageupdate/{update.pk}/change/",
    }[screen]
    assert_no_axe_violations(admin_tab.open(path))
