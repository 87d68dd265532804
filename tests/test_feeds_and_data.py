"""The page's updates as Atom, the page as JSON like GOV.UK's content API, and CSV from the admin."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches

from centres.models import Centre, Kind, Membership
from network.models import Page
from tests.helpers import PAGE_URL, text_of
from updates.models import PageUpdate

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_URL = f"{PAGE_URL}.atom"
CONTENT_URL = f"/api/content{PAGE_URL}"


def test_the_page_announces_its_feed(demo, get_page, client):
    link = get_page().head.find("link", rel="alternate", type="application/atom+xml")
    assert link["href"] == FEED_URL
    assert client.get(link["href"]).status_code == 200


def test_the_feed_is_atom_with_one_entry_per_update(demo, client):
    response = client.get(FEED_URL)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text
    assert feed.find(f"{ATOM}updated").text.startswith("2024-07-19")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 19
    assert entries[0].find(f"{ATOM}title").text == "We updated information on the page."
    assert entries[-1].find(f"{ATOM}updated").text.startswith("2013-03-04")
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == 19
    assert all(entry_id.startswith("urn:uuid:") for entry_id in ids)
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://testserver{PAGE_URL}#full-history"


def test_the_feed_escapes_staff_text(demo, client):
    PageUpdate.objects.create(page=Page.objects.get(), date="2025-01-01", note="<script>alert(1)</script> & more")
    feed = ET.fromstring(client.get(FEED_URL).content)
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == "<script>alert(1)</script> & more"


def test_the_content_api_describes_the_page(demo, client):
    content = client.get(CONTENT_URL).json()
    assert content["base_path"] == PAGE_URL
    assert content["title"] == "What Works Network"
    assert content["description"].startswith("The What Works Network uses evidence")
    assert content["document_type"] == content["schema_name"] == "detailed_guide"
    assert content["first_published_at"].startswith("2013-03-04T00:00:00")
    assert content["public_updated_at"].startswith("2024-07-19T00:00:00")
    history = content["details"]["change_history"]
    assert len(history) == 19
    assert history[0] == {
        "public_timestamp": "2024-07-19T00:00:00+01:00",
        "note": "We updated information on the page.",
    }
    assert content["links"]["organisations"] == [
        {
            "title": "Evaluation Task Force",
            "web_url": "https://www.gov.uk/government/organisations/evaluation-task-force",
        }
    ]


def test_the_content_api_body_is_the_pages_body(demo, client, get_page):
    body = BeautifulSoup(client.get(CONTENT_URL).json()["details"]["body"], "html.parser")
    page = get_page()
    assert [text_of(h2) for h2 in body.find_all("h2")] == [
        "Introduction",
        "The What Works Network",
        "More information on What Works",
    ]
    for heading in body.find_all("h2"):
        on_page = page.find(id=heading["id"])
        assert text_of(on_page.find_next_sibling()) == text_of(heading.find_next_sibling())
    assert "9 independent What Works Centres and 3 affiliate members" in text_of(body)
    assert len(body.select("table tbody tr")) == 12


def test_the_content_api_gives_centres_with_their_memberships(demo, client):
    centres = {centre["title"]: centre for centre in client.get(CONTENT_URL).json()["details"]["centres"]}
    assert len(centres) == 16
    youth_futures = centres["Youth Futures Foundation"]
    assert youth_futures["base_path"] == "/centres/youth-futures-foundation"
    assert youth_futures["website"] == "https://youthfuturesfoundation.org"
    assert youth_futures["memberships"] == [
        {
            "kind": "affiliate",
            "kind_label": "Affiliate",
            "policy_area": "Youth employment",
            "start_date": "2019-10-01",
            "end_date": "2022-06-15",
        },
        {
            "kind": "centre",
            "kind_label": "What Works Centre",
            "policy_area": "Youth employment",
            "start_date": "2022-06-15",
            "end_date": None,
        },
    ]


def download(client, changelist, pks):
    response = client.post(changelist, {"action": "download_csv", "_selected_action": [str(pk) for pk in pks]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    # A byte-order mark first, so that a spreadsheet reads the file as UTF-8.
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_centres_and_their_memberships_download_as_csv(staff):
    empty = Centre.objects.create(name='=HYPERLINK("https://evil.example")', slug="empty", website="https://e.example")
    chosen = [Centre.objects.get(slug="youth-futures-foundation").pk, empty.pk]
    header, *rows = download(staff, "/admin/centres/centre/", chosen)
    assert header == [
        "centre",
        "slug",
        "website",
        "text after link",
        "kind",
        "policy area",
        "start date",
        "end date (the first day it no longer applies)",
        "status",
        "position",
    ]
    assert rows == [
        ['\'=HYPERLINK("https://evil.example")', "empty", "https://e.example", "", "", "", "", "", "", ""],
        [
            "Youth Futures Foundation",
            "youth-futures-foundation",
            "https://youthfuturesfoundation.org",
            "",
            "Affiliate",
            "Youth employment",
            "1 October 2019",
            "15 June 2022",
            "ended",
            "1",
        ],
        [
            "Youth Futures Foundation",
            "youth-futures-foundation",
            "https://youthfuturesfoundation.org",
            "",
            "What Works Centre",
            "Youth employment",
            "15 June 2022",
            "",
            "current",
            "8",
        ],
    ]


def test_memberships_download_as_csv(staff):
    header, *rows = download(staff, "/admin/centres/membership/", Membership.objects.values_list("pk", flat=True))
    assert header[0] == "centre"
    assert len(rows) == Membership.objects.count() == 18
    assert all(len(row) == len(header) for row in rows)


def test_the_csv_says_whether_each_membership_is_current_ended_or_starts_later(editor):
    centre = Centre.objects.create(name="Centre for Evidence in Sport", slug="sport", website="https://sport.example")
    Membership.objects.create(centre=centre, kind=Kind.AFFILIATE, start_date="2029-01-01", end_date="2030-01-15")
    Membership.objects.create(
        centre=centre, kind=Kind.WHAT_WORKS_CENTRE, start_date="2030-01-15", end_date="2030-03-01"
    )
    Membership.objects.create(centre=centre, kind=Kind.ASSOCIATE, start_date="2030-03-01")
    header, *rows = download(editor, "/admin/centres/membership/", centre.memberships.values_list("pk", flat=True))
    columns = [header.index(name) for name in ("kind", "start date", "status")]
    assert [[row[column] for column in columns] for row in rows] == [
        ["Affiliate", "1 January 2029", "ended"],
        ["What Works Centre", "15 January 2030", "current"],
        ["Associate", "1 March 2030", "starts later"],
    ]


def absolute_urls(response):
    """Every absolute address in a feed or in the content API's JSON."""
    return sorted(set(re.findall(r"https?://[^\s\"<>]+", response.content.decode())))


@pytest.mark.parametrize("url", [FEED_URL, CONTENT_URL])
def test_absolute_urls_come_from_site_url_whichever_host_asks_first(demo, client, settings, url):
    settings.ALLOWED_HOSTS = ["www.example.gov.uk", "127.0.0.1"]
    settings.SITE_URL = "https://www.example.gov.uk"
    seen = []
    for hosts in (["127.0.0.1:6666", "www.example.gov.uk"], ["www.example.gov.uk", "127.0.0.1:6666"]):
        caches["default"].clear()
        for host in hosts:
            response = client.get(url, headers={"Host": host}, secure=host == "127.0.0.1:6666")
            assert response.status_code == 200
            seen.append(absolute_urls(response))
    assert all(urls == seen[0] for urls in seen)
    own = [address for address in seen[0] if "example.gov.uk" in address]
    assert own
    assert all(address.startswith("https://www.example.gov.uk/") for address in own)
    assert not [address for address in seen[0] if "127.0.0.1" in address or "6666" in address]


def test_the_feed_names_its_own_address_from_site_url(demo, client, settings):
    settings.SITE_URL = "https://www.example.gov.uk"
    feed = ET.fromstring(client.get(FEED_URL, headers={"Host": "testserver:8080"}).content)
    assert feed.find(f"{ATOM}id").text == f"https://www.example.gov.uk{PAGE_URL}"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"https://www.example.gov.uk{FEED_URL}"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == f"https://www.example.gov.uk{PAGE_URL}"
