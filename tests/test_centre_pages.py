"""A page for each centre and each policy area, reached from the main table."""

from centres.models import Centre, Kind, Membership
from tests.helpers import PAGE_URL, text_of


def summary(soup):
    return {
        text_of(row.select_one(".govuk-summary-list__key")): text_of(row.select_one(".govuk-summary-list__value"))
        for row in soup.select(".govuk-summary-list__row")
    }


def history(soup):
    return [text_of(li) for li in soup.select("#main-content ul li")]


def test_a_promoted_centre(demo, get_page):
    soup = get_page("/centres/youth-futures-foundation")
    assert text_of(soup.find("h1")) == "Youth Futures Foundation"
    assert soup.title.string.startswith("Youth Futures Foundation")
    assert summary(soup) == {
        "Website": "https://youthfuturesfoundation.org",
        "Membership": "What Works Centre",
        "Policy area": "Youth employment",
    }
    assert soup.select_one(".govuk-summary-list a")["href"] == "https://youthfuturesfoundation.org"
    assert history(soup) == ["Affiliate from 1 October 2019 to 14 June 2022", "What Works Centre since 15 June 2022"]


def test_a_centre_that_left(demo, get_page):
    soup = get_page("/centres/what-works-centre-for-wellbeing")
    assert summary(soup)["Membership"] == "Not a current member"
    assert summary(soup)["Policy area"] == "None"
    assert history(soup) == [
        "What Works Centre from 1 October 2014 to 29 April 2024",
        "Left the network on 30 April 2024",
    ]


def test_a_centre_that_left_and_came_back(demo, get_page):
    centre = Centre.objects.get(slug="what-works-scotland")
    Membership.objects.create(centre=centre, kind=Kind.AFFILIATE, start_date="2021-01-01")
    assert history(get_page("/centres/what-works-scotland")) == [
        "Associate from 1 June 2014 to 1 September 2019",
        "Left the network on 2 September 2019",
        "Affiliate since 1 January 2021",
    ]


def test_a_policy_area_lists_its_centres_past_and_present(demo, get_page):
    soup = get_page("/policy-areas/youth-employment")
    assert text_of(soup.find("h1")) == "Youth employment"
    assert [text_of(h2) for h2 in soup.select("main h2")] == ["Current members"]
    link = soup.select_one("main table tbody th a")
    assert (text_of(link), link["href"]) == ("Youth Futures Foundation", "/centres/youth-futures-foundation")

    soup = get_page("/policy-areas/wellbeing")
    assert [text_of(h2) for h2 in soup.select("main h2")] == ["Former members"]
    assert "What Works Centre from 1 October 2014 to 29 April 2024" in text_of(soup.select_one("main table"))


def test_the_main_table_offers_each_centre_page_by_name(demo, get_page, client):
    rows = get_page(PAGE_URL).select("table.govuk-table tbody tr")
    assert len(rows) == 12
    for row in rows:
        website, centre_page = row.find("td").find_all("a")
        assert website["href"].startswith("https://")
        # Out of context (a screen reader's list of links) the link names its centre.
        assert text_of(centre_page) == f"Membership history of {text_of(website)}"
        assert centre_page.select_one(".govuk-visually-hidden") is not None
        assert client.get(centre_page["href"]).status_code == 200
