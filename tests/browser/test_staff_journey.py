"""A member of staff, in the browser, adds an affiliate centre in the admin and sees it on the public page."""

import pytest

from tests.helpers import PAGE_URL

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def test_staff_add_an_affiliate_centre_and_see_it_on_the_page(admin_tab):
    page = admin_tab.page
    page.get_by_role("link", name="Centres").click()
    page.get_by_role("link", name="Add centre").click()

    page.get_by_label("Name").press_sequentially("Centre for Evidence in Sport")
    # The admin fills the slug in from the name as staff type.
    assert page.get_by_label("Slug").input_value() == "centre-for-evidence-in-sport"
    page.get_by_label("Website").fill("https://sport.example.org")
    page.locator("#id_memberships-0-kind").select_option(label="Affiliate")
    page.locator("#id_memberships-0-policy_area").select_option(label="Youth offending")
    page.locator("#id_memberships-0-start_date").fill("1/1/2025")
    page.locator("#id_memberships-0-position").fill("4")
    page.get_by_label("Yes – readers need to know").check()
    page.get_by_role("textbox", name="Change note").fill("Centre for Evidence in Sport joined as an affiliate member.")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    page = admin_tab.open(PAGE_URL)
    main = page.locator("main")
    assert "The network is made up of 9 independent What Works Centres and 4 affiliate members." in main.inner_text()
    last_row = page.locator("table tbody tr").last
    assert last_row.locator("td").first.inner_text().splitlines()[0] == "Affiliate: Centre for Evidence in Sport"
    assert last_row.get_by_role("link", name="Centre for Evidence in Sport", exact=True).get_attribute("href") == (
        "https://sport.example.org"
    )
    page.get_by_text("Show all updates").click()
    assert (
        page.locator("#full-history li")
        .first.inner_text()
        .endswith("Centre for Evidence in Sport joined as an affiliate member.")
    )
    assert admin_tab.problems == []
