"""Saving in the admin asks "Is this a major change?"; a major change publishes a dated change note."""

import datetime

import pytest

from centres.models import Centre, Membership, PolicyArea
from network.models import Page, Section
from tests.helpers import add_url, change_url, field_errors, form_values, parse, text_of
from updates.models import PageUpdate

TODAY = datetime.date(2030, 1, 15)  # the day of the `editor` fixture


def metadata(get_page):
    return text_of(get_page().select_one(".app-metadata"))


def save(client, obj, answer, note="", **changes):
    url = change_url(obj)
    values = form_values(client.get(url))
    values.update(changes, major_change=answer, change_note=note)
    return client.post(url, values)


def test_the_question_is_asked_on_each_form_that_changes_the_page(editor):
    urls = [
        change_url(Page.objects.get()),
        change_url(Section.objects.first()),
        change_url(Centre.objects.get(slug="taso")),
        change_url(Membership.objects.first()),
        change_url(PolicyArea.objects.first()),
        add_url(Centre),
        add_url(Membership),
        add_url(PolicyArea),
    ]
    for url in urls:
        form = parse(editor.get(url)).select_one("#content-main form")
        labels = [text_of(label) for label in form.select("#id_major_change label")]
        assert labels[0].startswith("Yes"), url
        assert labels[1].startswith("No"), url
        assert form.find("textarea", attrs={"name": "change_note"}) is not None, url


def test_a_major_change_to_a_centre_publishes_a_dated_note(editor, get_page):
    centre = Centre.objects.get(slug="taso")
    note = "TASO is now hosted by a new university."
    response = save(editor, centre, "yes", note, text_after_link="(hosted by a new university)")
    assert response.status_code == 302, field_errors(response)
    assert "Last updated 15 January 2030" in metadata(get_page)
    assert text_of(get_page().select("#full-history li")[0]) == f"15 January 2030 {note}"
    assert PageUpdate.objects.filter(date=TODAY, note=note).count() == 1


def test_a_minor_change_publishes_nothing(editor, get_page):
    centre = Centre.objects.get(slug="taso")
    response = save(editor, centre, "no", text_after_link="(hosted by a new university)")
    assert response.status_code == 302, field_errors(response)
    assert PageUpdate.objects.count() == 19
    assert "Last updated 19 July 2024" in metadata(get_page)
    assert "(hosted by a new university)" in text_of(get_page().find("main"))


def test_a_minor_change_ignores_a_note_typed_by_mistake(editor):
    response = save(editor, Centre.objects.get(slug="taso"), "no", "A note nobody asked for.")
    assert response.status_code == 302, field_errors(response)
    assert not PageUpdate.objects.filter(note="A note nobody asked for.").exists()


@pytest.mark.parametrize("note", ["", "   "])
def test_a_major_change_without_a_note_is_refused_on_the_note(editor, note):
    centre = Centre.objects.get(slug="taso")
    response = save(editor, centre, "yes", note, text_after_link="(changed)")
    assert field_errors(response) == {"change_note": ["Enter a change note: a major change is published with one."]}
    centre.refresh_from_db()
    assert centre.text_after_link == ""
    assert PageUpdate.objects.count() == 19


def test_an_unanswered_question_is_refused(editor):
    response = save(editor, Centre.objects.get(slug="taso"), "")
    assert field_errors(response) == {"major_change": ["Select yes if this is a major change."]}


def test_a_major_change_to_the_page_text_is_noted_on_that_page(editor, get_page):
    page = Page.objects.get()
    values = form_values(editor.get(change_url(page)))
    body_field = next(key for key in values if key.endswith("-heading") and values[key] == "Introduction")
    values[body_field.replace("-heading", "-body")] = "A rewritten introduction."
    values.update(major_change="yes", change_note="Rewrote the introduction.")
    response = editor.post(change_url(page), values)
    assert response.status_code == 302, field_errors(response)
    assert page.updates.filter(date=TODAY, note="Rewrote the introduction.").exists()
    assert "Last updated 15 January 2030" in metadata(get_page)


def test_a_major_change_to_one_section_is_noted_on_its_page(editor):
    section = Section.objects.get(heading="More information on What Works")
    response = save(editor, section, "yes", "Changed the contact address.", body="Write to us.")
    assert response.status_code == 302, field_errors(response)
    assert section.page.updates.filter(date=TODAY, note="Changed the contact address.").exists()


def test_a_major_change_to_a_membership_is_noted_on_the_page_showing_the_network(editor, get_page):
    membership = Membership.objects.get(centre__slug="money-and-pensions-service")
    note = "Money and Pensions Service left the network."
    response = save(editor, membership, "yes", note, end_date=TODAY.isoformat())
    assert response.status_code == 302, field_errors(response)
    soup = get_page()
    assert text_of(soup.select("#full-history li")[0]) == f"15 January 2030 {note}"
    assert "Money and Pensions Service" not in [text_of(a) for a in soup.select("table a")]


def test_a_page_that_does_not_show_the_network_gets_no_note_for_a_membership(editor):
    other = Page.objects.create(
        title="Another page", slug="another", summary="S", organisation_name="O", organisation_url="https://o.example"
    )
    Section.objects.create(page=other, heading="About", body="Nothing about the network's members.")
    response = save(editor, Centre.objects.get(slug="taso"), "yes", "A change.", text_after_link="(x)")
    assert response.status_code == 302
    assert not other.updates.exists()
    assert Page.objects.get(slug="what-works-network").updates.filter(note="A change.").exists()


def test_adding_a_centre_as_a_major_change(editor, get_page):
    values = form_values(editor.get(add_url(Centre)))
    values.update(
        {
            "name": "Centre for Evidence in Sport",
            "slug": "evidence-in-sport",
            "website": "https://sport.example.org",
            "memberships-0-kind": "affiliate",
            "memberships-0-start_date": TODAY.isoformat(),
            "memberships-0-position": "4",
            "major_change": "yes",
            "change_note": "Centre for Evidence in Sport joined as an affiliate member.",
        }
    )
    response = editor.post(add_url(Centre), values)
    assert response.status_code == 302, field_errors(response)
    assert text_of(get_page().select("#full-history li")[0]) == (
        "15 January 2030 Centre for Evidence in Sport joined as an affiliate member."
    )


def test_staff_can_delete_a_published_update(editor, get_page):
    update = PageUpdate.objects.get(note="Updated links")
    response = editor.post(f"/admin/updates/pageupdate/{update.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    items = [text_of(li) for li in get_page().select("#full-history li")]
    assert len(items) == 18
    assert not any(item.endswith("Updated links") for item in items)


def test_a_major_rename_of_a_policy_area_publishes_a_note(editor, get_page):
    area = PolicyArea.objects.get(name="Homelessness")
    response = save(editor, area, "yes", "Renamed a policy area.", name="Ending homelessness")
    assert response.status_code == 302, field_errors(response)
    soup = get_page()
    assert text_of(soup.select("#full-history li")[0]).endswith("Renamed a policy area.")
    assert "Ending homelessness" in text_of(soup.select_one("main table"))
