"""The public page: its content as restored from the capture, and the rules that derive it from data."""

import datetime
import re

import pytest
from django.utils import timezone

from centres.models import Centre, Kind, Membership, PolicyArea
from network.models import Page, Section
from tests.helpers import PAGE_URL, SEED_DIR, network_sentence, skip_or_fail, table_rows, text_of
from updates.models import PageUpdate

# The table as RESTORATION.md gives it: (prefix, link text, website, text after link, policy area).
EXPECTED_TABLE = [
    (
        "",
        "National Institute for Health and Care Excellence (NICE)",
        "https://www.nice.org.uk",
        "",
        "Health and social care",
    ),
    (
        "",
        "Education Endowment Foundation",
        "https://educationendowmentfoundation.org.uk",
        "",
        "Educational achievement",
    ),
    (
        "",
        "College of Policing What Works Centre for Crime Reduction",
        "https://www.college.police.uk",
        "",
        "Crime reduction",
    ),
    (
        "",
        "Foundations – What Works Centre for Children & Families",
        "https://foundations.org.uk",
        "",
        "Children and Families",
    ),
    (
        "",
        "What Works Centre for Local Economic Growth",
        "https://whatworksgrowth.org",
        "(hosted by LSE, Arup, Centre for Cities)",
        "Local economic growth",
    ),
    ("", "Centre for Ageing Better", "https://ageing-better.org.uk", "", "Improving quality of life for older people"),
    ("", "Centre for Homelessness Impact", "https://www.homelessnessimpact.org", "", "Homelessness"),
    ("", "Youth Futures Foundation", "https://youthfuturesfoundation.org", "", "Youth employment"),
    ("", "Wales Centre for Public Policy", "https://www.wcpp.org.uk", "", ""),
    ("Affiliate:", "Youth Endowment Fund", "https://youthendowmentfund.org.uk", "", "Youth offending"),
    (
        "Affiliate:",
        "Centre for Transforming Access and Student Outcomes in Higher Education (TASO)",
        "https://taso.org.uk",
        "",
        "Higher Education",
    ),
    ("Affiliate:", "Money and Pensions Service", "https://maps.org.uk", "", "Financial wellbeing"),
]

RESTORED_LINKS = {
    "What Works Network Strategy": "https://www.gov.uk/government/publications/the-what-works-network-strategy",
    "What Works Network: Five Years On": "https://www.gov.uk/government/publications/the-what-works-network-five-years-on",
    "Economic and Social Research Council": "https://www.ukri.org/councils/esrc/",
    "National Lottery Community Fund": "https://www.tnlcommunityfund.org.uk",
    "Evaluation Task Force": "https://www.gov.uk/government/organisations/evaluation-task-force",
}


def today():
    return timezone.localdate()


def test_site_root_redirects_to_the_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == PAGE_URL


def test_heading_summary_and_sections_in_the_seed_order(demo, get_page):
    soup = get_page()
    assert text_of(soup.find("h1")) == "What Works Network"
    assert soup.title.string.startswith("What Works Network")
    assert "uses evidence to improve the design and delivery of public services" in text_of(
        soup.select_one(".govuk-body-l")
    )
    headings = [text_of(h) for h in soup.select("main h2")]
    assert headings == [
        "Contents",
        "Introduction",
        "The What Works Network",
        "More information on What Works",
        "Updates to this page",
        "Related content",  # the column beside the text, after it in reading order
    ]


def test_restored_link_texts_are_real_links(demo, get_page):
    soup = get_page()
    links = {text_of(a): a["href"] for a in soup.select("main a")}
    for text, href in RESTORED_LINKS.items():
        assert links.get(text) == href, text
    assert links["Twitter"].startswith("https://")
    assert any(href.startswith("mailto:") for href in links.values())


def test_capture_damage_is_repaired(demo, get_page):
    text = text_of(get_page().find("main"))
    assert "more than £250 billion of public spending" in text
    assert "What Works for Children’s Social Care have merged to become Foundations" in text
    assert (
        "including the Economic and Social Research Council, the Dormant Assets Scheme, and the National Lottery Community Fund."
        in text
    )
    for mojibake in ("拢", "鈥", "听"):
        assert mojibake not in text


def test_page_text_matches_the_capture(demo, get_page):
    """Every line of prose in the capture, repaired as RESTORATION.md says, is on the page."""
    capture = SEED_DIR / "what-works-network.txt"
    if not capture.exists():
        skip_or_fail(f"The captured page is not at {capture}")
    repairs = {"拢": "£", "鈥檚": "’s", "听": ""}
    text = text_of(get_page().find("main"))
    lines = capture.read_text(encoding="utf-8").splitlines()
    prose = [
        line.removeprefix("- ")
        for line in lines
        if line.strip() not in ("", "-")
        and "|" not in line
        and not line.startswith("Follow us")
        and "the , " not in line
    ]
    assert len(prose) > 30
    for line in prose:
        for damaged, repaired in repairs.items():
            line = line.replace(damaged, repaired)
        assert line.strip() in text, line


def test_table_lists_current_members_in_the_seed_order(demo, get_page):
    soup = get_page()
    table = soup.select_one("main table.govuk-table")
    assert [text_of(th) for th in table.select("thead th")] == ["What Works Centre", "Policy area"]
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    assert table.caption is not None and text_of(table.caption)
    assert table_rows(soup) == EXPECTED_TABLE


def test_table_sits_between_its_introduction_and_the_funding_sentence(demo, get_page):
    soup = get_page()
    # The table sits in its scrolling container, which is the block between the paragraphs.
    table = soup.select_one("main table").find_parent(class_="app-table-container")
    assert text_of(table.find_previous_sibling("p")) == "The current What Works Centres are:"
    assert text_of(table.find_next_sibling("p")).startswith("The Centres are funded")


def test_network_sentence_counts_current_members(demo, get_page):
    assert network_sentence(get_page()) == "9 independent What Works Centres and 3 affiliate members"


def test_ending_an_affiliate_membership_removes_it_from_table_and_count(demo, get_page):
    membership = Membership.objects.get(centre__slug="taso", end_date=None)
    membership.end_date = today()
    membership.save()
    soup = get_page()
    assert network_sentence(soup) == "9 independent What Works Centres and 2 affiliate members"
    assert "Centre for Transforming Access and Student Outcomes in Higher Education (TASO)" not in [
        r[1] for r in table_rows(soup)
    ]
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_one_affiliate_is_counted_in_the_singular(demo, get_page):
    Membership.objects.filter(kind=Kind.AFFILIATE, end_date=None).exclude(centre__slug="taso").update(end_date=today())
    assert network_sentence(get_page()) == "9 independent What Works Centres and 1 affiliate member"


def test_associates_are_counted_and_listed(demo, get_page):
    for number in (1, 2):
        centre = Centre.objects.create(
            name=f"Associate {number}", slug=f"associate-{number}", website=f"https://a{number}.example"
        )
        Membership.objects.create(centre=centre, kind=Kind.ASSOCIATE, start_date=today(), position=number)
    soup = get_page()
    assert network_sentence(soup) == "9 independent What Works Centres, 3 affiliate members and 2 associate members"
    assert table_rows(soup)[-2:] == [
        ("Associate:", "Associate 1", "https://a1.example", "", ""),
        ("Associate:", "Associate 2", "https://a2.example", "", ""),
    ]


def test_future_and_ended_memberships_are_neither_listed_nor_counted(demo, get_page):
    tomorrow = today() + datetime.timedelta(days=1)
    future = Centre.objects.create(name="Centre of the Future", slug="future", website="https://future.example")
    Membership.objects.create(centre=future, kind=Kind.WHAT_WORKS_CENTRE, start_date=tomorrow)
    soup = get_page()
    names = [row[1] for row in table_rows(soup)]
    assert "Centre of the Future" not in names
    assert "Early Intervention Foundation" not in names  # ended in the demo content
    assert "What Works Centre for Wellbeing" not in names
    assert network_sentence(soup) == "9 independent What Works Centres and 3 affiliate members"


def test_table_order_follows_positions_within_each_kind(demo, get_page):
    Membership.objects.filter(centre__slug="nice", end_date=None).update(position=99)
    assert [row[1] for row in table_rows(get_page())][8] == "National Institute for Health and Care Excellence (NICE)"


def test_staff_wording_around_the_counts_is_theirs(demo, get_page):
    section = Section.objects.get(heading="The What Works Network")
    section.body = (
        "Today {what_works_centres} work with {affiliate_members} and {associate_members}.\n\n{centres_table}"
    )
    section.save()
    soup = get_page()
    assert "Today 9 independent What Works Centres work with 3 affiliate members and 0 associate members." in text_of(
        soup.find("main")
    )
    assert len(table_rows(soup)) == 12


def test_staff_text_is_never_run_as_a_template(demo, get_page, client):
    section = Section.objects.get(heading="Introduction")
    section.body = "{{ page.title }} {% now 'Y' %} {unknown_thing} <script>alert(1)</script>"
    section.save()
    soup = get_page()
    paragraph = soup.find(id="introduction").find_next_sibling("p")
    assert text_of(paragraph) == "{{ page.title }} {% now 'Y' %} {unknown_thing}"
    assert paragraph.find("script") is None


def test_metadata_gives_first_published_and_last_updated(demo, get_page):
    metadata = text_of(get_page().select_one(".app-metadata"))
    assert "From: Evaluation Task Force" in metadata
    assert "Published 4 March 2013" in metadata
    assert "Last updated 19 July 2024" in metadata
    assert "See all updates" in metadata


def test_see_all_updates_links_to_the_history(demo, get_page):
    soup = get_page()
    link = soup.find("a", string=re.compile("See all updates"))
    assert soup.find(id=link["href"].removeprefix("#")) is not None


def test_updates_are_listed_newest_first_with_gov_uk_dates(demo, get_page):
    soup = get_page()
    items = soup.select("#full-history li")
    assert len(items) == 19
    first, last = text_of(items[0]), text_of(items[-1])
    assert first == "19 July 2024 We updated information on the page."
    assert last == "4 March 2013 First published."
    strategy = [text_of(item) for item in items if "Strategy was published" in text_of(item)]
    assert strategy == ["29 November 2023 The What Works Network Strategy was published in November 2023."]
    dates = [item.find("time")["datetime"] for item in items]
    assert dates == sorted(dates, reverse=True)


def test_a_new_update_moves_last_updated(demo, get_page):
    page = Page.objects.get(slug="what-works-network")
    PageUpdate.objects.create(page=page, date=datetime.date(2026, 1, 2), note="Added a centre.")
    soup = get_page()
    assert "Last updated 2 January 2026" in text_of(soup.select_one(".app-metadata"))
    assert text_of(soup.select("#full-history li")[0]) == "2 January 2026 Added a centre."


def test_a_policy_area_rename_shows_at_once(demo, get_page):
    PolicyArea.objects.filter(name="Homelessness").update(name="Ending homelessness")
    assert (
        "",
        "Centre for Homelessness Impact",
        "https://www.homelessnessimpact.org",
        "",
        "Ending homelessness",
    ) in table_rows(get_page())


@pytest.mark.parametrize("edge, expected", [(0, 11), (1, 12)])
def test_a_membership_ending_today_is_over(demo, get_page, edge, expected):
    Membership.objects.filter(centre__slug="taso", end_date=None).update(
        end_date=today() + datetime.timedelta(days=edge)
    )
    assert len(table_rows(get_page())) == expected
