"""Readers' feedback: "Is this page useful?" and "Report a problem with this page" at the foot of every
public page, sent without JavaScript or cookies, refused clearly when it cannot be kept, limited per
client, and read (never edited) in the admin."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.test import Client, override_settings

from drafts.models import Draft, FactCheckLink
from feedback.models import Feedback, Kind
from network.models import ContentVersion
from network.roles import ADMINISTRATOR, EDITOR, PUBLISHER
from tests.helpers import DRAFTS, PAGE_URL, PUBLIC_PAGES, parse, preview_url, staff_member, text_of
from tests.servers import free_port

SEND = "/feedback"
A_WEEK = datetime.timedelta(days=7)
THANK_YOU = "/feedback/thank-you"
FEEDBACK_ADMIN = "/admin/feedback/feedback/"
HOSTILE = ['<script>alert("doing")</script>', '"><img src=x onerror=alert(1)>']
# What a browser on one of the site's pages says of a post it makes.
SAME_SITE = {"HTTP_ORIGIN": settings.SITE_URL, "HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture(autouse=True)
def no_earlier_posts_counted():
    """Each test starts with no posts counted against the test client's address."""
    caches["default"].clear()


def send(client, **values):
    return client.post(SEND, values, **SAME_SITE)


def report(client, what_doing="", what_wrong="", path=PAGE_URL):
    return send(client, kind="problem", path=path, what_doing=what_doing, what_wrong=what_wrong)


def error_summary(response):
    return [text_of(item) for item in parse(response).select(".govuk-error-summary__list li")]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_ends_with_the_feedback_prompt_and_stays_cacheable(client, demo, path):
    response = client.get(path)
    soup = parse(response)
    prompt = soup.select_one(".govuk-width-container > .app-feedback")
    assert "govuk-!-display-none-print" in prompt["class"]  # printing leaves it out
    assert text_of(prompt.find("h2")) == "Is this page useful?"
    assert [text_of(button) for button in prompt.select(".app-feedback__prompt button")] == [
        "Yes this page is useful",
        "No this page is not useful",
    ]
    assert text_of(prompt.select_one("details summary")) == "Report a problem with this page"
    forms = prompt.find_all("form")
    assert [(form["method"], form["action"]) for form in forms] == [("post", SEND), ("post", SEND)]
    assert {form.select_one("input[name=path]")["value"] for form in forms} == {path}
    assert not soup.select("input[name=csrfmiddlewaretoken]")
    # The same for every reader: no cookie, nothing to vary by, and served from the cache next time.
    assert not response.cookies
    assert not response.has_header("Vary")
    repeat = client.get(path)
    assert repeat.templates == []
    assert repeat.content == response.content


def test_error_pages_and_previews_leave_it_out(staff):
    assert not parse(staff.get("/centres/no-such-centre")).select(".app-feedback")
    staff.post(f"{DRAFTS}add/", {"name": "A draft"})
    draft = Draft.objects.get()
    preview = staff.get(preview_url(draft))
    assert preview.status_code == 200
    assert not parse(preview).select(".app-feedback")
    link = FactCheckLink.objects.create(
        draft=draft, shared_with="An expert", created_by=draft.created_by, expires_at=draft.created_at + A_WEEK
    )
    for url, status in [(link.get_absolute_url() + PAGE_URL[1:], 200), (f"/fact-check/{link.pk}:forged/", 404)]:
        fact_check = Client().get(url)
        assert fact_check.status_code == status, url
        assert not parse(fact_check).select(".app-feedback"), url


def test_yes_is_kept_with_the_page_and_the_time_and_thanked(client, demo, time_machine):
    sent_at = datetime.datetime(2030, 1, 15, 12, 30, tzinfo=ZoneInfo("Europe/London"))
    time_machine.move_to(sent_at, tick=False)
    response = send(client, kind="useful", path=f"{PAGE_URL}/history")
    assert response.status_code == 303  # See Other: the thank-you is fetched, and reloading it sends nothing
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"]
    soup = parse(thanks)
    assert text_of(soup.find("h1")) == "Thank you for your feedback"
    assert soup.find("a", string="Go back to the page you were reading")["href"] == f"{PAGE_URL}/history"
    assert not soup.select(".app-feedback")
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.path, feedback.created_at) == (Kind.USEFUL, f"{PAGE_URL}/history", sent_at)
    # Nothing about who sent it: no address, browser or account.
    assert {field.name for field in Feedback._meta.get_fields()} == {
        "id",
        "kind",
        "path",
        "what_doing",
        "what_wrong",
        "created_at",
    }


def test_no_and_a_problem_report_are_kept(client, demo):
    assert send(client, kind="not-useful", path=PAGE_URL).status_code == 303
    response = report(client, what_doing="Looking for a centre", what_wrong="The link to it is broken")
    assert response.status_code == 303
    assert list(Feedback.objects.values_list("kind", "what_doing", "what_wrong").order_by("pk")) == [
        (Kind.NOT_USEFUL, "", ""),
        (Kind.PROBLEM, "Looking for a centre", "The link to it is broken"),
    ]


def test_feedback_changes_no_content_and_no_cached_page(client, demo, django_assert_max_num_queries):
    page = client.get(PAGE_URL)
    version = ContentVersion.objects.token()
    assert report(client, what_wrong="A typo").status_code == 303
    assert ContentVersion.objects.token() == version
    with django_assert_max_num_queries(1):  # the content version: the page comes from the cache
        repeat = client.get(PAGE_URL)
    assert repeat.content == page.content


def test_the_feedback_s_own_pages_are_not_for_indexing_or_sharing(client, demo):
    # No description, and no canonical address naming an address that only receives posts.
    pages = [
        client.get(THANK_YOU, {"page": PAGE_URL}),
        client.get(SEND),
        send(client, kind="maybe", path=PAGE_URL),
        client.post(SEND, {"kind": "useful", "path": PAGE_URL}, HTTP_ORIGIN="https://elsewhere.example"),
    ]
    assert [response.status_code for response in pages] == [200, 405, 400, 403]
    for response in pages:
        head = parse(response).head
        assert head.select("meta[name=description], link[rel=canonical], meta[property^='og:']") == []


def test_the_thank_you_page_links_only_to_pages_of_the_site(client, demo):
    for page in ["https://example.com/", "//example.com/", "/admin/", "/nowhere"]:
        soup = parse(client.get(THANK_YOU, {"page": page}))
        assert [a["href"] for a in soup.select("main a")] == ["/"]


def test_an_empty_report_is_refused_with_a_clear_message(client, demo):
    response = report(client, what_doing="  ", what_wrong="")
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
    assert error_summary(response) == ["Enter what you were doing or what went wrong."]
    soup = parse(response)
    assert soup.select_one(".govuk-error-summary__list a")["href"] == "#feedback-what-doing"
    assert (
        text_of(soup.select_one("#feedback-what-doing-error")) == "Error: Enter what you were doing or what went wrong."
    )
    assert soup.find("title").text.startswith("Error: ")
    assert not Feedback.objects.exists()


def test_an_oversized_report_is_refused_keeping_what_was_typed(client, demo):
    response = report(client, what_doing="Reading about centres", what_wrong="x" * 3_001)
    assert response.status_code == 400
    assert error_summary(response) == ["What went wrong must be 3,000 characters or fewer."]
    soup = parse(response)
    assert soup.select_one("#feedback-what-doing").text == "Reading about centres"
    assert soup.select_one("#feedback-what-wrong").text == "x" * 3_001
    assert soup.select_one("input[name=path]")["value"] == PAGE_URL
    assert not Feedback.objects.exists()
    assert report(client, what_doing="Reading about centres", what_wrong="x" * 3_000).status_code == 303


def test_a_body_too_big_to_read_is_refused_with_a_clear_message(client, demo):
    response = report(client, what_wrong="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    assert response.status_code == 400
    assert error_summary(response) == ["Your report is too long: each answer must be 3,000 characters or fewer."]
    assert not Feedback.objects.exists()


def test_a_body_too_big_is_refused_even_when_the_bulk_of_it_is_a_file(client, demo):
    # Django's limit on form data counts no file's part: a yes sent with 10 MB attached is still too big.
    attachment = io.BytesIO(b"x" * 10_000_000)
    attachment.name = "attachment.txt"
    response = send(client, kind="useful", path=PAGE_URL, attachment=attachment)
    assert response.status_code == 400
    assert error_summary(response) == ["Your report is too long: each answer must be 3,000 characters or fewer."]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/nowhere",
        "https://example.com/guidance/what-works-network",
        "//evil.example/guidance/what-works-network",
        "/admin/",
        "",
        "/preview/1/guidance/what-works-network",
        f"{PAGE_URL}?utm_source=evil",
        "/guidance/no-such-page",
        "/centres/made-up",
        "/help/no-such-help",
    ],
)
def test_feedback_about_anything_but_a_page_of_the_site_is_refused(client, demo, path):
    for response in [send(client, kind="useful", path=path), report(client, what_wrong="Broken", path=path)]:
        assert response.status_code == 400
        assert error_summary(response) == ["This feedback is not about a page of this site."]
        assert not parse(response).select("form textarea")  # nothing to send again: go back to the page
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("field", ["what_doing", "what_wrong", "path"])
def test_a_nul_character_is_refused_with_a_message_not_an_error(client, demo, field):
    # PostgreSQL cannot store one in text: the form says so before the database is asked.
    values = {"kind": "problem", "path": PAGE_URL, "what_doing": "Reading", "what_wrong": "Broken"}
    values[field] += "\x00"
    response = send(client, **values)
    assert response.status_code == 400
    assert error_summary(response) == ["Null characters are not allowed."]
    assert not Feedback.objects.exists()


def test_an_answer_that_is_neither_yes_no_nor_a_report_is_refused(client, demo):
    for values in [{"kind": "maybe"}, {}]:
        response = send(client, path=PAGE_URL, **values)
        assert response.status_code == 400
        assert error_summary(response) == ["Answer “Is this page useful?” with Yes or No, or report a problem."]
    response = send(client, kind="useful", path=PAGE_URL, what_wrong="Text with a yes")
    assert response.status_code == 400
    assert error_summary(response) == ["Only a problem report has text: a yes or a no says nothing more."]
    assert not Feedback.objects.exists()


def test_the_address_for_posts_answers_nothing_else(client, demo):
    response = client.get(SEND)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert text_of(parse(response).find("h1")) == "This address only receives feedback"
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://forged.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "https://forged.example", "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
    ],
)
def test_a_post_from_another_site_is_refused(client, demo, headers):
    response = client.post(SEND, {"kind": "useful", "path": PAGE_URL}, **headers)
    assert response.status_code == 403
    assert text_of(parse(response).find("h1")) == "Sorry, your feedback could not be sent"
    assert not Feedback.objects.exists()


def test_posts_another_site_makes_in_a_readers_name_use_none_of_their_allowance(client, demo):
    forged = [
        client.post(SEND, {"kind": "useful", "path": PAGE_URL}, HTTP_ORIGIN="https://forged.example").status_code
        for _ in range(100)
    ]
    assert forged == [403] * 100
    assert send(client, kind="useful", path=PAGE_URL).status_code == 303
    assert Feedback.objects.count() == 1


def test_the_origin_is_compared_with_site_url_never_with_the_host_the_request_names(client, demo, settings):
    settings.ALLOWED_HOSTS = ["testserver", "forged.example"]
    forged = {"HTTP_HOST": "forged.example", "HTTP_ORIGIN": "http://forged.example"}
    assert client.post(SEND, {"kind": "useful", "path": PAGE_URL}, **forged).status_code == 403
    assert (
        client.post(SEND, {"kind": "useful", "path": PAGE_URL}, HTTP_HOST="forged.example", **SAME_SITE).status_code
        == 303
    )


def test_a_post_from_no_browser_is_accepted(client, demo):
    # Without Origin or Sec-Fetch-Site no browser was tricked into it; the rate limit bounds such posts.
    assert client.post(SEND, {"kind": "useful", "path": PAGE_URL}).status_code == 303


def test_a_burst_of_posts_from_one_client_is_limited_and_others_still_get_through(client, demo, time_machine):
    time_machine.move_to(datetime.datetime(2030, 1, 15, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)
    statuses = [report(client, what_wrong=f"Spam {number}").status_code for number in range(1_000)]
    limit = statuses.index(429)
    assert limit > 0
    assert statuses == [303] * limit + [429] * (1_000 - limit)
    assert Feedback.objects.count() == limit
    limited = report(client, what_wrong="One more")
    assert text_of(parse(limited).find("h1")) == "Sorry, there have been too many messages from your connection"
    assert 0 < int(limited["Retry-After"]) <= 3600
    # Another reader, at another address, is not held up.
    assert (
        client.post(SEND, {"kind": "useful", "path": PAGE_URL}, REMOTE_ADDR="192.0.2.7", **SAME_SITE).status_code == 303
    )
    assert Feedback.objects.count() == limit + 1


def test_with_redis_as_the_cache_a_burst_is_limited_across_processes(client, demo, redis_cache):
    statuses = [send(client, kind="useful", path=PAGE_URL).status_code for _ in range(30)]
    limit = statuses.index(429)
    assert limit > 0
    assert statuses == [303] * limit + [429] * (30 - limit)
    assert 0 < int(send(client, kind="useful", path=PAGE_URL)["Retry-After"]) <= 3600


def test_while_redis_is_down_feedback_is_still_kept(client, demo):
    # The site's rule for a dead cache: work without it. Unlimited until it is back, rather than
    # telling every reader they sent too many messages.
    nothing_listening = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{free_port()}/7"}
    }
    with override_settings(CACHES=nothing_listening):
        response = send(client, kind="useful", path=PAGE_URL)
    assert response.status_code == 303
    assert Feedback.objects.count() == 1


def test_behind_a_load_balancer_clients_are_told_apart_by_the_address_it_passes_on(client, demo, settings):
    # As CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR sets it: every connection comes from the balancer.
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)
    balancer = {"REMOTE_ADDR": "10.0.0.1", **SAME_SITE}
    answers = [
        client.post(SEND, {"kind": "useful", "path": PAGE_URL}, HTTP_X_FORWARDED_FOR="198.51.100.1", **balancer)
        for _ in range(100)
    ]
    assert answers[-1].status_code == 429
    another = client.post(SEND, {"kind": "useful", "path": PAGE_URL}, HTTP_X_FORWARDED_FOR="198.51.100.2", **balancer)
    assert another.status_code == 303


def test_the_database_keeps_the_rules_too(db):
    for values in [
        {"kind": "maybe"},
        {"kind": Kind.PROBLEM},
        {"kind": Kind.USEFUL, "what_wrong": "Text with a yes"},
        {"kind": Kind.PROBLEM, "what_doing": "x" * 3_001},
        {"kind": Kind.PROBLEM, "what_wrong": "x" * 3_001},
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Feedback.objects.create(path=PAGE_URL, **values)


# The admin


@pytest.fixture
def hostile_report(client, demo):
    assert report(client, what_doing=HOSTILE[0], what_wrong=HOSTILE[1]).status_code == 303
    return Feedback.objects.get()


def test_hostile_text_is_kept_as_sent_and_shown_escaped_in_the_admin(staff, hostile_report):
    assert (hostile_report.what_doing, hostile_report.what_wrong) == tuple(HOSTILE)
    for url in [FEEDBACK_ADMIN, f"{FEEDBACK_ADMIN}{hostile_report.pk}/change/"]:
        html = staff.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_admin_lists_filters_and_searches_feedback(staff, demo):
    send(staff, kind="useful", path=PAGE_URL)
    send(staff, kind="not-useful", path="/centres/youth-futures-foundation")
    report(staff, what_doing="Searching", what_wrong="The table is cut off on my phone")
    changelist = parse(staff.get(FEEDBACK_ADMIN))
    headings = [text_of(th) for th in changelist.select("#result_list thead th")][1:]  # after the checkbox
    assert headings == ["Sent", "Page", "Kind", "Report"]
    rows = [[text_of(cell) for cell in row.select("th, td")][1:] for row in changelist.select("#result_list tbody tr")]
    assert [row[1:] for row in rows] == [
        [PAGE_URL, "Problem report", "Searching — The table is cut off on my phone"],
        ["/centres/youth-futures-foundation", "Useful: no", "-"],
        [PAGE_URL, "Useful: yes", "-"],
    ]
    assert changelist.select("nav.toplinks")  # the date hierarchy
    filters = text_of(changelist.select_one("#changelist-filter"))
    assert "By kind" in filters and "By page" in filters
    problems = parse(staff.get(FEEDBACK_ADMIN, {"kind__exact": "problem"}))
    assert len(problems.select("#result_list tbody tr")) == 1
    found = parse(staff.get(FEEDBACK_ADMIN, {"q": "phone"}))
    assert len(found.select("#result_list tbody tr")) == 1


def test_nobody_edits_a_readers_words(staff, hostile_report):
    change_url = f"{FEEDBACK_ADMIN}{hostile_report.pk}/change/"
    assert not parse(staff.get(change_url)).select("input[name=_save]")
    assert staff.post(change_url, {"kind": "problem", "path": PAGE_URL, "what_doing": "Edited"}).status_code == 403
    assert staff.get(f"{FEEDBACK_ADMIN}add/").status_code == 403
    hostile_report.refresh_from_db()
    assert hostile_report.what_doing == HOSTILE[0]


def download(client, **filters):
    """The CSV of every answer the admin's list shows with `filters`, as "select all" then the action gives it."""
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    # "Select all" posts the rows the page shows, ticked, and asks for every row the filters give.
    shown = [box["value"] for box in parse(client.get(f"{FEEDBACK_ADMIN}?{query}")).select("input.action-select")]
    response = client.post(
        f"{FEEDBACK_ADMIN}?{query}",
        {"action": "download_csv", "select_across": "1", "index": "0", "_selected_action": shown},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8", response.status_code
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_filtered_list_downloads_as_csv_with_formulas_kept_as_text(staff, demo):
    send(staff, kind="useful", path=PAGE_URL)
    report(staff, what_doing='=HYPERLINK("https://forged.example")', what_wrong="+1 -1 @SUM(A1)")
    header, *rows = download(staff, kind__exact="problem")
    assert header == ["sent (UK time)", "page", "kind", "what they were doing", "what went wrong"]
    assert [row[1:] for row in rows] == [
        [PAGE_URL, "Problem report", '\'=HYPERLINK("https://forged.example")', "'+1 -1 @SUM(A1)"]
    ]
    assert len(download(staff)) == 3  # the header and both answers


@pytest.mark.parametrize("role", [EDITOR, PUBLISHER])
def test_editors_and_publishers_read_and_download_feedback_but_do_not_delete_it(client, hostile_report, role):
    client.force_login(staff_member("reader", role))
    assert client.get(FEEDBACK_ADMIN).status_code == 200
    assert len(download(client)) == 2
    delete_url = f"{FEEDBACK_ADMIN}{hostile_report.pk}/delete/"
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Feedback.objects.exists()


def test_administrators_may_delete_feedback(client, hostile_report):
    client.force_login(staff_member("administrator", ADMINISTRATOR))
    response = client.post(f"{FEEDBACK_ADMIN}{hostile_report.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Feedback.objects.exists()
