"""The page's related links in a browser: beside the text on a wide screen, after it on a narrow one,
left out of print; staff add them in the page's form; axe on the page and the admin screens."""

import pytest

from network.models import Page, RelatedLink
from tests.browser.axe import axe_violations, describe_violations
from tests.helpers import PAGE_URL
from tools.browser import MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

RELATED = ".gem-c-related-navigation"


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_related_links_are_beside_the_text_on_a_wide_screen(tab):
    page = tab.open(PAGE_URL)
    related, text = box(page, RELATED), box(page, "main .govuk-grid-column-two-thirds >> nth=1")
    assert related["x"] >= text["x"] + text["width"]  # to its right
    assert related["y"] < box(page, "h2#introduction")["y"]  # level with its top, not below it
    links = page.get_by_role("navigation", name="Related content").get_by_role("link")
    assert links.all_inner_texts() == [
        "What Works Network strategy",
        "The What Works Network: five years on",
        "Evaluation Task Force",
    ]
    # GOV.UK's look: a blue rule above a bold heading.
    rule = page.locator(RELATED).evaluate("e => getComputedStyle(e).borderTop")
    assert rule == "2px solid rgb(29, 112, 184)"
    assert page.locator(f"{RELATED} h2").evaluate("e => getComputedStyle(e).fontWeight") == "700"


def test_related_links_come_after_the_text_on_a_narrow_screen(browser, live_server):
    context = browser.new_context(viewport=MOBILE)
    page = context.new_page()
    page.goto(live_server.url + PAGE_URL, wait_until="networkidle")
    related, updates = box(page, RELATED), box(page, ".app-history")
    context.close()
    assert related["y"] >= updates["y"] + updates["height"]  # below all of the text
    assert related["width"] >= MOBILE["width"] - 2 * 20  # the full width, within the page's margins


def test_printing_leaves_the_related_links_out(tab):
    page = tab.open(PAGE_URL)
    page.emulate_media(media="print")
    assert not page.locator(RELATED).is_visible()
    assert page.locator(".app-source").is_visible()  # the attribution is printed


@pytest.mark.parametrize("viewport", [None, MOBILE], ids=["desktop", "phone"])
def test_axe_finds_no_violations_on_the_page_with_related_links(browser, live_server, viewport):
    context = browser.new_context(**({"viewport": viewport} if viewport else {}))
    page = context.new_page()
    page.goto(live_server.url + PAGE_URL, wait_until="networkidle")
    assert page.locator(RELATED).is_visible()
    violations = axe_violations(page)
    context.close()
    assert violations == [], describe_violations(violations)


def test_staff_add_a_related_link_in_the_page_form_and_order_it(admin_tab):
    page_record = Page.objects.get()
    page = admin_tab.open(f"/admin/network/page/{page_record.pk}/change/")
    page.get_by_role("button", name="Add another Related link").click()
    row = page.locator("#related_links-group .dynamic-related_links").last
    row.get_by_label("Title").fill("Evaluation in government")
    row.get_by_label("Address").fill("www.gov.uk/evaluation")  # the admin adds https://
    page.get_by_label("No – a minor change").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/network/page/")
    assert RelatedLink.objects.get(title="Evaluation in government").address == "https://www.gov.uk/evaluation"

    page = admin_tab.open(f"/admin/network/page/{page_record.pk}/change/")
    page.get_by_role("link", name="Order related links").click()
    page.get_by_role("button", name="Move up Evaluation in government").click()
    public = admin_tab.open(PAGE_URL)
    links = public.get_by_role("navigation", name="Related content").get_by_role("link")
    assert links.all_inner_texts()[-2:] == ["Evaluation in government", "Evaluation Task Force"]
    assert admin_tab.problems == []


def test_axe_finds_no_violations_on_the_page_form_with_related_links(admin_tab):
    page_record = Page.objects.get()
    found = {}
    for url in (
        f"/admin/network/page/{page_record.pk}/change/",
        f"/admin/network/relatedlink/order/{page_record.pk}/",
        "/admin/network/relatedlink/",
        f"/admin/network/relatedlink/{RelatedLink.objects.first().pk}/change/",
    ):
        violations = axe_violations(admin_tab.open(url))
        if violations:
            found[url] = describe_violations(violations)
    # The form again, refusing a second link to an address the page already links to.
    page = admin_tab.open(f"/admin/network/page/{page_record.pk}/change/")
    page.get_by_role("button", name="Add another Related link").click()
    row = page.locator("#related_links-group .dynamic-related_links").last
    row.get_by_label("Title").fill("The strategy again")
    row.get_by_label("Address").fill(RelatedLink.objects.first().address)
    page.get_by_label("No – a minor change").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.get_by_text("This page already has a related link to this address.").first.is_visible()
    violations = axe_violations(page)
    if violations:
        found["page form with errors"] = describe_violations(violations)
    assert found == {}, "\n".join(f"{url}:\n{text}" for url, text in found.items())
