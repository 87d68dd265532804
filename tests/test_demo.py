"""The demo content: one command loads the page as published, and loading it again changes nothing.

Each test here loads it itself (or not at all), rather than using the `demo` fixture: loading is what
these tests are about, and some need an empty database.
"""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from centres.models import Centre, Kind, Membership, PolicyArea
from network.models import HelpPage, Page, Section
from updates.models import PageUpdate

MODELS = [Page, Section, PolicyArea, Centre, Membership, PageUpdate, HelpPage]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loading_twice_leaves_one_copy_of_everything(db):
    call_command("loaddata", "demo", verbosity=0)
    once = counts()
    call_command("loaddata", "demo", verbosity=0)
    assert counts() == once
    fixture = json.loads((Path(__file__).parent.parent / "network" / "fixtures" / "demo.json").read_text())
    assert sum(once.values()) == len(fixture)


@pytest.fixture
def loaded(db):
    call_command("loaddata", "demo", verbosity=0)


def test_demo_reproduces_the_network(loaded):
    current = Membership.objects.current()
    assert current.filter(kind=Kind.WHAT_WORKS_CENTRE).count() == 9
    assert current.filter(kind=Kind.AFFILIATE).count() == 3
    assert Page.objects.get().slug == "what-works-network"
    assert PageUpdate.objects.count() == 19


def test_dates_known_from_the_public_record(loaded):
    notes = {update.note: update.date for update in PageUpdate.objects.all()}
    assert notes["First published."] == datetime.date(2013, 3, 4)
    assert notes["The What Works Network Strategy was published in November 2023."] == datetime.date(2023, 11, 29)
    youth_futures = next(
        date for note, date in notes.items() if note.startswith("Youth Futures Foundation has now been promoted")
    )
    assert youth_futures > datetime.date(2022, 6, 15)
    halpern = next(date for note, date in notes.items() if note.startswith("On 31 October 2022"))
    assert halpern > datetime.date(2022, 10, 31)


def test_former_members_are_ended_memberships(loaded):
    ended = {m.centre.name: m for m in Membership.objects.filter(end_date__isnull=False).select_related("centre")}
    assert ended["What Works Centre for Wellbeing"].end_date == datetime.date(2024, 4, 30)
    assert "Early Intervention Foundation" in ended
    assert "What Works for Children’s Social Care" in ended
    assert ended["Youth Futures Foundation"].kind == Kind.AFFILIATE
    assert ended["Wales Centre for Public Policy"].kind == Kind.ASSOCIATE
    assert any(
        m.kind == Kind.ASSOCIATE and not m.centre.memberships.filter(end_date=None).exists() for m in ended.values()
    )


def test_load_demo_fills_an_empty_database(db):
    call_command("load_demo", "--if-empty", verbosity=0)
    assert PageUpdate.objects.count() == 19


def test_load_demo_leaves_existing_content_alone(db, capsys):
    Centre.objects.create(name="Our own centre", slug="own", website="https://own.example")
    call_command("load_demo", "--if-empty")
    assert counts() == {
        "Page": 0,
        "Section": 0,
        "PolicyArea": 0,
        "Centre": 1,
        "Membership": 0,
        "PageUpdate": 0,
        "HelpPage": 0,
    }
    assert "already has content" in capsys.readouterr().out
