"""Drafts at their edges: records a draft adds and the live site's keys, section order, deletions,
the admin's other screens inside a draft, two drafts of one record, and hostile input."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission

from centres.models import Centre, Kind, Membership, PolicyArea
from drafts.models import Draft
from network.models import ContentVersion, Page, Section
from network.roles import EDITOR
from tests.helpers import (
    DRAFTS,
    PAGE_URL,
    PUBLIC_URLS,
    add_url,
    admin_messages,
    change_url,
    draft_url,
    field_errors,
    form_values,
    parse,
    submit_and_publish,
    text_of,
)


def start_draft(client, name="Edge cases"):
    """Start a draft and work in it."""
    assert client.post(f"{DRAFTS}add/", {"name": name}).status_code == 302
    return Draft.objects.get(name=name)


def save(client, url, **changes):
    """Post a content form as it is shown (in the draft the client works in, if any)."""
    values = form_values(client.get(url))
    values.update(changes)
    response = client.post(url, values)
    assert response.status_code == 302, field_errors(response) or response.status_code
    return response


def publish(client, draft):
    """The draft's author submits it and a second person publishes it as a minor change; their messages."""
    reviewer, response = submit_and_publish(client, draft, answer="no", note="")
    assert response.status_code == 302
    return admin_messages(reviewer.get(response["Location"]))


def public_snapshot(client):
    return {url: (response.status_code, response.content) for url in PUBLIC_URLS for response in [client.get(url)]}


def order_sections(client, section, direction):
    url = f"/admin/network/section/order/{section.page_id}/"
    response = client.post(url, {"item": section.pk, "direction": direction})
    assert response.status_code == 302, response.status_code


def headings(soup):
    return [text_of(heading) for heading in soup.select("main h2")]


def delete_url(obj):
    return f"{change_url(obj).removesuffix('change/')}delete/"


# --- Records a draft adds ---------------------------------------------------------------------------


def add_centre_with_a_membership(client):
    values = form_values(client.get(add_url(Centre)))
    values.update(
        {
            "name": "What Works for Housing",
            "slug": "what-works-for-housing",
            "website": "https://housing.example",
            "memberships-0-kind": Kind.AFFILIATE,
            "memberships-0-start_date": "2030-01-01",
            "_continue": "Save and continue editing",
        }
    )
    response = client.post(add_url(Centre), values)
    assert response.status_code == 302, field_errors(response)
    return response["Location"]


def test_a_centre_the_draft_adds_can_be_edited_again_at_its_address(editor, client):
    draft = start_draft(editor)
    centre_url = add_centre_with_a_membership(editor)
    for website in ["https://housing.example/one", "https://housing.example/two"]:
        response = editor.get(centre_url)
        assert response.status_code == 200
        save(editor, centre_url, website=website, **{"memberships-0-end_date": "2030-06-30"})
    assert form_values(editor.get(centre_url))["website"] == "https://housing.example/two"
    assert draft.changes.count() == 2
    assert not Centre.objects.filter(slug="what-works-for-housing").exists()
    publish(editor, draft)
    centre = Centre.objects.get(slug="what-works-for-housing")
    assert centre.website == "https://housing.example/two"
    assert [str(m.end_date) for m in centre.memberships.all()] == ["2030-06-30"]


@pytest.mark.parametrize("taken", [1, 2])
def test_records_the_draft_adds_keep_working_when_the_live_site_takes_their_keys(editor, client, taken):
    """SQLite gives a key a rolled-back transaction used to the next record; the test takes the keys
    itself so that it holds on every database."""
    draft = start_draft(editor)
    for name in ["Housing", "Transport"]:
        save(editor, add_url(PolicyArea), name=name, slug=name.lower())
    housing, transport = sorted(draft.changes.all(), key=lambda change: change.object_pk)
    membership = Membership.objects.filter(end_date=None).first()
    save(editor, change_url(membership), policy_area=str(transport.object_pk), corrects_mistake="on")
    # The live site adds areas with the keys the draft's records had.
    for change, name in [(housing, "Health"), (transport, "Justice")][:taken]:
        PolicyArea.objects.create(pk=change.object_pk, name=name, slug=name.lower())
    response = editor.get(draft_url(draft))
    assert response.status_code == 200
    assert editor.get("/admin/centres/policyarea/").status_code == 200
    publish(editor, draft)
    assert set(PolicyArea.objects.values_list("name", flat=True)) >= {"Housing", "Transport", "Health"}
    assert Membership.objects.get(pk=membership.pk).policy_area.name == "Transport"


def test_a_policy_area_added_from_the_membership_form_in_a_draft(editor, client):
    draft = start_draft(editor)
    url = add_url(PolicyArea) + "?_to_field=id&_popup=1"
    values = form_values(editor.get(url))
    values.update(name="Housing", slug="housing", _popup="1", _to_field="id")
    response = editor.post(url, values)
    assert response.status_code == 200
    assert not PolicyArea.objects.filter(slug="housing").exists()
    area = draft.changes.get().object_pk
    membership = Membership.objects.filter(end_date=None).first()
    save(editor, change_url(membership), policy_area=str(area), corrects_mistake="on")
    publish(editor, draft)
    assert Membership.objects.get(pk=membership.pk).policy_area.slug == "housing"


# --- Section order ----------------------------------------------------------------------------------


def test_a_section_the_draft_adds_can_be_moved_up_and_published(editor, client, get_page):
    draft = start_draft(editor)
    page = Page.objects.get()
    values = form_values(editor.get(add_url(Section)))
    values.update(page=str(page.pk), heading="A new section", body="Words.", position="")
    assert editor.post(add_url(Section), values).status_code == 302
    added = draft.changes.get().object_pk
    order_sections(editor, Section(pk=added, page=page), "up")
    response = editor.get(f"/preview/{draft.pk}{PAGE_URL}")
    assert response.status_code == 200, response.status_code
    publish(editor, draft)
    sections = list(Page.objects.get().sections.order_by("position").values_list("heading", flat=True))
    assert sections[-2:] == ["A new section", "More information on What Works"]
    assert "A new section" in headings(get_page())


def test_a_draft_that_deletes_a_section_and_reorders_the_rest_publishes(editor, client, get_page):
    draft = start_draft(editor)
    sections = list(Page.objects.get().sections.order_by("position"))
    response = editor.post(f"{change_url(sections[1]).removesuffix('change/')}delete/", {"post": "yes"})
    assert response.status_code == 302
    order_sections(editor, sections[-1], "up")
    response = editor.get(f"/preview/{draft.pk}{PAGE_URL}")
    assert response.status_code == 200, response.status_code
    publish(editor, draft)
    deleted = Section.history.filter(id=sections[1].pk).latest()
    assert (deleted.history_type, deleted.position) == ("-", sections[1].position)  # as the audit trail has it
    remaining = [s.heading for s in sections if s != sections[1]]
    remaining[-2:] = remaining[-1], remaining[-2]
    assert list(Page.objects.get().sections.order_by("position").values_list("heading", flat=True)) == remaining


def test_adding_a_section_in_a_draft_while_the_live_site_adds_one(editor, client):
    draft = start_draft(editor)
    page = Page.objects.get()
    values = form_values(editor.get(add_url(Section)))
    values.update(page=str(page.pk), heading="A new section", body="Words.", position="")
    assert editor.post(add_url(Section), values).status_code == 302
    Section.objects.create(page=page, heading="Live section", body="Live words.")
    assert editor.get(f"/preview/{draft.pk}{PAGE_URL}").status_code == 200
    assert editor.get("/admin/network/section/").status_code == 200
    publish(editor, draft)
    headings = Page.objects.get().sections.order_by("position").values_list("heading", flat=True)
    assert list(headings)[-2:] == ["Live section", "A new section"]


# --- Deleting in a draft ----------------------------------------------------------------------------


def test_deleting_a_centre_in_a_draft_while_the_live_site_adds_it_a_membership(editor, client):
    centre = Centre.objects.get(slug="taso")
    draft = start_draft(editor)
    response = editor.post(delete_url(centre), {"post": "yes", "confirm_name": centre.name})
    assert response.status_code == 302
    assert draft.changes.filter(state__isnull=True).count() == 1 + centre.memberships.count()
    live = Membership.objects.create(centre=centre, kind=Kind.AFFILIATE, start_date=datetime.date(2031, 1, 1))
    conflicts = text_of(parse(editor.get(draft_url(draft))).select_one(".app-error-box"))
    assert f"Membership {live}: added on the live site since; a deletion in this draft would delete it too" in conflicts
    messages = publish(editor, draft)
    assert any("changed on the live site" in message for message in messages), messages
    assert Membership.objects.filter(pk=live.pk).exists()
    # Brought up to date, the draft lists that membership among its deletions, and publishes.
    editor.post(draft_url(draft, "withdraw"))
    editor.post(draft_url(draft, "update"))
    assert draft.changes.filter(object_pk=live.pk, state__isnull=True).exists()
    publish(editor, draft)
    assert not Centre.objects.filter(pk=centre.pk).exists()


# --- The admin's other screens in a draft -----------------------------------------------------------


def test_changelist_actions_in_a_draft(editor, client):
    draft = start_draft(editor)
    save(editor, change_url(Centre.objects.get(slug="taso")), name="TASO in a draft")
    centres = list(Centre.objects.values_list("pk", flat=True))
    response = editor.post(
        "/admin/centres/centre/", {"action": "download_csv", "_selected_action": centres, "index": "0"}
    )
    assert response.status_code == 200
    assert "TASO in a draft" in response.content.decode()
    sections = Section.objects.order_by("position")
    last = sections.last()
    response = editor.post(
        "/admin/network/section/", {"action": "delete_selected", "_selected_action": [last.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert Section.objects.filter(pk=last.pk).exists()
    assert draft.changes.filter(state__isnull=True).count() == 1


def test_history_and_revert_in_a_draft(editor, client):
    taso = Centre.objects.get(slug="taso")
    old_website = taso.website
    save(editor, change_url(taso), website="https://live.example", major_change="no")
    draft = start_draft(editor)
    assert editor.get(f"/admin/centres/centre/{taso.pk}/history/").status_code == 200
    version = taso.history.order_by("history_date").first()
    url = f"/admin/centres/centre/{taso.pk}/history/{version.history_id}/"
    response = editor.get(url)
    assert response.status_code == 200
    values = form_values(response)
    values.pop("major_change", None)
    response = editor.post(url, values)
    assert response.status_code == 302, field_errors(response)
    assert Centre.objects.get(pk=taso.pk).website == "https://live.example"
    assert draft.changes.get().state["website"] == old_website


# --- Two drafts of one record, and a draft closed while someone works in it -------------------------


def test_two_drafts_of_one_record(editor, client):
    taso = Centre.objects.get(slug="taso")
    first = start_draft(editor, "First")
    save(editor, change_url(taso), website="https://first.example")
    second = start_draft(editor, "Second")
    save(editor, change_url(taso), website="https://second.example", text_after_link="(second)")
    publish(editor, first)
    messages = publish(editor, second)
    assert any("changed on the live site" in message for message in messages), messages
    page = text_of(parse(editor.get(draft_url(second))).select_one(".app-error-box"))
    assert "Website" in page
    editor.post(draft_url(second, "withdraw"))  # back to its author, to bring it up to date
    editor.post(draft_url(second, "update"))
    publish(editor, second)
    taso.refresh_from_db()
    assert (taso.website, taso.text_after_link) == ("https://second.example", "(second)")


def test_a_save_meant_for_a_draft_closed_meanwhile_reaches_nothing_live(editor, client, django_user_model):
    """A colleague publishes or discards the draft while its confirmation page is open: confirming
    it deletes nothing on the live site, and says why."""
    draft = start_draft(editor)
    section = Section.objects.last()
    assert editor.get(delete_url(section)).status_code == 200  # the confirmation, shown in the draft
    Draft.objects.get(pk=draft.pk).discard(django_user_model.objects.create_user("colleague"))
    before = public_snapshot(client)
    response = editor.post(delete_url(section), {"post": "yes"})
    assert response.status_code == 302
    assert Section.objects.filter(pk=section.pk).exists()
    assert public_snapshot(client) == before
    messages = admin_messages(editor.get(response["Location"]))
    assert any("“Edge cases” was discarded" in message and "Nothing was saved" in message for message in messages)


# --- Who may draft ----------------------------------------------------------------------------------


def test_saving_as_a_draft_needs_the_right_to_draft(client, demo, django_user_model):
    user = django_user_model.objects.create_user("author", password="a long passphrase", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="centres"))
    client.force_login(user)
    centre = Centre.objects.get(slug="taso")
    response = client.get(change_url(centre))
    assert parse(response).select_one("#content-main form").find(attrs={"name": "_save_as_draft"}) is None
    values = form_values(response)
    values.pop("major_change", None)
    values.update(website="https://taso.example", _save_as_draft="Save as draft", draft="new", new_draft_name="x")
    assert client.post(change_url(centre), values).status_code == 403
    assert not Draft.objects.exists()
    assert Centre.objects.get(pk=centre.pk).website != "https://taso.example"


def test_an_editor_can_draft_preview_and_submit_for_a_publisher(client, demo, django_user_model):
    user = django_user_model.objects.create_user("ed", password="a long passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(user)
    draft = start_draft(client)
    save(client, change_url(Centre.objects.get(slug="taso")), website="https://taso.example")
    assert client.get(f"/preview/{draft.pk}{PAGE_URL}").status_code == 200
    assert client.get(draft_url(draft)).status_code == 200
    publish(client, draft)
    assert Centre.objects.get(slug="taso").website == "https://taso.example"


# --- Hostile input ----------------------------------------------------------------------------------


def test_a_draft_name_with_markup_is_shown_as_text(editor, client):
    name = "<script>alert(1)</script><b>bold</b>"
    draft = start_draft(editor, name)
    save(editor, change_url(Centre.objects.get(slug="taso")), website="https://taso.example")
    for url in [DRAFTS, draft_url(draft), "/admin/", f"/preview/{draft.pk}{PAGE_URL}"]:
        body = editor.get(url).content.decode()
        assert "<script>alert(1)" not in body and "<b>bold</b>" not in body, url


def test_a_very_long_draft_name_is_refused_or_cut_clearly(editor, client):
    response = editor.post(f"{DRAFTS}add/", {"name": "x" * 10_000})
    assert response.status_code == 200
    assert field_errors(response)["name"] == ["Ensure this value has at most 200 characters (it has 10000)."]
    centre = Centre.objects.get(slug="taso")
    values = form_values(editor.get(change_url(centre)))
    values.pop("major_change", None)
    values.update(
        website="https://taso.example", _save_as_draft="Save as draft", draft="new", new_draft_name="y" * 10_000
    )
    response = editor.post(change_url(centre), values)
    assert response.status_code == 302
    assert Draft.objects.get().name == "y" * 200
    messages = admin_messages(editor.get(response["Location"]))
    assert any("cut to its first 200 characters" in message for message in messages), messages


@pytest.mark.parametrize("bogus", ["99999999", "-1", "²", "1e3", "99999999999999999999999"])
def test_a_bogus_draft_to_save_into_starts_a_new_one(editor, bogus):
    centre = Centre.objects.get(slug="taso")
    url = change_url(centre)
    values = form_values(editor.get(url))
    values.pop("major_change", None)
    values.update(website="https://taso.example", _save_as_draft="Save as draft", draft=bogus, new_draft_name="")
    response = editor.post(url, values)
    assert response.status_code == 302
    assert Draft.objects.get().changes.count() == 1
    assert Centre.objects.get(pk=centre.pk).website != "https://taso.example"


# --- The live site's caches -------------------------------------------------------------------------


def test_the_content_version_is_untouched_by_working_and_previewing(editor, client):
    draft = start_draft(editor)
    save(editor, change_url(Centre.objects.get(slug="taso")), website="https://taso.example")
    version = ContentVersion.objects.token()
    before = public_snapshot(client)
    for url in PUBLIC_URLS:
        assert editor.get(f"/preview/{draft.pk}{url}").status_code == 200
    assert ContentVersion.objects.token() == version
    assert public_snapshot(client) == before
