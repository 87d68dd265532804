"""The public pages' markup: the GOV.UK page template, accessible structure, and nothing inline."""

import pytest

from network.models import Section
from tests.helpers import PUBLIC_PAGES, text_of

pytestmark = pytest.mark.usefixtures("demo")

# Link texts that say nothing when read out of context, as in a screen reader's list of links.
VAGUE_LINK_TEXTS = {"click here", "here", "read more", "more", "link", "this page", "find out more", "website"}


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_page_follows_the_govuk_page_template(get_page, url):
    soup = get_page(url)
    assert soup.html["lang"] == "en-GB"
    assert "govuk-template" in soup.html["class"]
    body = soup.body
    assert "govuk-template__body" in body["class"]
    first_script, skip_link = body.find_all(True, recursive=False)[:2]
    assert first_script.name == "script" and first_script["src"].endswith("govuk-frontend-supported.js")
    assert skip_link["href"] == "#main-content" and "govuk-skip-link" in skip_link["class"]
    assert body.find("main", id="main-content", class_="govuk-main-wrapper") is not None
    assert body.select_one("header.govuk-template__header") is not None
    assert body.select_one("footer.govuk-template__footer .govuk-footer") is not None
    module = body.find("script", type="module")
    assert module["src"].endswith("js/app.js")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_header_names_the_service_without_claiming_govuk(get_page, url):
    header = get_page(url).select_one("header.govuk-template__header")
    assert text_of(header) == "What Works Network"
    assert "GOV.UK" not in str(header)
    assert header.select_one(".govuk-header") is None


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_nothing_inline_for_the_content_security_policy(get_page, url):
    soup = get_page(url)
    assert [script for script in soup.find_all("script") if not script.get("src")] == []
    assert soup.find_all("style") == []
    assert soup.find_all(style=True) == []
    assert [tag.name for tag in soup.find_all(True) if any(name.startswith("on") for name in tag.attrs)] == []


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_headings_go_down_one_level_at_a_time(get_page, url):
    levels = [int(heading.name[1]) for heading in get_page(url).find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:], strict=False)), levels


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_tables_have_a_caption_and_header_scopes(get_page, url):
    for table in get_page(url).find_all("table"):
        assert table.caption is not None and text_of(table.caption)
        headers = table.find_all("th")
        assert headers and all(header.get("scope") in ("col", "row") for header in headers)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_link_texts_make_sense_out_of_context(get_page, url):
    destinations = {}
    for link in get_page(url).find_all("a", href=True):
        text = text_of(link)
        assert text and text.lower() not in VAGUE_LINK_TEXTS, link
        destinations.setdefault(text, set()).add(link["href"])
    # The same words never lead to two different places.
    assert {text: hrefs for text, hrefs in destinations.items() if len(hrefs) > 1} == {}


def test_contents_list_links_to_every_section_heading(get_page):
    soup = get_page()
    contents = soup.select_one("nav.app-contents-list[aria-label=Contents]")
    targets = [link["href"].removeprefix("#") for link in contents.find_all("a")]
    headings = soup.select("main h2[id]")
    assert targets == [heading["id"] for heading in headings if heading.find_parent("section") is None]
    assert [text_of(link) for link in contents.find_all("a")] == [
        "Introduction",
        "The What Works Network",
        "More information on What Works",
    ]


def test_history_is_behind_a_show_hide_control(get_page):
    history = get_page().select_one("section.app-history")
    assert text_of(history.find("h2")) == "Updates to this page"
    details = history.select_one("details.govuk-details")
    assert not details.has_attr("open")
    assert text_of(details.summary) == "Show all updates"
    assert len(details.select("#full-history li")) == 19


def test_print_links_are_buttons_left_out_of_print(get_page):
    soup = get_page()
    print_links = soup.select(".gem-c-print-link")
    # One near the top, before the contents list, and one at the end of the content.
    assert len(print_links) == 2
    assert print_links[0].find_next("nav")["id"] == "contents"
    assert soup.select_one("section.app-history") in print_links[1].find_all_previous("section")
    for print_link in print_links:
        assert "govuk-!-display-none-print" in print_link["class"]
        # A button that app.js makes print, not a link to nowhere.
        button = print_link.find("button", type="button", attrs={"data-module": "app-print-link"})
        assert text_of(button) == "Print this page"
        assert print_link.find("a") is None
    assert soup.find_all("a", href=lambda href: href in ("#", "")) == []


def test_contents_link_after_the_sections_leads_to_the_contents_list(get_page):
    soup = get_page()
    body = soup.select_one(".gem-c-contents-list-with-body")
    assert body.find("nav", id="contents", class_="app-contents-list") is not None
    wrapper = body.find_all(True, recursive=False)[-1]
    assert "gem-c-contents-list-with-body__link-wrapper" in wrapper["class"]
    assert "govuk-!-display-none-print" in wrapper["class"]
    link = wrapper.select_one("a.govuk-link.gem-c-back-to-top-link")
    assert text_of(link) == "Contents" and link["href"] == "#contents"
    assert link.svg["aria-hidden"] == "true"
    # After the last section's text.
    last_heading = soup.select("main h2[id]")[-2]
    assert last_heading.find_next("div", class_="gem-c-contents-list-with-body__link-wrapper") is wrapper


def test_page_without_sections_has_no_contents_link(get_page):
    Section.objects.all().delete()
    soup = get_page()
    assert soup.find(id="contents") is None
    assert soup.select(".gem-c-back-to-top-link") == []
    assert len(soup.select(".gem-c-print-link")) == 2
