"""Order without arithmetic: new rows go last, "Move up" and "Move down" buttons, no two sections in one place."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client

from centres.models import Centre, Kind, Membership
from network.models import Page, Section
from tests.helpers import (
    PAGE_URL,
    add_url,
    admin_messages,
    change_url,
    field_errors,
    form_values,
    parse,
    post_change_form,
    signed_in_superuser,
    text_of,
)

SECTIONS_ORDER = "/admin/network/section/order/{}/"
TABLE_ORDER = "/admin/centres/membership/order/"


def headings(client):
    """The page's section headings, in the order the page shows them."""
    sections = set(Section.objects.values_list("heading", flat=True))
    return [text_of(h2) for h2 in parse(client.get(PAGE_URL)).select("main h2") if text_of(h2) in sections]


def table_names(client):
    return [text_of(row.find("a")) for row in parse(client.get(PAGE_URL)).select("main table tbody tr")]


def order_buttons(client, url):
    soup = parse(client.get(url))
    return {text_of(button) for button in soup.select("#content-main form button")}


def test_the_demo_has_one_section_in_each_place(demo):
    positions = list(Section.objects.values_list("page", "position"))
    assert len(positions) == len(set(positions))


def test_two_sections_in_one_place_are_refused_on_the_position_field(staff):
    section = Section.objects.get(heading="Introduction")
    taken = Section.objects.exclude(pk=section.pk).first().position
    errors = field_errors(post_change_form(staff, section, position=str(taken), major_change="no"))
    assert list(errors) == ["position"]
    assert errors["position"][0].startswith("This page already has a section at this position.")


def test_the_database_refuses_two_sections_in_one_place(demo):
    page = Page.objects.get()
    with pytest.raises(IntegrityError):
        Section.objects.create(page=page, heading="Another", body="Text.", position=1)


def test_a_new_section_goes_last(staff):
    new_section = {"sections-TOTAL_FORMS": "4", "sections-3-heading": "Contact", "sections-3-body": "Write to us."}
    response = post_change_form(staff, Page.objects.get(), major_change="no", **new_section)
    assert response.status_code == 302, field_errors(response)
    assert headings(staff)[-1] == "Contact"
    assert Section.objects.get(heading="Contact").position == 4


def test_a_new_membership_goes_to_the_end_of_its_kind(staff):
    centre = Centre.objects.get(slug="what-works-centre-for-wellbeing")
    values = form_values(staff.get(add_url(Membership)))
    assert values["position"] == ""
    values.update(centre=str(centre.pk), kind=Kind.AFFILIATE, start_date="2025-01-01", major_change="no")
    response = staff.post(add_url(Membership), values)
    assert response.status_code == 302, field_errors(response)
    assert table_names(staff)[-1] == "What Works Centre for Wellbeing"
    assert centre.memberships.get(end_date=None).position == 4


def test_sections_move_up_and_down(staff):
    page = Page.objects.get()
    url = SECTIONS_ORDER.format(page.pk)
    before = headings(staff)
    assert "Order sections" in text_of(parse(staff.get(change_url(page))).select_one(".object-tools"))
    # The first has no "Move up" and the last no "Move down".
    assert order_buttons(staff, url) == {
        f"Move down {before[0]}",
        f"Move up {before[1]}",
        f"Move down {before[1]}",
        f"Move up {before[2]}",
    }
    second = Section.objects.get(heading=before[1])
    response = staff.post(url, {"item": second.pk, "direction": "up"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#item-{second.pk}")
    assert admin_messages(response) == [f"Moved “{before[1]}” up."]
    assert headings(staff) == [before[1], before[0], before[2]]
    staff.post(url, {"item": second.pk, "direction": "down"})
    staff.post(url, {"item": second.pk, "direction": "down"})
    assert headings(staff) == [before[0], before[2], before[1]]
    # Already last: nothing moves.
    staff.post(url, {"item": second.pk, "direction": "down"})
    assert headings(staff) == [before[0], before[2], before[1]]
    assert second.history.latest().history_change_reason == "Minor change: moved down"


def test_memberships_move_within_their_kind(staff):
    names = table_names(staff)
    assert "Order the centres table" in text_of(
        parse(staff.get("/admin/centres/membership/")).select_one(".object-tools")
    )
    soup = parse(staff.get(TABLE_ORDER))
    assert [text_of(h2) for h2 in soup.select("#content-main h2")] == [
        "Independent What Works Centres",
        "Affiliate members",
        "Associate members",
    ]
    taso = Membership.objects.get(centre__slug="taso")
    staff.post(TABLE_ORDER, {"item": taso.pk, "direction": "up"})
    moved = table_names(staff)
    index = names.index("Centre for Transforming Access and Student Outcomes in Higher Education (TASO)")
    assert moved[index - 1] == names[index]
    assert moved[index] == names[index - 1]
    assert [name for name in moved if name not in names[index - 1 : index + 1]] == [
        name for name in names if name not in names[index - 1 : index + 1]
    ]


def test_a_move_needs_the_forms_security_token(demo, django_user_model):
    client = Client(enforce_csrf_checks=True)
    signed_in_superuser(client, django_user_model)
    page = Page.objects.get()
    second = page.sections.order_by("position")[1]
    url = SECTIONS_ORDER.format(page.pk)
    assert client.post(url, {"item": second.pk, "direction": "up"}).status_code == 403
    token = parse(client.get(url)).find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    assert client.post(url, {"item": second.pk, "direction": "up", "csrfmiddlewaretoken": token}).status_code == 302
    assert page.sections.order_by("position").first() == second


@pytest.mark.parametrize("data", [{}, {"item": "x", "direction": "up"}, {"item": "1", "direction": "sideways"}])
def test_a_malformed_move_is_refused(staff, data):
    assert staff.post(SECTIONS_ORDER.format(Page.objects.get().pk), data).status_code == 400


def test_a_membership_cannot_be_moved_from_the_sections_page(staff):
    membership = Membership.objects.get(centre__slug="taso")
    page = Page.objects.get()
    response = staff.post(SECTIONS_ORDER.format(page.pk), {"item": membership.pk + 1000, "direction": "up"})
    assert response.status_code == 400


def test_an_editor_without_change_permission_cannot_move(demo, client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="a long passphrase", is_staff=True)
    client.force_login(user)
    assert client.get(TABLE_ORDER).status_code == 403


def test_loading_the_demo_again_keeps_its_order(demo):
    call_command("loaddata", "demo", verbosity=0)
    assert list(Section.objects.order_by("position").values_list("position", flat=True)) == [1, 2, 3]
