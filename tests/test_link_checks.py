"""Link checks (links/): every link from the public pages to other sites is checked, by a command
and by a button in the admin, against real servers on 127.0.0.1 that answer as real sites do."""

import datetime
import io
import ipaddress
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from centres.models import Centre
from links.models import CheckedLink, Status, links_on_the_site
from network.models import ContentVersion, HelpPage
from network.roles import EDITOR, PUBLISHER
from tests.helpers import (
    ScriptedHandler,
    admin_messages,
    change_url,
    content_linking_to,
    local_site,
    parse,
    save_as_draft,
    signed_in_superuser,
    staff_member,
    text_of,
)

LINKS = "/admin/links/checkedlink/"
CHECK = f"{LINKS}check/"

pytestmark = pytest.mark.usefixtures("db")


def check_links():
    """Run `manage.py check_links`; returns what it printed."""
    out = io.StringIO()
    call_command("check_links", stdout=out)
    return out.getvalue().strip()


def results(other_sites):
    """What was recorded for each link, by the name `other_sites` gives it."""
    links = {link.address: link for link in CheckedLink.objects.all()}
    return {
        name: (links[address].status, links[address].http_status, links[address].error)
        for name, address in other_sites.addresses.items()
    }


def test_the_command_records_what_each_link_answered(other_sites, linked_content):
    assert check_links() == "9 links checked: 2 working, 1 redirect, 5 broken, 1 timed out."
    found = results(other_sites)
    assert found.pop("redirect loop")[:2] == (Status.BROKEN, None)
    assert found.pop("refuses connections") == (Status.BROKEN, None, "Connection refused")
    status, http_status, error = found.pop("untrusted certificate")
    assert (status, http_status) == (Status.BROKEN, None)
    assert error.startswith("Certificate not trusted: ")
    assert found == {
        "working": (Status.WORKING, 200, ""),
        "redirects": (Status.REDIRECT, 200, ""),
        "not found": (Status.BROKEN, 404, ""),
        "server error": (Status.BROKEN, 500, ""),
        "refuses HEAD": (Status.WORKING, 200, ""),
        "never answers": (Status.TIMED_OUT, None, "No answer within 1.5 seconds"),
    }
    redirect = CheckedLink.objects.get(address=other_sites.addresses["redirects"])
    assert redirect.final_address == f"{other_sites.site.address}/here"
    loop = CheckedLink.objects.get(address=other_sites.addresses["redirect loop"])
    assert loop.error == f"More than {settings.LINK_CHECK_MAX_REDIRECTS} redirects (a loop?)"
    assert not CheckedLink.objects.filter(checked_at=None).exists()
    # Neither the relative link nor the mailto is another site's.
    assert CheckedLink.objects.count() == 9


def test_a_server_that_refuses_head_is_asked_with_get(other_sites, linked_content):
    check_links()
    assert [(method, path) for method, path, _ in other_sites.head_refusing.requests] == [("HEAD", "/"), ("GET", "/")]


def test_checks_name_the_site_and_never_send_a_cookie(other_sites, linked_content):
    check_links()
    chain = [request for request in other_sites.site.requests if request[1] in ("/moved", "/moved-again", "/here")]
    assert [path for _, path, _ in chain] == ["/moved", "/moved-again", "/here"]
    for _, _, headers in chain:
        assert settings.SITE_URL in headers["User-Agent"]
        assert "Cookie" not in headers  # though the first answer set one


def test_a_link_is_checked_once_and_listed_where_each_record_shows_it(other_sites, linked_content):
    page, section = linked_content
    check_links()
    working = CheckedLink.objects.get(address=other_sites.addresses["working"])
    assert {(item.record, item.page_address) for item in working.appearances.all()} == {
        (page, page.get_absolute_url()),
        (section, f"{page.get_absolute_url()}#further-reading"),
    }
    centre = Centre.objects.get(website=other_sites.addresses["never answers"])
    assert [item.record for item in CheckedLink.objects.get(address=centre.website).appearances.all()] == [centre]


def test_each_check_lists_the_links_as_the_site_has_them_now(other_sites, linked_content):
    page, section = linked_content
    check_links()
    section.body = f"Only [one link]({other_sites.addresses['server error']})."
    section.save()
    Centre.objects.filter(website=other_sites.addresses["never answers"]).delete()
    assert check_links() == "4 links checked: 1 working, 0 redirect, 3 broken, 0 timed out."
    addresses = set(CheckedLink.objects.values_list("address", flat=True))
    assert other_sites.addresses["not found"] not in addresses
    assert other_sites.addresses["never answers"] not in addresses
    server_error = CheckedLink.objects.get(address=other_sites.addresses["server error"])
    assert [item.record for item in server_error.appearances.all()] == [section]
    working = CheckedLink.objects.get(address=other_sites.addresses["working"])
    assert [item.record for item in working.appearances.all()] == [page]


def test_a_link_only_in_a_draft_is_not_checked(client, django_user_model, other_sites, linked_content):
    staff = signed_in_superuser(client, django_user_model)
    centre = Centre.objects.get(website=other_sites.addresses["refuses connections"])
    drafted = f"{other_sites.site.address}/drafted"
    save_as_draft(staff, change_url(centre), draft_name="New website", website=drafted)
    check_links()
    assert not CheckedLink.objects.filter(address=drafted).exists()
    assert CheckedLink.objects.filter(address=centre.website).exists()


def test_the_links_in_a_withdrawn_pages_explanation_are_checked(other_sites, linked_content):
    page, section = linked_content
    page.withdrawn_on = datetime.date(2026, 1, 5)
    page.withdrawal_explanation = f"Read [what replaced it]({other_sites.addresses['redirects']}) instead."
    page.save()
    check_links()
    redirect = CheckedLink.objects.get(address=other_sites.addresses["redirects"])
    assert {item.record for item in redirect.appearances.all()} == {page, section}


def test_a_pages_source_its_related_links_and_the_help_pages_links_are_checked(other_sites, linked_content):
    page, section = linked_content
    links = other_sites.addresses
    page.source_address = "https://127.0.0.1:1/source"  # https only; nothing listens there
    page.save()
    related = page.related_links.create(title="Elsewhere", address=links["not found"])
    help_page = HelpPage.objects.create(
        slug="accessibility-statement", title="Accessibility statement", body=f"[Contact us]({links['server error']})."
    )
    check_links()
    source = CheckedLink.objects.get(address=page.source_address)
    assert source.status == Status.BROKEN
    assert [(item.record, item.page_address) for item in source.appearances.all()] == [(page, page.get_absolute_url())]
    assert {
        (item.record, item.page_address)
        for item in CheckedLink.objects.get(address=links["not found"]).appearances.all()
    } >= {(related, f"{page.get_absolute_url()}#related-content-heading")}
    assert {item.record for item in CheckedLink.objects.get(address=links["server error"]).appearances.all()} >= {
        help_page
    }


def test_collecting_the_sites_links_takes_as_many_queries_however_many_records_show_them(other_sites, linked_content):
    page, _section = linked_content

    def queries_to_collect():
        with CaptureQueriesContext(connection) as queries:
            found = links_on_the_site()
        return len(queries), len(found)

    before, links_before = queries_to_collect()
    for position in range(10, 15):
        page.sections.create(heading=f"More {position}", body=f"[More](https://{position}.example/)", position=position)
        page.related_links.create(
            title=f"More {position}", address=f"https://{position}.example/related", position=position
        )
    assert queries_to_collect() == (before, links_before + 10)


class CountingHandler(ScriptedHandler):
    """Holds each request for up to a second, or until more requests are in at once than the limit,
    noting the most it ever had in at once; then answers."""

    def answer(self):
        server = self.server
        with server.arrived:
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
            server.arrived.notify_all()
            server.arrived.wait_for(lambda: server.in_flight > settings.LINK_CHECK_PER_HOST, timeout=1)
            server.in_flight -= 1
        super().answer()


def test_a_server_never_gets_more_checks_at_once_than_the_per_host_limit(settings):
    settings.LINK_CHECK_PER_HOST = 2
    settings.LINK_CHECK_CONCURRENCY = 10
    paths = [f"/page-{number}" for number in range(6)]
    with local_site({path: (200, {}) for path in paths}, handler=CountingHandler) as site:
        site.arrived, site.in_flight, site.most_in_flight = threading.Condition(), 0, 0
        content_linking_to(site.address + paths[0], [site.address + path for path in paths[1:]], [])
        assert check_links() == "6 links checked: 6 working, 0 redirect, 0 broken, 0 timed out."
    assert site.most_in_flight == settings.LINK_CHECK_PER_HOST  # checked at once, but never more


class EndlessBodyHandler(ScriptedHandler):
    """Refuses HEAD; answers GET as scripted, with a body that goes on until the client hangs up."""

    def do_HEAD(self):
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        status, headers = self.server.answers.get(self.path, (404, {}))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()  # no length: the body ends when the connection does
        try:
            while True:
                self.wfile.write(b"x" * 65_536)
        except OSError:
            pass  # the checker hung up


def test_no_answer_s_body_is_read_not_even_a_redirect_s(settings):
    answers = {"/start": (302, {"Location": "/end"}), "/end": (200, {})}
    with local_site(answers, handler=EndlessBodyHandler) as site:
        content_linking_to(f"{site.address}/start", [], [])
        assert check_links() == "1 link checked: 0 working, 1 redirect, 0 broken, 0 timed out."
    link = CheckedLink.objects.get()
    assert (link.status, link.http_status, link.final_address) == (Status.REDIRECT, 200, f"{site.address}/end")


def test_no_server_off_the_public_internet_is_asked_unless_the_settings_allow_its_network(
    settings, other_sites, linked_content
):
    settings.LINK_CHECK_PRIVATE_NETWORKS = []  # as in production, unless set
    check_links()
    errors = dict(CheckedLink.objects.values_list("address", "error"))
    assert set(CheckedLink.objects.values_list("status", flat=True)) == {Status.BROKEN}
    assert errors == {address: "Not asked: 127.0.0.1 is at 127.0.0.1, off the public internet" for address in errors}
    assert set(errors) >= set(other_sites.addresses.values())
    assert other_sites.site.requests == other_sites.head_refusing.requests == []


def test_no_redirect_is_followed_off_the_public_internet_to_a_network_the_settings_do_not_allow(settings):
    settings.LINK_CHECK_PRIVATE_NETWORKS = [ipaddress.ip_network("127.0.0.1/32")]
    with local_site({"/": (200, {})}) as elsewhere:
        port = elsewhere.server_port
        answers = {
            "/to-another-loopback-address": (301, {"Location": f"http://127.0.0.2:{port}/"}),
            "/to-ipv6-loopback": (302, {"Location": f"http://[::1]:{port}/"}),
        }
        with local_site(answers) as site:
            content_linking_to(f"{site.address}/to-another-loopback-address", [f"{site.address}/to-ipv6-loopback"], [])
            check_links()
    assert dict(CheckedLink.objects.values_list("address", "error")) == {
        f"{site.address}/to-another-loopback-address": "Not asked: 127.0.0.2 is at 127.0.0.2, off the public internet",
        f"{site.address}/to-ipv6-loopback": "Not asked: ::1 is at ::1, off the public internet",
    }
    assert sorted(path for _method, path, _headers in site.requests) == sorted(answers)
    assert elsewhere.requests == []


def test_an_address_nothing_can_be_asked_at_is_a_broken_link_not_a_failed_check(other_sites):
    unaskable = ["https://example.org:99999/", "http://xn--.example.org/"]  # a port out of range, a bad IDN
    content_linking_to(other_sites.addresses["working"], unaskable, [])
    assert check_links() == "3 links checked: 1 working, 0 redirect, 2 broken, 0 timed out."
    errors = dict(CheckedLink.objects.filter(status=Status.BROKEN).values_list("address", "error"))
    assert errors == {
        unaskable[0]: "Not a valid address: Port out of range 0-65535",
        unaskable[1]: "Malformed A-label, no Punycode eligible content found",
    }


def test_the_admin_s_button_with_no_links_at_all(client, django_user_model):
    signed_in_superuser(client, django_user_model)
    response = client.post(CHECK, follow=True)
    assert admin_messages(response) == ["0 links checked: 0 working, 0 redirect, 0 broken, 0 timed out."]


@pytest.mark.parametrize(
    "result",
    [
        {"status": Status.REDIRECT, "http_status": 200},  # but where to?
        {"status": Status.WORKING, "http_status": 404},
        {"status": Status.BROKEN, "http_status": 200},
        {"status": Status.BROKEN},  # with neither a status nor an error
        {"status": Status.TIMED_OUT, "http_status": 200, "error": "No answer"},
        {"status": "lost"},
    ],
)
def test_the_database_refuses_a_result_that_contradicts_itself(result):
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckedLink.objects.create(address="https://example.org/", checked_at=timezone.now(), **result)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckedLink.objects.create(address="https://example.org/", checked_at=timezone.now())  # not yet checked


def test_checking_links_leaves_the_content_version_and_so_the_cached_pages_alone(other_sites, linked_content):
    before = ContentVersion.objects.token()
    check_links()
    check_links()
    assert ContentVersion.objects.token() == before


# The admin: the list, broken first, and the button.


def rows(response):
    """The links list's rows: (address, status, HTTP status or error, [where it appears, each place])."""
    return [
        (
            *(text_of(row.select_one(f".field-{name}")) for name in ("address_link", "status", "result")),
            [text_of(place) for place in row.select(".field-where_it_appears li")],
        )
        for row in parse(response).select("#result_list tbody tr")
    ]


def test_staff_check_links_from_the_admin_and_see_broken_ones_first(
    client, django_user_model, other_sites, linked_content
):
    page, section = linked_content
    staff = signed_in_superuser(client, django_user_model)
    response = staff.post(CHECK, follow=True)
    assert admin_messages(response) == ["9 links checked: 2 working, 1 redirect, 5 broken, 1 timed out."]
    shown = rows(response)
    statuses = [status for _, status, _, _ in shown]
    assert statuses == ["Broken"] * 5 + ["Timed out", "Redirect", "Working", "Working"]
    by_address = {address: (status, result, where) for address, status, result, where in shown}
    links = other_sites.addresses
    assert by_address[links["not found"]][1] == "404"
    assert by_address[links["refuses connections"]][1] == "Connection refused"
    assert by_address[links["redirects"]][1] == f"200 at {other_sites.site.address}/here"
    assert by_address[links["never answers"]][1] == "No answer within 1.5 seconds"
    assert by_address[links["working"]][2] == [
        f"{page.get_absolute_url()} (page “A page of links”)",
        f"{page.get_absolute_url()}#further-reading (section “Further reading”)",
    ]
    row = parse(response).find("a", string=links["working"]).find_parent("tr")
    hrefs = [a["href"] for a in row.select(".field-where_it_appears a")]
    assert hrefs == [
        page.get_absolute_url(),
        change_url(page),
        f"{page.get_absolute_url()}#further-reading",
        change_url(section),
    ]


def test_the_admin_filters_links_by_status(client, django_user_model, other_sites, linked_content):
    staff = signed_in_superuser(client, django_user_model)
    staff.post(CHECK)
    shown = rows(staff.get(LINKS, {"status__exact": Status.TIMED_OUT}))
    assert [address for address, *_ in shown] == [other_sites.addresses["never answers"]]


def test_a_record_deleted_since_the_check_is_said_to_be(client, django_user_model, other_sites, linked_content):
    staff = signed_in_superuser(client, django_user_model)
    staff.post(CHECK)
    Centre.objects.filter(website=other_sites.addresses["never answers"]).delete()
    shown = {address: where for address, _, _, where in rows(staff.get(LINKS))}
    assert shown[other_sites.addresses["never answers"]] == [
        "/centres/centre-1 (its record was deleted since the check)"
    ]


@pytest.mark.parametrize("role", [EDITOR, PUBLISHER])
def test_editors_and_publishers_see_the_links_and_check_them(client, role, other_sites, linked_content):
    client.force_login(staff_member("someone", role))
    listing = client.get(LINKS)
    assert listing.status_code == 200
    assert parse(listing).find("button", string="Check links now")
    assert client.post(CHECK).status_code == 302
    assert not CheckedLink.objects.filter(status=Status.NOT_CHECKED).exists()
    # The checks write the records: nobody adds, changes or deletes them.
    link = CheckedLink.objects.first()
    assert client.get(f"{LINKS}add/").status_code == 403
    assert client.post(f"{LINKS}{link.pk}/delete/", {"post": "yes"}).status_code == 403
    assert CheckedLink.objects.filter(pk=link.pk).exists()


def test_staff_without_the_permission_cannot_run_a_check(client, django_user_model, other_sites, linked_content):
    client.force_login(django_user_model.objects.create_user("visitor", password="x", is_staff=True))
    assert client.get(LINKS).status_code == 403
    assert client.post(CHECK).status_code == 403
    assert not CheckedLink.objects.exists()


def test_a_check_is_run_only_by_a_form_post(client, django_user_model, other_sites, linked_content):
    staff = signed_in_superuser(client, django_user_model)
    assert staff.get(CHECK).status_code == 405
    assert not CheckedLink.objects.exists()
