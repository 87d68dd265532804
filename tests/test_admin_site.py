"""The admin's front page puts content first; its navigation and help say what they mean; it has the site's icon."""

from django.contrib.staticfiles import finders

from network.models import Page
from tests.helpers import add_url, change_url, parse, text_of


def test_content_comes_before_accounts_and_lockouts(staff):
    soup = parse(staff.get("/admin/"))
    models = [text_of(th) for th in soup.select("#content-main .module th[scope=row]")]
    content = [
        "Help pages",
        "Pages",
        "Sections",
        "Centres",
        "Memberships",
        "Policy areas",
        "Page updates",
        "Drafts",
        "Redirects",
    ]
    assert models[: len(content)] == content
    assert {"Users", "Groups", "Access attempts"} <= set(models[len(content) :])


def test_the_breadcrumb_names_the_page_not_pages_twice(staff):
    page = Page.objects.get()
    crumbs = text_of(parse(staff.get(change_url(page))).select_one(".breadcrumbs"))
    assert crumbs == "Home › Guidance › Pages › What Works Network"


def test_help_text_shows_the_address_pattern_literally(staff):
    soup = parse(staff.get(add_url(Page)))
    assert "The page's address: /guidance/<slug>." in text_of(soup.select_one("#id_slug_helptext"))


def test_every_admin_page_names_the_sites_icon(staff):
    for url in ["/admin/", "/admin/centres/centre/", change_url(Page.objects.get())]:
        icon = parse(staff.get(url)).select_one("link[rel=icon]")
        assert icon["href"].endswith("images/favicon.svg"), url


def test_favicon_ico_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("/images/favicon.svg")
    assert finders.find("images/favicon.svg")
