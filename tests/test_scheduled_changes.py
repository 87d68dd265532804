"""Memberships dated in the future take effect on their dates, with no one touching anything."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from centres.models import Centre, Kind, Membership
from tests.helpers import PAGE_URL, network_sentence, table_rows, text_of

START, END = datetime.date(2030, 6, 1), datetime.date(2031, 6, 1)
DAY = datetime.timedelta(days=1)


def travel_to(time_machine, day):
    time_machine.move_to(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=ZoneInfo("Europe/London")), tick=False
    )


@pytest.fixture
def scheduled(demo):
    """An affiliate membership from START up to (not including) END, saved once, in advance."""
    centre = Centre.objects.create(name="Centre for Evidence in Sport", slug="sport", website="https://sport.example")
    return Membership.objects.create(centre=centre, kind=Kind.AFFILIATE, start_date=START, end_date=END, position=9)


@pytest.mark.parametrize(
    "today, member",
    [
        (START - DAY, False),  # starts tomorrow
        (START, True),  # starts today
        (END - DAY, True),  # ends tomorrow
        (END, False),  # ends today: the end date is the first day it no longer applies
        (END + DAY, False),  # ended yesterday
    ],
    ids=["starts tomorrow", "starts today", "ends tomorrow", "ends today", "ended yesterday"],
)
def test_every_page_agrees_with_the_date(scheduled, get_page, client, time_machine, today, member):
    travel_to(time_machine, today)
    soup = get_page()
    names = [row[1] for row in table_rows(soup)]
    assert ("Centre for Evidence in Sport" in names) is member
    affiliates = 4 if member else 3
    assert network_sentence(soup) == f"9 independent What Works Centres and {affiliates} affiliate members"

    centre_page = get_page("/centres/sport")
    if member:
        membership = "Affiliate"
    elif today < START:
        membership = "Joins the network on 1 June 2030"
    else:
        membership = "Not a current member"
    assert f"Membership {membership} Policy area" in text_of(centre_page)

    history = get_page(f"{PAGE_URL}/history")
    this_year = history.select_one("table tbody tr:last-child")
    assert [text_of(cell) for cell in this_year.find_all(["th", "td"])] == [str(today.year), "9", str(affiliates), "0"]
    changes = text_of(history.find("ol"))
    assert ("Centre for Evidence in Sport joined as an affiliate member." in changes) is (today >= START)
    assert ("Centre for Evidence in Sport left the network." in changes) is (today >= END)

    content = client.get(f"/api/content{PAGE_URL}").json()
    assert ("Centre for Evidence in Sport" in content["details"]["body"]) is member


def test_the_centre_page_tells_its_history_as_of_the_day(scheduled, get_page, time_machine):
    history = "#main-content ul li"
    travel_to(time_machine, START - DAY)
    assert [text_of(li) for li in get_page("/centres/sport").select(history)] == [
        "Affiliate from 1 June 2030 to 31 May 2031",
        "Leaves the network on 1 June 2031",
    ]
    travel_to(time_machine, END)
    assert [text_of(li) for li in get_page("/centres/sport").select(history)] == [
        "Affiliate from 1 June 2030 to 31 May 2031",
        "Left the network on 1 June 2031",
    ]
