"""Help pages: the accessibility statement, privacy notice and cookies page, edited in the admin,
served and cached as every public page is, and linked from every page's footer."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.test import Client, RequestFactory

from drafts.models import Draft, FactCheckLink
from network.models import HelpPage, Page
from tests.helpers import (
    HELP_PAGES,
    PAGE_URL,
    PUBLIC_PAGES,
    admin_messages,
    change_url,
    draft_url,
    field_errors,
    form_values,
    parse,
    post_change_form,
    preview_url,
    save_as_draft,
    text_of,
)

ACCESSIBILITY_STATEMENT = "/help/accessibility-statement"
COOKIES = "/help/cookies"
# The headings of GOV.UK's model accessibility statement, in its order.
MODEL_STATEMENT_HEADINGS = [
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website’s accessibility",
    "Compliance status",
    "Non-accessible content",
    "What we’re doing to improve accessibility",
    "Preparation of this accessibility statement",
]
MODEL_STATEMENT_SUBHEADINGS = [
    "Non-compliance with the accessibility regulations",
    "Disproportionate burden",
    "Content that’s not within the scope of the accessibility regulations",
]


def support_links(soup):
    """The footer's support links: (text, address), after its visually hidden heading."""
    footer = soup.select_one("footer .govuk-footer__meta")
    heading = footer.find("h2")
    assert text_of(heading) == "Support links" and "govuk-visually-hidden" in heading["class"]
    return [
        (text_of(link), link["href"]) for link in footer.select("ul.govuk-footer__inline-list a.govuk-footer__link")
    ]


def footer_as_demo():
    return [(title, url) for url, title in HELP_PAGES]


def main_headings(soup, level):
    return [text_of(heading) for heading in soup.find("main").find_all(level)]


# --- Served, as GOV.UK serves its help pages -----------------------------------------------------


@pytest.mark.parametrize("url, title", HELP_PAGES)
def test_each_help_page_is_served_in_the_govuk_style(get_page, demo, url, title):
    soup = get_page(url)
    assert soup.title.string == f"{title} - What Works Network"
    heading = soup.find("main").find("h1")
    assert text_of(heading) == title and "govuk-heading-xl" in heading["class"]
    page = HelpPage.objects.get(title=title)
    assert text_of(soup.select_one("main .govuk-body-l")) == page.summary
    paragraphs = soup.select("main p:not(.govuk-body-l)")
    assert paragraphs and all("govuk-body" in paragraph["class"] for paragraph in paragraphs)
    assert all("govuk-list" in bullets["class"] for bullets in soup.select("main ul"))


def test_a_help_page_from_the_cache_costs_one_query(client, demo, django_assert_max_num_queries):
    first = client.get(COOKIES)
    assert first.templates
    with django_assert_max_num_queries(1):  # the content version
        repeat = client.get(COOKIES)
    assert repeat.templates == []
    assert repeat.content == first.content and repeat["ETag"] == first["ETag"]


def test_a_change_in_the_admin_shows_on_the_next_request(staff, client):
    assert client.get(COOKIES).status_code == 200
    response = post_change_form(staff, HelpPage.objects.get(slug="cookies"), title="Cookies on this website")
    assert response.status_code == 302, field_errors(response)
    soup = parse(client.get(COOKIES))
    assert text_of(soup.find("h1")) == "Cookies on this website"
    assert ("Cookies on this website", COOKIES) in support_links(parse(client.get(PAGE_URL)))


def test_an_unknown_help_page_is_not_found(client, demo):
    assert client.get("/help/no-such-page").status_code == 404


def test_last_updated_is_when_the_audit_trail_last_changed_it(editor):
    """`editor` works on 15 January 2030."""
    reader = Client()
    as_loaded = parse(reader.get(COOKIES))
    assert "Last updated" not in text_of(as_loaded.find("main"))  # loaded from the fixture: no history yet
    post_change_form(editor, HelpPage.objects.get(slug="cookies"), summary="No cookies for readers.")
    metadata = parse(reader.get(COOKIES)).select_one("main dl.app-metadata")
    assert text_of(metadata) == "Last updated 15 January 2030"
    assert metadata.find("time")["datetime"] == "2030-01-15"


# --- The footer ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "/no-such-page", "/centres/no-such-centre"])
def test_every_public_page_links_to_the_help_pages_in_their_order(client, demo, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert support_links(parse(response)) == footer_as_demo()


def test_the_footer_follows_the_positions_staff_give(staff, client):
    cookies = HelpPage.objects.get(slug="cookies")
    response = post_change_form(staff, cookies, position="0")
    assert response.status_code == 302, field_errors(response)
    demo_order = footer_as_demo()
    assert support_links(parse(client.get(PAGE_URL))) == [demo_order[2], *demo_order[:2]]


def test_two_help_pages_cannot_share_a_place_in_the_footer(staff):
    response = post_change_form(staff, HelpPage.objects.get(slug="cookies"), position="1")
    assert field_errors(response) == {
        "position": ["Another help page has this place in the footer. Choose another number."]
    }


def test_a_new_help_page_goes_last_in_the_footer(staff, client):
    values = form_values(staff.get("/admin/network/helppage/add/"))
    values.update(title="Terms and conditions", slug="terms-and-conditions", body="Use the site as you like.")
    response = staff.post("/admin/network/helppage/add/", values)
    assert response.status_code == 302, field_errors(response)
    links = support_links(parse(client.get(PAGE_URL)))
    assert links == [*footer_as_demo(), ("Terms and conditions", "/help/terms-and-conditions")]


def test_error_pages_for_a_database_that_is_down_make_no_query(demo, django_assert_num_queries):
    """The 500 and 503 pages are served when the database cannot answer: their footer has no links."""
    request = RequestFactory().get(PAGE_URL)
    for template in ("500.html", "503.html"):
        with django_assert_num_queries(0):
            soup = parse(render(request, template))
        assert soup.select_one("footer .govuk-footer__inline-list") is None, template


# --- Headings and a contents list ----------------------------------------------------------------


def test_the_accessibility_statement_has_the_model_statement_s_headings(get_page, demo):
    soup = get_page(ACCESSIBILITY_STATEMENT)
    assert main_headings(soup, "h2") == ["Contents", *MODEL_STATEMENT_HEADINGS]
    assert main_headings(soup, "h3") == MODEL_STATEMENT_SUBHEADINGS
    contents = soup.select_one("main nav.app-contents-list[aria-label=Contents]")
    targets = [link["href"].removeprefix("#") for link in contents.find_all("a")]
    assert [text_of(link) for link in contents.find_all("a")] == MODEL_STATEMENT_HEADINGS
    assert targets == [heading["id"] for heading in soup.select("main h2.govuk-heading-m")]
    assert targets[0] == "how-accessible-this-website-is"


def test_headings_of_the_same_words_get_ids_of_their_own(staff, get_page):
    post_change_form(staff, HelpPage.objects.get(slug="cookies"), body="## Staff\n\nOne.\n\n## Staff\n\nTwo.")
    soup = get_page(COOKIES)
    assert [heading["id"] for heading in soup.select("main h2[id]")] == ["staff", "staff-2"]


def test_a_page_section_still_keeps_to_subheadings(staff, get_page):
    """The help pages' `##` headings are theirs alone: a section sits under its own heading."""
    section = Page.objects.get().sections.first()
    response = post_change_form(staff, section, body="## Not a heading here\n\n### A subheading", major_change="no")
    assert response.status_code == 302, field_errors(response)
    soup = get_page()
    assert "Not a heading here" not in main_headings(soup, "h2")
    assert "Not a heading here" in text_of(soup.find("main"))
    assert "A subheading" in main_headings(soup, "h3")


HOSTILE_BODY = """## Safe heading

<h2 id="main-content" onclick="alert(1)">Raw heading</h2>

<script>alert("xss")</script>

[a link](javascript:alert(1)) <img src=x onerror=alert(1)> <iframe src="https://example.org"></iframe>

<a href="data:text/html,alert">data</a>
"""


def test_hostile_markdown_in_a_help_page_is_shown_inert(staff, get_page):
    post_change_form(staff, HelpPage.objects.get(slug="cookies"), body=HOSTILE_BODY)
    main = get_page(COOKIES).find("main")
    assert main.find_all(["script", "img", "iframe"]) == []
    assert [tag.name for tag in main.find_all(True) if any(name.startswith("on") for name in tag.attrs)] == []
    assert all(link["href"].startswith(("#", "http", "mailto:", "/")) for link in main.find_all("a", href=True))
    # Ids come from the headings' words only: the raw heading's id is dropped, so the skip link's
    # target is the page's own. (The first heading is the contents list's.)
    assert [heading.get("id") for heading in main.find_all("h2")] == [None, "safe-heading", None]
    assert len(main.find_all(id="main-content")) == 0
    assert main["id"] == "main-content"


# --- Drafts and addresses ------------------------------------------------------------------------


def test_a_help_page_changed_in_a_draft_is_previewed_and_described(editor, client):
    live = client.get(COOKIES).content
    page = HelpPage.objects.get(slug="cookies")
    save_as_draft(editor, change_url(page), draft_name="New cookies page", title="Cookies we use")
    draft = Draft.objects.get(name="New cookies page")
    assert client.get(COOKIES).content == live  # nothing public changes
    preview = parse(editor.get(preview_url(draft, COOKIES)))
    assert text_of(preview.find("h1")) == "Cookies we use"
    assert ("Cookies we use", f"/preview/{draft.pk}{COOKIES}") in support_links(preview)
    (comparison,) = parse(editor.get(draft_url(draft))).select(".app-comparison")
    assert text_of(comparison).startswith("Changed: help page Cookies we use")
    rows = [[text_of(cell) for cell in row.select("th, td")] for row in comparison.select("tbody tr")]
    assert rows == [["Title", "Cookies", "Cookies we use"]]


def test_a_help_page_added_in_a_draft_is_previewed_in_the_footer(editor, client):
    save_as_draft(
        editor,
        "/admin/network/helppage/add/",
        draft_name="Terms",
        title="Terms and conditions",
        slug="terms-and-conditions",
        body="## Using this website\n\nUse it as you like.",
    )
    draft = Draft.objects.get(name="Terms")
    assert client.get("/help/terms-and-conditions").status_code == 404
    preview = parse(editor.get(preview_url(draft, "/help/terms-and-conditions")))
    assert text_of(preview.find("h1")) == "Terms and conditions"
    assert support_links(preview)[-1] == ("Terms and conditions", f"/preview/{draft.pk}/help/terms-and-conditions")


def test_saving_a_help_page_publishes_no_change_note(staff):
    page = HelpPage.objects.get(slug="privacy-notice")
    form = parse(staff.get(change_url(page))).select_one("#content-main form")
    assert form.find("input", attrs={"name": "major_change"}) is None
    response = post_change_form(staff, page, summary="What we keep.")
    assert response.status_code == 302
    assert admin_messages(staff.get("/admin/network/helppage/")) == [
        "The help page “Privacy notice” was changed successfully."
    ]


# --- Cookies: what the cookies page says is what the site sets -----------------------------------


def cookie_names(responses):
    return {name for response in responses for name in response.cookies}


def test_the_cookies_page_names_every_cookie_staff_get_when_they_sign_in(client, demo):
    named = {code.get_text() for code in parse(client.get(COOKIES)).select("main li code")}
    get_user_model().objects.create_superuser("sam", "sam@example.com", "a long passphrase")
    responses = [login_page := client.get("/admin/login/")]
    values = {**form_values(login_page), "username": "sam", "password": "a long passphrase"}
    responses.append(client.post("/admin/login/?next=/admin/", values))
    assert responses[-1].status_code == 302 and responses[-1]["Location"] == "/admin/"
    responses.append(client.get("/admin/"))
    page = HelpPage.objects.get(slug="cookies")
    responses.append(post_change_form(client, page, summary="No cookies for readers."))  # a message, in the session
    responses.append(client.get("/admin/network/helppage/"))
    responses.append(client.post("/admin/logout/"))
    assert cookie_names(responses) == named == {"csrftoken", "sessionid"}


def test_readers_and_fact_checkers_get_no_cookies(client, demo):
    """As the cookies page says: none for reading the site, and none for a draft shared for fact-checking."""
    sender = get_user_model().objects.create_user("sam", is_staff=True)
    draft = Draft.objects.create(name="A draft", created_by=sender)
    link = FactCheckLink.objects.create(
        draft=draft,
        shared_with="Dr Ada Lovelace",
        created_by=sender,
        expires_at=datetime.datetime.now(tz=ZoneInfo("UTC")) + datetime.timedelta(days=1),
    )
    reader = Client()
    responses = [reader.get(url) for url in PUBLIC_PAGES]
    responses.append(reader.get(link.get_absolute_url() + COOKIES[1:]))
    # Answering "Is this page useful?" and reporting a problem, as a browser posts them, set none either.
    same_site = {"HTTP_ORIGIN": settings.SITE_URL, "HTTP_SEC_FETCH_SITE": "same-origin"}
    for answer in ({"kind": "useful"}, {"kind": "problem", "what_wrong": "A broken link."}):
        responses.append(reader.post("/feedback", {"path": PAGE_URL, **answer}, follow=True, **same_site))
    assert [response.status_code for response in responses] == [200] * len(responses)
    assert cookie_names(responses) == set()
