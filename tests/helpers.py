"""What many test modules share that is not a fixture: the public addresses, reading pages and
admin forms, skipping for an absent service, and content built once for a module's tests."""

import contextlib
import os
import re
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from centres.models import Centre
from network.models import Page

PAGE_URL = "/guidance/what-works-network"
# The demo's help pages, in the footer's order: (address, title).
HELP_PAGES = [
    ("/help/accessibility-statement", "Accessibility statement"),
    ("/help/privacy-notice", "Privacy notice"),
    ("/help/cookies", "Cookies"),
]
# Every public HTML page of the demo content; tests that hold for all pages go through these.
PUBLIC_PAGES = [
    PAGE_URL,
    f"{PAGE_URL}/history",
    "/centres/youth-futures-foundation",
    "/centres/what-works-centre-for-wellbeing",
    "/policy-areas/youth-employment",
    *(url for url, _title in HELP_PAGES),
]
# Every public URL: the pages, and the feed and data beside them.
PUBLIC_URLS = [*PUBLIC_PAGES, f"{PAGE_URL}.atom", f"/api/content{PAGE_URL}"]
SEED_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "seed"
# CACHE_URL=dummycache:// as settings give it: page caching off.
CACHING_OFF = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# What every answer carries, from the cache or not.
SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")
NETWORK_SENTENCE = re.compile(r"The network is made up of (.+?)\. Together")


def skip_or_fail(reason):
    """Skip a test whose requirement is absent, except under CI, where absence is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


@contextlib.contextmanager
def content_for_the_module(django_db_blocker, build):
    """Content that `build` writes once, outside any test's transaction, for the tests of one module.

    Each test's own changes are rolled back, so every test starts from the same content; the
    database is emptied (as between Django's transactional tests) when the module is done.
    """
    with django_db_blocker.unblock():
        build()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


def load_demo():
    call_command("loaddata", "demo", verbosity=0)


def parse(response):
    return BeautifulSoup(response.content.decode(response.charset), "html.parser")


def text_of(element):
    """An element's visible text with white space folded, as a reader sees it."""
    return " ".join(element.get_text().split())


def table_rows(soup):
    """The main table's rows: (prefix, link text, website, text after link, policy area)."""
    rows = []
    for row in soup.select("table.govuk-table tbody tr"):
        name_cell, area_cell = row.find_all("td")
        name_cell.select_one('a[href^="/centres/"]').extract()  # the link to the centre's own page
        link = name_cell.find("a")
        before, _, after = text_of(name_cell).partition(text_of(link))
        rows.append((before.strip(), text_of(link), link["href"], after.strip(), text_of(area_cell)))
    return rows


def network_sentence(soup):
    """The page's count of members: "9 independent What Works Centres and 3 affiliate members"."""
    return NETWORK_SENTENCE.search(text_of(soup.find("main"))).group(1)


def signed_in_superuser(client, user_model):
    """The test client, logged into the admin as a new superuser."""
    client.force_login(user_model.objects.create_superuser("editor", "editor@example.com", "a long passphrase"))
    return client


def signed_in(user):
    """A test client of its own (a browser of its own), signed in to the admin as `user`."""
    client = Client()
    client.force_login(user)
    return client


def staff_member(username, group_name, password="a long passphrase"):
    """A member of staff in one of the roles' groups (network/roles.py)."""
    user = get_user_model().objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def add_url(model):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"


def history_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/history/"


def form_values(response, form_id=None):
    """The values a browser would submit from a rendered form, as a dict to edit and post."""
    soup = parse(response)
    form = soup.find("form", id=form_id) if form_id else soup.select_one("#content-main form")
    values = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True)
            values[name] = chosen["value"] if chosen else ""
        elif field.name == "textarea":
            values[name] = field.text.removeprefix("\n")
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                values[name] = field.get("value", "on")
        else:
            values[name] = field.get("value", "")
    return values


def post_change_form(client, obj, **changes):
    """Post an object's admin change form as a browser would, with `changes` made to its fields."""
    url = change_url(obj)
    values = form_values(client.get(url))
    values.update(changes)
    return client.post(url, values)


def admin_messages(response):
    """The messages the admin shows at the top of a page, such as what a save did."""
    return [text_of(li) for li in parse(response).select(".messagelist li")]


def field_errors(response):
    """Error messages shown beside fields in an admin form, by field name."""
    soup = parse(response)
    return {
        error_list["id"].removeprefix("id_").removesuffix("_error"): [text_of(li) for li in error_list.find_all("li")]
        for error_list in soup.select("ul.errorlist[id$=_error]")
    }


# Drafts (drafts/): their pages in the admin, their previews, and saving content forms into them.
DRAFTS = "/admin/drafts/draft/"


def draft_url(draft, step="change"):
    return f"{DRAFTS}{draft.pk}/{step}/"


def preview_url(draft, path=PAGE_URL):
    return f"/preview/{draft.pk}{path}"


def save_as_draft(client, url, draft=None, draft_name="A draft", **changes):
    """Post a content form (change or add) with "Save as draft", into `draft` or a new one named `draft_name`."""
    values = form_values(client.get(url))
    values.update(changes)
    values.pop("major_change", None)
    values.update(_save_as_draft="Save as draft", draft=str(draft.pk) if draft else "new", new_draft_name=draft_name)
    response = client.post(url, values)
    assert response.status_code == 302, field_errors(response)
    return response


def save_in_working_draft(client, url, **changes):
    """Post a content form as it is shown while working in a draft (no major-change question)."""
    values = form_values(client.get(url))
    values.update(changes)
    response = client.post(url, values)
    assert response.status_code == 302, field_errors(response)
    return response


def submit_and_publish(author, draft, answer="yes", note="A change note."):
    """`author` (a signed-in test client) submits the draft; a second person, a new superuser in a client
    of their own, publishes it with the major-change answer. Returns (their client, their response)."""
    author.post(draft_url(draft, "submit"))
    users = get_user_model().objects
    name = f"reviewer-{draft.pk}"
    reviewer = signed_in(users.filter(username=name).first() or users.create_superuser(name, "r@example.com", "x"))
    return reviewer, reviewer.post(draft_url(draft, "publish"), {"major_change": answer, "change_note": note})


# Link checks (links/): other sites, played by servers on 127.0.0.1 in threads of the test process.
class ScriptedHandler(BaseHTTPRequestHandler):
    """Answers each path as its server's `answers` say, {path: (status, {header: value})}, and 404
    otherwise; notes every request. A server with `refuses_head` answers HEAD with 405."""

    def do_HEAD(self):
        self.answer()

    def do_GET(self):
        self.answer()

    def answer(self):
        self.server.requests.append((self.command, self.path, dict(self.headers)))
        status, headers = self.server.answers.get(self.path, (404, {}))
        if self.command == "HEAD" and self.server.refuses_head:
            status, headers = 405, {}
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass  # the tests read `requests` instead


@contextlib.contextmanager
def local_site(answers=None, refuses_head=False, handler=ScriptedHandler, tls_context=None):
    """A web server on 127.0.0.1 in a thread, over TLS with `tls_context`; yields it, its address in
    `server.address` and the requests it received in `server.requests`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.answers, server.refuses_head, server.requests = answers or {}, refuses_head, []
    if tls_context:
        server.socket = tls_context.wrap_socket(server.socket, server_side=True)
    server.address = f"{'https' if tls_context else 'http'}://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def silent_site():
    """A server that accepts connections and never answers: its address."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def refused_address():
    """An address where nothing listens: its port was taken and given back."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def untrusted_tls_context():
    """A server's TLS context whose certificate, for 127.0.0.1, is signed by a CA no client trusts."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
    return context


def content_linking_to(page_address, section_addresses, centre_websites):
    """A page whose publisher links to `page_address` and whose one section links to each of
    `section_addresses` (with a relative and a mailto link, which are not checked), and a centre
    for each of `centre_websites`. Returns the page and its section."""
    page = Page.objects.create(
        slug="links-page",
        title="A page of links",
        summary="Links to other sites.",
        organisation_name="Evaluation Task Force",
        organisation_url=page_address,
    )
    links = "\n".join(f"- [Link {number}]({address})" for number, address in enumerate(section_addresses, 1))
    section = page.sections.create(
        heading="Further reading",
        body=f"Read these:\n\n{links}\n\nOr [the centres](/centres/x) or [mail us](mailto:a@example.org).",
    )
    for number, website in enumerate(centre_websites, 1):
        Centre.objects.create(name=f"Centre {number}", slug=f"centre-{number}", website=website)
    return page, section
