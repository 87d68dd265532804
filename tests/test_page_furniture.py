"""What a page carries around its text, as GOV.UK's pages do: the licence statement and the page's
source (attribution, as the Open Government Licence asks of a republisher), its related links, and
the metadata search engines and shared links read."""

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import override_settings

from drafts.models import Draft
from network.models import Page, RelatedLink
from tests.helpers import (
    CACHING_OFF,
    PAGE_URL,
    PUBLIC_PAGES,
    admin_messages,
    change_url,
    draft_url,
    field_errors,
    parse,
    post_change_form,
    preview_url,
    save_as_draft,
    text_of,
)

LICENCE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SOURCE = "https://www.gov.uk/guidance/what-works-network"
DEMO_LINKS = [
    ("What Works Network strategy", "https://www.gov.uk/government/publications/the-what-works-network-strategy"),
    (
        "The What Works Network: five years on",
        "https://www.gov.uk/government/publications/the-what-works-network-five-years-on",
    ),
    ("Evaluation Task Force", "https://www.gov.uk/government/organisations/evaluation-task-force"),
]
RELATED_LINKS_ORDER = "/admin/network/relatedlink/order/{}/"


def related_links(soup):
    """The links under "Related content", as (text, address), in order."""
    return [(text_of(link), link["href"]) for link in soup.select(".gem-c-related-navigation a")]


def new_link(number, title, address):
    """The page form's fields for a new related link, the inline's form `number` (counting from 0)."""
    prefix = f"related_links-{number}"
    return {"related_links-TOTAL_FORMS": str(number + 1), f"{prefix}-title": title, f"{prefix}-address": address}


def add_link(client, title, address):
    page = Page.objects.get()
    return post_change_form(client, page, major_change="no", **new_link(page.related_links.count(), title, address))


def metadata(soup):
    """The page's metadata, by name (or Open Graph property): description, canonical, og:…"""
    head = soup.head
    values = {meta["property"]: meta["content"] for meta in head.select("meta[property^='og:']")}
    description = head.select_one("meta[name=description]")
    canonical = head.select_one("link[rel=canonical]")
    if description is not None:
        values["description"] = description["content"]
    if canonical is not None:
        values["canonical"] = canonical["href"]
    return values


# --- Attribution ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE_URL, "/centres/taso", "/no-such-page"])
def test_the_footer_carries_the_licence_statement_a_republisher_owes(demo, client, url):
    footer = parse(client.get(url)).select_one("footer")
    licence = footer.select_one(".govuk-footer__licence-description")
    assert text_of(licence) == "Contains public sector information licensed under the Open Government Licence v3.0"
    link = footer.find("a", string="Open Government Licence v3.0")
    assert link["href"] == LICENCE
    assert link["rel"] == ["license"]


def test_the_page_names_and_links_to_its_source_on_gov_uk(demo, get_page):
    source = get_page().select_one(".app-source")
    assert text_of(source) == "This page reproduces “What Works Network” on GOV.UK."
    assert source.find("a")["href"] == SOURCE


def test_a_page_with_no_source_address_claims_none(demo, get_page):
    Page.objects.update(source_address="")
    soup = get_page()
    assert soup.select_one(".app-source") is None
    assert "reproduces" not in text_of(soup.find("main"))


def test_staff_change_the_source_address_in_the_page_form(staff, get_page):
    new = "https://www.gov.uk/guidance/what-works-network-2"
    response = post_change_form(staff, Page.objects.get(), source_address=new, major_change="no")
    assert response.status_code == 302, field_errors(response)
    assert get_page().select_one(".app-source a")["href"] == new


@pytest.mark.parametrize("address", ["http://www.gov.uk/guidance/what-works-network", "ftp://www.gov.uk/guidance"])
def test_a_source_address_must_be_https_and_the_form_says_so_on_the_field(staff, address):
    response = post_change_form(staff, Page.objects.get(), source_address=address, major_change="no")
    assert response.status_code == 200
    assert field_errors(response)["source_address"] == ["Enter a web address starting https://."]
    assert Page.objects.get().source_address == SOURCE


def test_the_database_refuses_a_source_address_that_is_not_https(demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.update(source_address="http://www.gov.uk/guidance/what-works-network")
    Page.objects.update(source_address="")  # none at all is allowed
    Page.objects.update(source_address="HTTPS://www.gov.uk/guidance/what-works-network")  # a scheme is any case


# --- Related links -------------------------------------------------------------------------------


def test_related_links_are_gov_uks_related_navigation_beside_the_text(demo, get_page):
    soup = get_page()
    assert related_links(soup) == DEMO_LINKS
    column = soup.select_one(".gem-c-related-navigation").parent
    # Beside the text, in the same row, after it: below it where the columns stack. Never printed.
    assert column["class"] == ["govuk-grid-column-one-third", "govuk-!-display-none-print"]
    assert column.find_previous_sibling("div")["class"] == ["govuk-grid-column-two-thirds"]
    heading = soup.select_one(".gem-c-related-navigation h2")
    assert text_of(heading) == "Related content"
    nav = soup.select_one(".gem-c-related-navigation nav")
    assert nav["aria-labelledby"] == heading["id"]
    assert [li["class"] for li in nav.select("ul > li")] == [["gem-c-related-navigation__link"]] * 3


def test_a_page_with_no_related_links_has_no_related_content(demo, get_page):
    RelatedLink.objects.all().delete()
    soup = get_page()
    assert soup.select_one(".gem-c-related-navigation") is None
    assert soup.select_one(".govuk-grid-column-one-third") is None


def test_staff_add_a_related_link_in_the_page_form_and_it_goes_last(staff, get_page):
    response = add_link(staff, "Evaluation in government", "https://www.gov.uk/evaluation")
    assert response.status_code == 302, field_errors(response)
    assert related_links(get_page())[-1] == ("Evaluation in government", "https://www.gov.uk/evaluation")
    assert RelatedLink.objects.get(title="Evaluation in government").position == 4


def test_staff_order_related_links_with_buttons(staff, get_page):
    page = Page.objects.get()
    url = RELATED_LINKS_ORDER.format(page.pk)
    tools = parse(staff.get(change_url(page))).select(".object-tools a")
    assert {text_of(tool): tool["href"] for tool in tools}["Order related links"] == url
    third = RelatedLink.objects.get(title="Evaluation Task Force")
    response = staff.post(url, {"item": third.pk, "direction": "up"}, follow=True)
    assert admin_messages(response) == ["Moved “Evaluation Task Force” up."]
    assert [title for title, _ in related_links(get_page())] == [
        "What Works Network strategy",
        "Evaluation Task Force",
        "The What Works Network: five years on",
    ]
    assert third.history.latest().history_change_reason == "Minor change: moved up"


def test_a_related_link_to_an_address_the_page_already_links_to_is_refused_on_its_field(staff):
    response = add_link(staff, "The strategy again", DEMO_LINKS[0][1])
    assert response.status_code == 200
    assert field_errors(response)["related_links-3-address"] == [
        "This page already has a related link to this address."
    ]
    summary = [text_of(item) for item in parse(response).select(".errornote li, .govuk-error-summary li")]
    assert any("This page already has a related link to this address." in item for item in summary), summary
    assert RelatedLink.objects.count() == 3


@pytest.mark.parametrize("address", ["ftp://www.gov.uk/file", "javascript:alert(1)"])
def test_a_related_link_must_be_a_web_address(staff, address):
    response = add_link(staff, "Somewhere", address)
    assert response.status_code == 200
    assert field_errors(response)["related_links-3-address"] == ["Enter a web address starting https:// or http://."]


def test_a_related_link_title_cannot_be_a_placeholder(staff):
    response = add_link(staff, "{network_members}", "https://www.gov.uk/evaluation")
    assert response.status_code == 200
    assert "related_links-3-title" in field_errors(response)


def test_the_database_refuses_a_related_link_that_is_not_a_web_address_or_takes_a_used_position(demo):
    page = Page.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(page=page, title="Mail", address="mailto:whatworks@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(page=page, title="Again", address="https://www.gov.uk/again", position=1)


def test_a_related_link_saved_as_a_draft_shows_only_in_the_preview(staff, client):
    page = Page.objects.get()
    fields = new_link(3, "Evaluation in government", "https://www.gov.uk/evaluation")
    save_as_draft(staff, change_url(page), draft_name="A new related link", **fields)
    draft = Draft.objects.get(name="A new related link")
    assert related_links(parse(client.get(PAGE_URL))) == DEMO_LINKS
    preview = parse(staff.get(preview_url(draft)))
    assert related_links(preview) == [*DEMO_LINKS, ("Evaluation in government", "https://www.gov.uk/evaluation")]
    changes = [text_of(item) for item in parse(staff.get(draft_url(draft))).select(".app-comparison")]
    assert any(text.startswith("Added: related link Evaluation in government") for text in changes), changes


def test_the_page_history_lists_its_related_links_versions(staff):
    add_link(staff, "Evaluation in government", "https://www.gov.uk/evaluation")
    page = Page.objects.get()
    history = text_of(parse(staff.get(f"{change_url(page).removesuffix('change/')}history/")).find("main"))
    assert "Evaluation in government" in history


def test_the_content_api_gives_the_related_links_as_gov_uk_does(demo, client):
    details = client.get(f"/api/content{PAGE_URL}").json()["details"]
    assert details["external_related_links"] == [{"title": title, "url": url} for title, url in DEMO_LINKS]


# --- Metadata ------------------------------------------------------------------------------------


def test_the_guidance_page_describes_itself_with_its_summary(demo, get_page):
    page = Page.objects.get()
    assert metadata(get_page()) == {
        "description": page.summary,
        "canonical": f"{settings.SITE_URL}{PAGE_URL}",
        "og:type": "article",
        "og:site_name": "What Works Network",
        "og:title": "What Works Network",
        "og:description": page.summary,
        "og:url": f"{settings.SITE_URL}{PAGE_URL}",
    }


def test_a_changed_summary_is_the_new_description(staff, get_page):
    post_change_form(staff, Page.objects.get(), summary="How the network uses evidence.", major_change="no")
    values = metadata(get_page())
    assert values["description"] == values["og:description"] == "How the network uses evidence."


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_a_description_a_canonical_address_and_open_graph(demo, client, url):
    soup = parse(client.get(url))
    values = metadata(soup)
    assert values["canonical"] == values["og:url"] == f"{settings.SITE_URL}{url}"
    assert values["description"] and values["og:description"] == values["description"]
    assert values["og:title"] and values["og:title"] in soup.title.string
    assert (values["og:type"], values["og:site_name"]) == ("article", "What Works Network")


def test_centre_and_policy_area_descriptions_are_true_of_their_records(demo, client):
    centre = metadata(parse(client.get("/centres/youth-futures-foundation")))["description"]
    assert centre.startswith(
        "Youth Futures Foundation: What Works Centre of the What Works Network in the policy area “Youth employment”."
    )
    area = metadata(parse(client.get("/policy-areas/youth-employment")))["description"]
    assert area == "The centres of the What Works Network in the policy area “Youth employment”, now and in the past."


def test_an_error_page_has_no_canonical_address(demo, client):
    assert metadata(parse(client.get("/guidance/no-such-page"))) == {}


@pytest.mark.parametrize("caching", [CACHING_OFF, None], ids=["uncached", "cached"])
def test_a_forged_host_does_not_change_the_canonical_address(demo, client, caching):
    expected = f"{settings.SITE_URL}{PAGE_URL}"
    with override_settings(ALLOWED_HOSTS=["testserver", "forged.example"], **({"CACHES": caching} if caching else {})):
        # Built for the forged host first (uncached: every time), then served to it from the cache.
        for _ in range(2):
            values = metadata(parse(client.get(PAGE_URL, HTTP_HOST="forged.example")))
            assert values["canonical"] == values["og:url"] == expected
        values = metadata(parse(client.get(PAGE_URL)))
        assert values["canonical"] == values["og:url"] == expected


def test_a_preview_names_the_live_address_as_canonical(staff):
    save_as_draft(staff, change_url(Page.objects.get()), draft_name="New summary", summary="A draft's summary.")
    draft = Draft.objects.get(name="New summary")
    for path in (PAGE_URL, f"{PAGE_URL}/history", "/centres/taso"):
        meta = metadata(parse(staff.get(preview_url(draft, path))))
        assert meta["canonical"] == meta["og:url"] == f"{settings.SITE_URL}{path}"
    assert metadata(parse(staff.get(preview_url(draft))))["description"] == "A draft's summary."


def test_two_new_sections_with_one_heading_are_refused_on_the_later_ones_field(staff):
    # The same check as related links' addresses, for the page's other inline.
    fields = {"sections-TOTAL_FORMS": "5"}
    for number in (3, 4):
        fields |= {f"sections-{number}-heading": "Contact", f"sections-{number}-body": "Write to us."}
    response = post_change_form(staff, Page.objects.get(), major_change="no", **fields)
    assert response.status_code == 200
    errors = field_errors(response)
    assert "sections-3-heading" not in errors
    assert errors["sections-4-heading"] == ["This page already has a section with this heading."]
