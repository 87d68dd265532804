"""The link checks' admin screens in a browser: staff check the links, broken ones come first, and
axe finds no violations, in the admin's light and dark themes."""

import pytest

from links.models import CheckedLink
from tests.browser.axe import ScreenChecks

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LINKS = "/admin/links/checkedlink/"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_staff_check_the_links_and_axe_finds_no_violations(admin_tab, linked_content, other_sites, theme):
    admin_tab.page.emulate_media(color_scheme=theme)
    screens = ScreenChecks()

    page = admin_tab.open("/admin/")
    page.get_by_role("link", name="Checked links").click()
    screens.check("the links, none checked yet", admin_tab)
    page.get_by_role("button", name="Check links now").click()
    page.get_by_text("9 links checked: 2 working, 1 redirect, 5 broken, 1 timed out.").wait_for()
    screens.check("the links, checked", admin_tab)
    statuses = page.locator("#result_list tbody td.field-status").all_inner_texts()
    assert statuses == ["Broken"] * 5 + ["Timed out", "Redirect", "Working", "Working"]
    not_found = page.locator("#result_list tbody tr", has_text=other_sites.addresses["not found"])
    assert not_found.locator("td.field-result").inner_text() == "404"
    where = not_found.locator("td.field-where_it_appears")
    assert where.get_by_role("link", name="/guidance/links-page#further-reading").get_attribute("href") == (
        "/guidance/links-page#further-reading"
    )
    section = linked_content[1]
    assert where.get_by_role("link", name="section “Further reading”").get_attribute("href") == (
        f"/admin/network/section/{section.pk}/change/"
    )
    page.get_by_role("link", name="Timed out").click()
    page.locator("#result_list").get_by_role("link", name=other_sites.addresses["never answers"]).wait_for()
    screens.check("the links that timed out", admin_tab)
    link = CheckedLink.objects.get(address=other_sites.addresses["not found"])
    admin_tab.open(f"{LINKS}{link.pk}/change/")
    screens.check("a link's page", admin_tab)
    screens.assert_none_found()
