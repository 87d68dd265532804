"""The network over time: members each year as a chart and a table, and its changes by date."""

import pytest

from tests.helpers import PAGE_URL, text_of

HISTORY_URL = f"{PAGE_URL}/history"


def figures(soup):
    table = soup.select_one("main table")
    return {text_of(row.th): [int(text_of(td)) for td in row.find_all("td")] for row in table.select("tbody tr")}


def test_one_heading_and_a_title(demo, get_page):
    soup = get_page(HISTORY_URL)
    assert [text_of(h) for h in soup.find_all("h1")] == ["The What Works Network over time"]
    assert soup.title.string.startswith("The What Works Network over time")


def test_the_page_says_what_a_year_counts(demo, get_page):
    assert "A year’s figures count the members on 31 December of that year." in text_of(get_page(HISTORY_URL))


def test_the_table_counts_members_at_the_end_of_each_year(demo, get_page):
    rows = figures(get_page(HISTORY_URL))
    assert list(rows)[0] == "2013"
    assert rows["2013"] == [5, 0, 0]  # the first centres, and What Works Growth from October
    assert rows["2014"] == [6, 0, 1]  # Wellbeing joined; What Works Scotland as an associate
    assert rows["2019"] == [9, 1, 1]  # Scotland left in September; Youth Futures joined as an affiliate
    assert rows["2022"] == [10, 3, 1]  # Youth Futures promoted
    assert rows["2024"] == [9, 3, 0]  # mergers into Foundations, Wellbeing closed, Wales promoted


def test_the_chart_is_an_image_with_a_text_alternative(demo, get_page):
    soup = get_page(HISTORY_URL)
    chart = soup.select_one("main svg.app-chart")
    assert chart["role"] == "img"
    labelled_by = [soup.find(id=id_) for id_ in chart["aria-labelledby"].split()]
    assert [element.name for element in labelled_by] == ["title", "desc"]
    assert "In 2013 the network had 5 What Works Centres, 0 affiliates and 0 associates" in text_of(labelled_by[1])
    assert chart.find("script") is None


def test_the_chart_draws_the_tables_figures(demo, get_page):
    soup = get_page(HISTORY_URL)
    rows = figures(soup)
    chart = soup.select_one("main svg.app-chart")
    bars = chart.select("rect.app-chart__bar")
    nonzero = sum(1 for counts in rows.values() for count in counts if count)
    assert len(bars) == nonzero
    # Every member is drawn the same height, so 2022's 14 members stand 14/5 as tall as 2013's 5.
    heights = {}
    for rect in bars:
        heights.setdefault(rect["x"], 0)
        heights[rect["x"]] += float(rect["height"])
    first, *_ = heights.values()
    assert max(heights.values()) / first == pytest.approx(14 / 5, rel=0.01)


def test_joins_changes_and_departures_by_date(demo, get_page):
    items = [text_of(li) for li in get_page(HISTORY_URL).select("main ol li")]
    assert items[0].startswith("4 March 2013")
    assert "15 June 2022 Youth Futures Foundation became a What Works Centre." in items
    assert "2 September 2019 What Works Scotland left the network." in items
    assert "1 March 2024 Wales Centre for Public Policy became a What Works Centre." in items
    assert "30 April 2024 What Works Centre for Wellbeing left the network." in items
    assert (
        "1 April 2024 Foundations – What Works Centre for Children & Families joined as a What Works Centre." in items
    )
    assert items.index("2 September 2019 What Works Scotland left the network.") < items.index(
        "1 March 2024 Wales Centre for Public Policy became a What Works Centre."
    )
