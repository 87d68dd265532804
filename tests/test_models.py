"""The membership rules, refused by the database where a constraint can express them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from centres.models import Centre, Kind, Membership
from network.models import Page, Section

START = datetime.date(2020, 1, 1)


@pytest.fixture
def centre(db):
    return Centre.objects.create(name="Evidence Centre", slug="evidence-centre", website="https://evidence.example")


def membership(centre, start, end=None, kind=Kind.WHAT_WORKS_CENTRE):
    return Membership(centre=centre, kind=kind, start_date=start, end_date=end)


@pytest.mark.parametrize("days", [0, -1])
def test_database_refuses_an_end_on_or_before_the_start(centre, days):
    with pytest.raises(IntegrityError), transaction.atomic():
        membership(centre, START, START + datetime.timedelta(days=days)).save()


def test_validation_puts_an_early_end_on_the_end_date_field(centre):
    with pytest.raises(ValidationError) as error:
        membership(centre, START, START - datetime.timedelta(days=1)).full_clean()
    assert error.value.message_dict == {"end_date": ["The end date must be after the start date."]}


PAGE_FIELDS = {"summary": "S", "organisation_name": "O", "organisation_url": "https://o.example"}


def overlap_cases():
    d = datetime.date
    return [
        ((d(2020, 1, 1), None), (d(2021, 1, 1), None)),  # two open-ended
        ((d(2020, 1, 1), d(2022, 1, 1)), (d(2021, 6, 1), d(2023, 1, 1))),  # partial
        ((d(2020, 1, 1), d(2022, 1, 1)), (d(2020, 6, 1), d(2020, 7, 1))),  # inside
        ((d(2020, 1, 1), d(2022, 1, 1)), (d(2021, 12, 31), None)),  # one shared day
    ]


@pytest.mark.parametrize("first, second", overlap_cases())
def test_postgresql_refuses_overlapping_memberships_of_one_centre(centre, first, second):
    if connection.vendor != "postgresql":
        pytest.skip("Only PostgreSQL can express 'no overlap' as a constraint; on SQLite the admin forms enforce it")
    membership(centre, *first).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        membership(centre, *second, kind=Kind.AFFILIATE).save()
        # The constraint is deferred to the end of the transaction; check it now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_overlap_constraint_exists_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("The exclusion constraint is PostgreSQL's")
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Membership._meta.db_table)
    assert "membership_no_overlap_per_centre" in constraints


def test_memberships_may_follow_on_the_same_day(centre):
    membership(centre, START, datetime.date(2022, 6, 15), kind=Kind.AFFILIATE).save()
    membership(centre, datetime.date(2022, 6, 15)).save()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert centre.memberships.count() == 2


def test_different_centres_may_overlap(centre):
    other = Centre.objects.create(name="Other", slug="other", website="https://other.example")
    membership(centre, START).save()
    membership(other, START).save()
    assert Membership.objects.filter(centre__in=[centre, other]).count() == 2


def test_an_unknown_placeholder_is_refused_on_the_body_field(db):
    page = Page.objects.create(slug="p", title="T", **PAGE_FIELDS)
    section = Section(page=page, heading="H", body="We have {centre_count} centres.")
    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert list(error.value.message_dict) == ["body"]
    assert "{centre_count}" in error.value.message_dict["body"][0]


def test_sections_of_one_page_have_different_headings(db):
    page = Page.objects.create(slug="p", title="T", **PAGE_FIELDS)
    Section.objects.create(page=page, heading="Introduction", body="One")
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(page=page, heading="Introduction", body="Two")


def test_the_centres_table_lists_kinds_in_order_then_by_position_then_by_name(centre):
    def member(name, kind, position):
        other = Centre.objects.create(name=name, slug=name.lower(), website=f"https://{name.lower()}.example")
        Membership.objects.create(centre=other, kind=kind, position=position, start_date=START)

    member("Beta", Kind.ASSOCIATE, 0)
    member("Alpha", Kind.AFFILIATE, 1)
    member("Zeta", Kind.AFFILIATE, 0)
    member("Aardvark", Kind.WHAT_WORKS_CENTRE, 5)
    Membership.objects.create(centre=centre, position=5, start_date=START)
    member("Yew", Kind.WHAT_WORKS_CENTRE, 2)
    table = Membership.objects.current(START).in_table_order()
    assert [membership.centre.name for membership in table] == [
        "Yew",
        "Aardvark",
        "Evidence Centre",
        "Zeta",
        "Alpha",
        "Beta",
    ]


def test_a_page_s_sections_are_fetched_without_joining_other_tables(db):
    page = Page.objects.create(slug="p", title="T", **PAGE_FIELDS)
    assert "JOIN" not in str(page.sections.all().query)
