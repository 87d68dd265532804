"""Drafts at their edges: records a draft adds and the live site's keys, section order, deletions,
the admin's other screens inside a draft, two drafts of one record, and hostile input."""

from drafts.models import Draft
from network.models import Page, Section
from tests.helpers import (
    PAGE_URL,
    PUBLIC_URLS,
    add_url,
    admin_messages,
    change_url,
    field_errors,
    form_values,
    text_of,
)

DRAFTS = "/admin/drafts/draft/"


def draft_url(draft, step="change"):
    return f"{DRAFTS}{draft.pk}/{step}/"


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
    response = client.post(draft_url(draft, "publish"), {"major_change": "no", "change_note": ""})
    assert response.status_code == 302
    return admin_messages(client.get(response["Location"]))


def public_snapshot(client):
    return {url: (response.status_code, response.content) for url in PUBLIC_URLS for response in [client.get(url)]}


def order_sections(client, section, direction):
    url = f"/admin/network/section/order/{section.page_id}/"
    response = client.post(url, {"item": section.pk, "direction": direction})
    assert response.status_code == 302, response.status_code


def headings(soup):
    return [text_of(heading) for heading in soup.select("main h2")]


# --- Records a draft adds ------------------------------------------------------------------------


# --- Section order -------------------------------------------------------------------------------


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


# --- Hostile input -------------------------------------------------------------------------------
