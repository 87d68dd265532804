"""Fact-check links: a draft's preview for someone without an account (an expert at a centre), read
only and kept by no one, until the link expires or is revoked, or the draft is published or discarded."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.test import Client, override_settings

from centres.models import Centre, PolicyArea
from drafts.models import Draft, FactCheckLink
from tests.helpers import (
    CACHING_OFF,
    PAGE_URL,
    PUBLIC_PAGES,
    PUBLIC_URLS,
    add_url,
    admin_messages,
    change_url,
    draft_url,
    form_values,
    parse,
    save_as_draft,
    signed_in,
    submit_and_publish,
    text_of,
)

WEBSITE = "https://taso.example"
TASO = "/centres/taso"
ADA = "Dr Ada Lovelace, TASO"
GONE = "This link has expired or been withdrawn"


@pytest.fixture
def draft(editor):
    """A draft, by the `editor`, that gives TASO a new website."""
    save_as_draft(editor, change_url(Centre.objects.get(slug="taso")), draft_name="TASO's new website", website=WEBSITE)
    editor.get("/admin/")  # where the save's message is shown
    return Draft.objects.get()


@pytest.fixture
def expert():
    """Someone without an account, in a browser of their own."""
    return Client()


def make_link(staff, draft, shared_with=ADA, days=None):
    """Make a fact-check link on the draft's page, as staff do; returns the address the page shows for it."""
    values = form_values(staff.get(draft_url(draft)), "fact-check-link-form")
    values["shared_with"] = shared_with
    if days is not None:
        values["days"] = str(days)
    response = staff.post(draft_url(draft, "fact-check-links"), values)
    assert response.status_code == 302, admin_messages(staff.get(draft_url(draft)))
    return listed_links(staff, draft)[shared_with]["Address"]


def listed_links(staff, draft):
    """The draft page's fact-check links, by whom each is for: {column heading: cell text}."""
    table = parse(staff.get(draft_url(draft))).select_one("#fact-check-links ~ table")
    if table is None:
        return {}
    headings = [text_of(th) for th in table.select("thead th")]
    rows = [
        dict(zip(headings, (text_of(td) for td in tr.find_all("td")), strict=True)) for tr in table.select("tbody tr")
    ]
    return {row["For"]: row for row in rows}


def path_of(address):
    """An address's path, as the test client asks for it."""
    return address.removeprefix("http://testserver")


def assert_kept_by_no_one(response):
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"  # the address is never sent to the sites it links to
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def assert_gone(response):
    assert response.status_code == 404
    assert_kept_by_no_one(response)
    soup = parse(response)
    assert text_of(soup.find("h1")) == GONE
    assert "Ask the person who sent you the link" in text_of(soup.find("main"))
    assert soup.select_one(".govuk-notification-banner") is None


def banner(response):
    return parse(response).select_one(".govuk-notification-banner")


# --- What it shows -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_link_shows_every_public_page_with_the_draft_and_its_banner(editor, draft, expert, path):
    link = path_of(make_link(editor, draft))
    response = expert.get(link + path.removeprefix("/"))
    assert response.status_code == 200
    assert_kept_by_no_one(response)
    soup = parse(response)
    assert soup.select_one('meta[name="robots"][content="noindex"]')
    words = text_of(banner(response))
    assert "Draft for fact-checking" in words
    assert "This is a draft, “TASO's new website”, shared with you for fact-checking: it is not published." in words
    assert "This link works until 12:00 on 14 February 2030." in words
    assert not banner(response).select("a"), "nothing in the banner leads into the admin"
    assert not soup.select('a[href*="/admin/"], a[href*="/preview/"]')


def test_the_draft_s_changes_show_and_the_live_site_is_as_it_was(editor, draft, expert):
    link = path_of(make_link(editor, draft))
    assert parse(expert.get(link + TASO[1:])).select_one(f'a[href="{WEBSITE}"]')
    assert not parse(expert.get(TASO)).select_one(f'a[href="{WEBSITE}"]')


@pytest.mark.parametrize("url", [url for url in PUBLIC_URLS if url not in PUBLIC_PAGES])
def test_the_feed_and_data_have_fact_check_versions_too(editor, draft, expert, url):
    link = path_of(make_link(editor, draft))
    response = expert.get(link + url[1:])
    assert response.status_code == 200
    assert_kept_by_no_one(response)
    assert link in response.content.decode()


def test_links_inside_stay_inside_the_fact_check_address(editor, draft, expert):
    link = path_of(make_link(editor, draft))
    soup = parse(expert.get(link + PAGE_URL[1:]))
    internal = [a["href"] for a in soup.select("a[href^='/']")]
    assert internal, "the page links to centre pages"
    assert all(href.startswith(link) for href in internal), internal
    assert soup.select_one('link[rel="stylesheet"]')["href"].startswith("/static/"), "static files are the site's"
    assert soup.select_one('link[rel="alternate"]')["href"] == f"{link}{PAGE_URL[1:]}.atom"
    centre = expert.get(next(href for href in internal if "/centres/" in href))
    assert centre.status_code == 200
    assert "Draft for fact-checking" in text_of(banner(centre))
    # The address itself leads to the guidance page, inside the link too.
    home = expert.get(link)
    assert home.status_code == 302 and home["Location"] == link + PAGE_URL[1:]


def test_a_head_request_is_answered_and_anything_else_refused(editor, draft, expert):
    link = path_of(make_link(editor, draft))
    head = expert.head(link + PAGE_URL[1:])
    assert head.status_code == 200 and head.content == b""
    for address in (link, link + PAGE_URL[1:], link + "no-such-page", "/fact-check/1:forged/"):
        for method in (expert.post, expert.put, expert.patch, expert.delete, expert.options):
            assert method(address).status_code == 405, (method, address)
    strict = Client(enforce_csrf_checks=True)  # as a browser posts: refused before it is read
    assert strict.post(link + PAGE_URL[1:]).status_code in (403, 405)
    assert Draft.objects.get().changes.get().state["website"] == WEBSITE


def test_an_address_that_is_not_a_public_page_is_not_found_inside_a_link(editor, draft, expert):
    link = path_of(make_link(editor, draft))
    for path in ("admin/", "no-such-page", "healthz"):
        response = expert.get(link + path)
        assert response.status_code == 404, path
        assert_kept_by_no_one(response)


def test_the_link_works_while_the_draft_waits_for_review(editor, draft, expert):
    link = path_of(make_link(editor, draft))
    editor.post(draft_url(draft, "submit"))
    assert Draft.objects.get().status == Draft.Status.SUBMITTED
    assert expert.get(link + TASO[1:]).status_code == 200


def test_a_draft_that_no_longer_applies_is_explained_not_failed(editor, expert):
    save_as_draft(editor, add_url(PolicyArea), draft_name="New areas", name="Housing", slug="housing")
    link = path_of(make_link(editor, Draft.objects.get()))
    PolicyArea.objects.create(name="Housing", slug="housing-and-homes")
    response = expert.get(link + PAGE_URL[1:])
    assert response.status_code == 409
    assert_kept_by_no_one(response)
    assert "Ask the person who sent you the link" in text_of(parse(response).find("main"))
    assert "Housing" not in response.content.decode()


# --- Never kept, never a session -----------------------------------------------------------------


@pytest.mark.parametrize("caches", [None, CACHING_OFF], ids=["cached", "uncached"])
@pytest.mark.parametrize("live_first", [True, False], ids=["live-page-cached-first", "fact-check-first"])
def test_the_public_page_cache_is_never_written_by_a_fact_check_page(editor, draft, expert, client, caches, live_first):
    link = path_of(make_link(editor, draft))
    with override_settings(**({"CACHES": caches} if caches else {})):
        public = Client()
        before = public.get(TASO).content if live_first else None
        assert parse(expert.get(link + TASO[1:])).select_one(f'a[href="{WEBSITE}"]')
        after = public.get(TASO)
        assert not parse(after).select_one(f'a[href="{WEBSITE}"]')
        assert not banner(after)
        if live_first:
            assert after.content == before


def test_no_cookie_is_set_for_the_visitor(editor, draft, expert):
    link = path_of(make_link(editor, draft))
    for path in ("", PAGE_URL[1:], TASO[1:], "no-such-page"):
        response = expert.get(link + path)
        assert not response.cookies, path
    assert not expert.cookies


# --- Every way it stops working ------------------------------------------------------------------


def test_a_link_works_for_30_days_by_default(editor, draft, expert, time_machine, django_user_model):
    link = path_of(make_link(editor, draft))
    assert listed_links(editor, draft)[ADA]["Works until"] == "14 February 2030, 12:00"
    time_machine.shift(datetime.timedelta(days=30) - datetime.timedelta(minutes=1))
    assert expert.get(link + TASO[1:]).status_code == 200
    time_machine.shift(datetime.timedelta(minutes=1))
    assert_gone(expert.get(link + TASO[1:]))
    editor.force_login(django_user_model.objects.get(username="editor"))  # the admin's session has expired too
    assert listed_links(editor, draft)[ADA]["Status"] == "Expired"
    assert listed_links(editor, draft)[ADA]["Address"] == "—"


def test_a_link_works_for_the_days_it_was_given(editor, draft, expert, time_machine):
    link = path_of(make_link(editor, draft, days=3))
    time_machine.shift(datetime.timedelta(days=2, hours=23))
    assert expert.get(link).status_code == 302
    time_machine.shift(datetime.timedelta(hours=1))
    assert_gone(expert.get(link + TASO[1:]))


@override_settings(FACT_CHECK_LINK_DAYS=7)
def test_the_default_number_of_days_is_a_setting(editor, draft, expert, time_machine):
    assert form_values(editor.get(draft_url(draft)), "fact-check-link-form")["days"] == "7"
    link = path_of(make_link(editor, draft))
    time_machine.shift(datetime.timedelta(days=7))
    assert_gone(expert.get(link + TASO[1:]))


def test_a_revoked_link_stops_at_once(editor, draft, expert):
    link = path_of(make_link(editor, draft))
    other = path_of(make_link(editor, draft, shared_with="Prof. Grace Hopper, Youth Futures Foundation"))
    revoke = parse(editor.get(draft_url(draft))).select_one(f'button[aria-label="Revoke the link for {ADA}"]')
    response = editor.post(draft_url(draft, "fact-check-links"), {"revoke": revoke["value"]})
    assert response.status_code == 302
    assert admin_messages(editor.get(draft_url(draft))) == [f"The fact-check link for {ADA} no longer works."]
    assert_gone(expert.get(link + TASO[1:]))
    assert expert.get(other + TASO[1:]).status_code == 200, "only the one revoked stops"
    assert listed_links(editor, draft)[ADA]["Status"] == "Revoked by editor, 15 January 2030, 12:00"


@pytest.mark.parametrize("finish", ["publish", "discard"])
def test_a_link_stops_when_its_draft_is_published_or_discarded(editor, draft, expert, finish):
    link = path_of(make_link(editor, draft))
    if finish == "publish":
        submit_and_publish(editor, draft)
    else:
        editor.post(draft_url(draft, "discard"))
    assert Draft.objects.get().status != Draft.Status.OPEN
    assert_gone(expert.get(link + TASO[1:]))
    assert_gone(expert.get(link))
    status = listed_links(editor, draft)[ADA]["Status"]
    assert status == f"Stopped: the draft was {'published' if finish == 'publish' else 'discarded'}"


def test_every_address_that_does_not_work_gets_the_same_answer(editor, draft, expert, time_machine):
    link = path_of(make_link(editor, draft))
    token = link.removeprefix("/fact-check/").removesuffix("/")
    pk = FactCheckLink.objects.get().pk
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    addresses = {
        "tampered": f"/fact-check/{tampered}/",
        "truncated": f"/fact-check/{token[:-5]}/",
        "no signature": f"/fact-check/{pk}/",
        "another salt": f"/fact-check/{signing.Signer(salt='drafts.Draft').sign(str(pk))}/",
        "another key": f"/fact-check/{signing.Signer(key='not the site key', salt=FactCheckLink.SALT).sign(str(pk))}/",
        "no such link": f"/fact-check/{signing.Signer(salt=FactCheckLink.SALT).sign(str(pk + 1000))}/",
    }
    answers = {}
    for name, address in addresses.items():
        response = expert.get(address + TASO[1:])
        assert_gone(response)
        answers[name] = response.content
    time_machine.shift(datetime.timedelta(days=31))
    answers["expired"] = expert.get(link + TASO[1:]).content
    assert len(set(answers.values())) == 1, "no answer tells one failure from another"


# --- Making and revoking links in the admin -------------------------------------------------------


def test_the_draft_s_page_lists_its_links_with_their_full_address(editor, draft):
    values = form_values(editor.get(draft_url(draft)), "fact-check-link-form")
    assert values == {"csrfmiddlewaretoken": values["csrfmiddlewaretoken"], "shared_with": "", "days": "30"}
    editor.post(draft_url(draft, "fact-check-links"), {**values, "shared_with": ADA})
    link = FactCheckLink.objects.get()
    address = f"http://testserver/fact-check/{link.token}/"
    page = editor.get(draft_url(draft))
    assert admin_messages(page) == [
        f"A fact-check link for {ADA}, which works until 14 February 2030, 12:00: {address}"
    ]
    row = listed_links(editor, draft)[ADA]
    assert row["Address"] == address
    assert row["Made by"] == "editor, 15 January 2030, 12:00"
    assert row["Status"] == "Working"
    assert link.created_by.username == "editor" and link.draft == draft


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"shared_with": ""}, "Enter who the link is for."),
        ({"days": "0"}, "A link works for at least 1 day."),
        ({"days": "91"}, "A link works for at most 90 days."),
    ],
)
def test_a_link_needs_whom_it_is_for_and_a_sensible_number_of_days(editor, draft, values, error):
    form = {"shared_with": ADA, "days": "30", **values}
    editor.post(draft_url(draft, "fact-check-links"), form)
    assert admin_messages(editor.get(draft_url(draft))) == [f"No link was made. {error}"]
    assert not FactCheckLink.objects.exists()


def test_a_finished_draft_gets_no_new_links(editor, draft):
    editor.post(draft_url(draft, "discard"))
    assert parse(editor.get(draft_url(draft))).select_one("#fact-check-link-form") is None
    editor.post(draft_url(draft, "fact-check-links"), {"shared_with": ADA, "days": "30"})
    assert not FactCheckLink.objects.exists()


def test_only_staff_who_may_change_drafts_make_or_revoke_links(editor, draft, django_user_model):
    make_link(editor, draft)
    link = FactCheckLink.objects.get()
    reader = django_user_model.objects.create_user("reader", password="a long passphrase", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_draft"))
    client = signed_in(reader)
    page = parse(client.get(draft_url(draft)))
    assert page.select_one("#fact-check-links") is None
    assert link.token not in str(page)
    assert (
        client.post(draft_url(draft, "fact-check-links"), {"shared_with": "Someone", "days": "30"}).status_code == 403
    )
    assert client.post(draft_url(draft, "fact-check-links"), {"revoke": str(link.pk)}).status_code == 403
    assert FactCheckLink.objects.get().revoked_at is None
