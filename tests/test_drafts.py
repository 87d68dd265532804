"""Drafts: changes to several records kept apart from the live site, previewed as the whole site,
compared with it, and published together (or discarded)."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from centres.models import Centre, Kind, Membership, PolicyArea
from drafts.models import Draft, DraftChange
from network.models import ContentVersion, Page, Section
from tests.helpers import (
    CACHING_OFF,
    DRAFTS,
    PAGE_URL,
    PUBLIC_URLS,
    add_url,
    admin_messages,
    change_url,
    draft_url,
    field_errors,
    form_values,
    network_sentence,
    parse,
    preview_url,
    save_in_working_draft,
    submit_and_publish,
    text_of,
)
from tests.helpers import save_as_draft as save_as_a_draft
from tools.bench_content import add_open_drafts
from updates.models import PageUpdate

TODAY = datetime.date(2030, 1, 15)  # the day of the `editor` fixture
NAME = "Youth Endowment Fund becomes a What Works Centre"


def save_as_draft(client, url, draft=None, draft_name=NAME, **changes):
    return save_as_a_draft(client, url, draft, draft_name, **changes)


def public_snapshot(client):
    """Every public address's answer: status and body."""
    return {url: (response.status_code, response.content) for url in PUBLIC_URLS for response in [client.get(url)]}


def promote_youth_endowment_fund(client, draft=None):
    """In a draft: the Youth Endowment Fund, an affiliate, becomes a What Works Centre from today."""
    centre = Centre.objects.get(slug="youth-endowment-fund")
    url = f"/admin/centres/centre/{centre.pk}/membership/change-kind/"
    if draft is None:
        client.post(f"{DRAFTS}add/", {"name": NAME})
    values = form_values(client.get(url))
    values.update(kind=Kind.WHAT_WORKS_CENTRE, day=TODAY.isoformat())
    response = client.post(url, values)
    assert response.status_code == 302, field_errors(response)
    return Draft.objects.get(name=NAME)


def only_draft():
    return Draft.objects.get()


# --- Saving as a draft changes nothing the public sees -------------------------------------------


def test_every_content_form_offers_save_as_draft(editor):
    urls = [
        change_url(Page.objects.get()),
        change_url(Section.objects.first()),
        change_url(Centre.objects.first()),
        change_url(Membership.objects.first()),
        change_url(PolicyArea.objects.first()),
        add_url(Centre),
        add_url(Membership),
        add_url(PolicyArea),
        add_url(Section),
    ]
    for url in urls:
        form = parse(editor.get(url)).select_one("#content-main form")
        assert form.find("input", attrs={"type": "submit", "name": "_save_as_draft"}), url
        assert form.find("select", attrs={"name": "draft"}), url
        assert form.find("input", attrs={"name": "new_draft_name"}), url


CHANGES = {
    "page text": lambda: (change_url(Page.objects.get()), {"summary": "A new summary in a draft."}),
    "section": lambda: (change_url(Section.objects.first()), {"body": "New words for the introduction."}),
    "centre": lambda: (change_url(Centre.objects.get(slug="taso")), {"name": "TASO in a draft"}),
    "membership": lambda: (
        change_url(Membership.objects.filter(end_date=None).first()),
        {"end_date": "2030-01-10"},  # an ended membership
    ),
    "policy area": lambda: (change_url(PolicyArea.objects.get(slug="youth-employment")), {"name": "Youth jobs"}),
    "new policy area": lambda: (add_url(PolicyArea), {"name": "Housing", "slug": "housing"}),
}


@pytest.mark.parametrize("kind", CHANGES)
@pytest.mark.parametrize("caches", ["cached", "uncached"])
def test_a_change_saved_as_a_draft_changes_nothing_public(editor, client, kind, caches):
    url, changes = CHANGES[kind]()
    with override_settings(**({} if caches == "cached" else {"CACHES": CACHING_OFF})):
        before = public_snapshot(client)
        version = ContentVersion.objects.token()
        save_as_draft(editor, url, **changes)
        assert ContentVersion.objects.token() == version
        assert public_snapshot(client) == before
    draft = only_draft()
    assert draft.name == NAME
    assert draft.changes.count() >= 1


def test_adding_and_deleting_records_in_a_draft_changes_nothing_public(editor, client):
    before = public_snapshot(client)
    version = ContentVersion.objects.token()
    editor.post(f"{DRAFTS}add/", {"name": "Reorganise"})
    draft = only_draft()
    # A new centre with a membership, in the centre's form.
    values = form_values(editor.get(add_url(Centre)))
    values.update(
        {
            "name": "What Works for Housing",
            "slug": "what-works-for-housing",
            "website": "https://housing.example",
            "memberships-0-kind": Kind.AFFILIATE,
            "memberships-0-start_date": "2030-01-01",
        }
    )
    assert editor.post(add_url(Centre), values).status_code == 302
    # A removed section.
    section = Section.objects.last()
    response = editor.post(f"{change_url(section).removesuffix('change/')}delete/", {"post": "yes"})
    assert response.status_code == 302
    assert ContentVersion.objects.token() == version
    assert public_snapshot(client) == before
    assert Section.objects.filter(pk=section.pk).exists()
    assert not Centre.objects.filter(slug="what-works-for-housing").exists()
    kinds = sorted(
        (change.model._meta.model_name, change.is_addition, change.is_deletion) for change in draft.changes.all()
    )
    assert kinds == [("centre", True, False), ("membership", True, False), ("section", False, True)]


def test_working_in_a_draft_shows_it_on_every_content_screen(editor):
    save_as_draft(
        editor, change_url(Centre.objects.get(slug="taso")), draft_name="Rename TASO", website="https://taso.example"
    )
    centre_list = editor.get("/admin/centres/centre/")
    assert "You are working in the draft “Rename TASO”" in text_of(parse(centre_list).select_one(".app-draft-banner"))
    messages = admin_messages(editor.get("/admin/"))
    assert messages == [] or all("draft" in message for message in messages)


def test_saving_as_a_draft_says_so(editor):
    centre = Centre.objects.get(slug="taso")
    response = save_as_draft(editor, change_url(centre), website="https://taso.example")
    messages = admin_messages(editor.get(response["Location"]))
    assert any(f"saved in the draft “{NAME}”" in message for message in messages), messages
    assert Centre.objects.get(pk=centre.pk).website != "https://taso.example"
    form = form_values(editor.get(change_url(centre)))
    assert form["website"] == "https://taso.example"  # the form shows the draft


def test_a_draft_holds_changes_to_several_records(editor):
    taso = Centre.objects.get(slug="taso")
    save_as_draft(editor, change_url(taso), website="https://taso.example")
    draft = only_draft()
    section = Section.objects.first()
    save_in_working_draft(editor, change_url(section), body="New words for the introduction.")
    save_in_working_draft(editor, change_url(taso), text_after_link="(moved)")
    assert Draft.objects.count() == 1
    assert draft.changes.count() == 2
    listing = text_of(parse(editor.get(DRAFTS)).select_one("#result_list"))
    assert NAME in listing
    assert "Centre: Centre for Transforming Access" in listing and "Section: " in listing
    assert "Open" in listing


def test_a_change_undone_in_the_draft_leaves_it(editor):
    taso = Centre.objects.get(slug="taso")
    website = taso.website
    save_as_draft(editor, change_url(taso), website="https://taso.example")
    save_in_working_draft(editor, change_url(taso), website=website)
    assert not DraftChange.objects.exists()


def test_a_save_in_a_draft_asks_no_major_change_question(editor):
    save_as_draft(editor, change_url(Centre.objects.get(slug="taso")), website="https://taso.example")
    form = parse(editor.get(change_url(Section.objects.first()))).select_one("#content-main form")
    assert form.find(attrs={"name": "major_change"}) is None
    assert form.find("input", attrs={"name": "_save_as_draft"}) is None


def test_leaving_the_draft_shows_the_live_site_again(editor):
    taso = Centre.objects.get(slug="taso")
    save_as_draft(editor, change_url(taso), website="https://taso.example")
    editor.post(f"{DRAFTS}leave/")
    assert form_values(editor.get(change_url(taso)))["website"] == Centre.objects.get(pk=taso.pk).website
    assert parse(editor.get("/admin/")).select_one(".app-draft-banner") is None


# --- Preview -------------------------------------------------------------------------------------


def test_the_preview_shows_the_site_as_the_draft_will_make_it(editor, client, get_page):
    live = network_sentence(get_page())
    draft = promote_youth_endowment_fund(editor)
    section = Page.objects.get().sections.first()
    save_in_working_draft(editor, change_url(section), body="The network, in a draft.\n\n{centres_table}")
    preview = editor.get(preview_url(draft))
    assert preview.status_code == 200
    soup = parse(preview)
    assert network_sentence(soup) == "10 independent What Works Centres and 2 affiliate members"
    assert "The network, in a draft." in text_of(soup.find("main"))
    banner = text_of(soup.select_one(".govuk-notification-banner"))
    assert f"This is a preview of the draft “{NAME}”: it is not published." in banner
    # The live page is as it was, for the public and for the editor outside the preview.
    assert network_sentence(parse(client.get(PAGE_URL))) == live


def test_links_in_a_preview_stay_in_the_preview(editor):
    draft = promote_youth_endowment_fund(editor)
    soup = parse(editor.get(preview_url(draft)))
    soup.select_one(".govuk-notification-banner").extract()  # its link leads back to the draft in the admin
    internal = [a["href"] for a in soup.select("main a[href^='/']")]
    assert internal, "the page links to centre pages"
    assert all(href.startswith(f"/preview/{draft.pk}/") for href in internal), internal
    assert all(not link["href"].startswith(f"/preview/{draft.pk}/static/") for link in soup.select("link[href]"))
    centre = editor.get(internal[0])
    assert centre.status_code == 200
    assert parse(centre).select_one(".govuk-notification-banner")


@pytest.mark.parametrize(
    "path", [PAGE_URL, f"{PAGE_URL}/history", f"{PAGE_URL}.atom", f"/api/content{PAGE_URL}", "/centres/taso"]
)
def test_every_public_page_has_a_preview_that_no_one_keeps(editor, path):
    draft = promote_youth_endowment_fund(editor)
    response = editor.get(preview_url(draft, path))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert response["X-Robots-Tag"] == "noindex"


def test_the_preview_of_a_feed_and_data_show_the_draft(editor):
    draft = promote_youth_endowment_fund(editor)
    data = editor.get(preview_url(draft, f"/api/content{PAGE_URL}")).json()
    assert f"/preview/{draft.pk}/" in str(data)


def test_previews_are_for_staff_who_edit_content(client, editor, django_user_model):
    draft = promote_youth_endowment_fund(editor)
    client.logout()
    response = client.get(preview_url(draft))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    viewer = django_user_model.objects.create_user("viewer", password="a long passphrase", is_staff=True)
    client.force_login(viewer)
    assert client.get(preview_url(draft)).status_code == 403


def test_only_public_pages_have_previews(editor):
    draft = promote_youth_endowment_fund(editor)
    assert editor.get(preview_url(draft, "/admin/")).status_code == 404
    assert editor.get(preview_url(draft, "/no-such-page")).status_code == 404


def test_a_preview_is_never_cached_for_the_public(editor, client):
    live = client.get(PAGE_URL).content
    draft = promote_youth_endowment_fund(editor)
    editor.get(preview_url(draft))
    assert client.get(PAGE_URL).content == live


# --- What's changed ------------------------------------------------------------------------------


def test_whats_changed_lists_each_record_field_by_field_in_plain_words(editor):
    draft = promote_youth_endowment_fund(editor)
    save_in_working_draft(editor, change_url(Centre.objects.get(slug="taso")), website="https://taso.example")
    soup = parse(editor.get(draft_url(draft)))
    comparisons = [text_of(item) for item in soup.select(".app-comparison")]
    assert any(
        text.startswith("Changed: membership Youth Endowment Fund: Affiliate from") and "End date" in text
        for text in comparisons
    ), comparisons
    assert any(
        text.startswith("Added: membership Youth Endowment Fund: What Works Centre from 15 January 2030")
        for text in comparisons
    ), comparisons
    assert any("Website" in text and "https://taso.example" in text for text in comparisons), comparisons
    ended = next(item for item in soup.select(".app-comparison") if text_of(item).startswith("Changed: membership"))
    rows = [[text_of(cell) for cell in row.select("th, td")] for row in ended.select("tbody tr")]
    assert rows == [["End date", "—", "15 January 2030"]]


def test_a_deleted_record_is_listed(editor):
    editor.post(f"{DRAFTS}add/", {"name": "Fewer sections"})
    section = Section.objects.last()
    editor.post(f"{change_url(section).removesuffix('change/')}delete/", {"post": "yes"})
    soup = parse(editor.get(draft_url(only_draft())))
    assert [text_of(item) for item in soup.select(".app-comparison")] == [
        f"Deleted: section {section.heading} The draft deletes it."
    ]


# --- Publishing ----------------------------------------------------------------------------------


def publish(client, draft, answer="yes", note="The Youth Endowment Fund is now a What Works Centre."):
    """The author submits the draft; a second person reviews and publishes it. Returns their client and answer."""
    return submit_and_publish(client, draft, answer, note)


def test_publishing_makes_every_change_live_with_one_dated_note(editor, client):
    draft = promote_youth_endowment_fund(editor)
    section = Page.objects.get().sections.first()
    save_in_working_draft(editor, change_url(section), body="The network, in a draft.\n\n{centres_table}")
    notes = PageUpdate.objects.count()
    _reviewer, response = publish(editor, draft)
    assert response.status_code == 302
    soup = parse(client.get(PAGE_URL))
    assert network_sentence(soup) == "10 independent What Works Centres and 2 affiliate members"
    assert "The network, in a draft." in text_of(soup.find("main"))
    assert (
        text_of(soup.select("#full-history li")[0])
        == "15 January 2030 The Youth Endowment Fund is now a What Works Centre."
    )
    assert PageUpdate.objects.count() == notes + 1
    draft.refresh_from_db()
    assert draft.status == Draft.Status.PUBLISHED
    assert draft.finished_by.get_username() == draft.reviewed_by.get_username() == f"reviewer-{draft.pk}"


def test_a_minor_change_publishes_no_note(editor):
    draft = promote_youth_endowment_fund(editor)
    notes = PageUpdate.objects.count()
    assert publish(editor, draft, answer="no", note="")[1].status_code == 302
    assert PageUpdate.objects.count() == notes
    assert Membership.objects.filter(centre__slug="youth-endowment-fund", kind=Kind.WHAT_WORKS_CENTRE).exists()


def test_a_major_change_needs_its_note(editor):
    draft = promote_youth_endowment_fund(editor)
    _reviewer, response = publish(editor, draft, note="")
    assert response.status_code == 200
    assert "Enter a change note" in text_of(parse(response).select_one(".govuk-error-summary"))
    assert Draft.objects.get().is_waiting_for_review


def test_the_audit_trail_names_the_draft_its_writer_and_its_publisher(editor):
    draft = promote_youth_endowment_fund(editor)
    publish(editor, draft)
    membership = Membership.objects.get(centre__slug="youth-endowment-fund", kind=Kind.WHAT_WORKS_CENTRE)
    version = membership.history.latest()
    assert version.history_user.get_username() == f"reviewer-{draft.pk}"
    assert version.history_change_reason == (
        f"Published from the draft “{NAME}”, written by editor. Major change: "
        "The Youth Endowment Fund is now a What Works Centre."
    )


def test_publishing_is_all_or_nothing(editor, client):
    """One change the database refuses (a policy area's name taken on the live site since) keeps every
    change of the draft off the live site."""
    save_as_draft(editor, add_url(PolicyArea), draft_name="New areas", name="Housing", slug="housing")
    draft = only_draft()
    save_in_working_draft(editor, change_url(Centre.objects.get(slug="taso")), website="https://taso.example")
    PolicyArea.objects.create(name="Housing", slug="housing-and-homes")
    before = public_snapshot(client)
    reviewer, response = publish(editor, draft)
    assert response.status_code == 302
    messages = admin_messages(reviewer.get(response["Location"]))
    assert any("nothing of it went live" in message and "Housing" in message for message in messages), messages
    assert public_snapshot(client) == before
    assert Centre.objects.get(slug="taso").website != "https://taso.example"
    assert Draft.objects.get(pk=draft.pk).is_waiting_for_review


def test_discarding_changes_nothing(editor, client):
    draft = promote_youth_endowment_fund(editor)
    before = public_snapshot(client)
    assert editor.get(draft_url(draft, "discard")).status_code == 200
    response = editor.post(draft_url(draft, "discard"))
    assert response.status_code == 302
    assert public_snapshot(client) == before
    draft.refresh_from_db()
    assert draft.status == Draft.Status.DISCARDED
    # Its author no longer works in it.
    assert parse(editor.get("/admin/")).select_one(".app-draft-banner") is None


# --- No lost edits -------------------------------------------------------------------------------


def test_a_record_changed_on_the_live_site_since_stops_publishing_until_brought_up_to_date(editor, client):
    taso = Centre.objects.get(slug="taso")
    save_as_draft(editor, change_url(taso), website="https://taso.example")
    draft = only_draft()
    Centre.objects.filter(pk=taso.pk).update(text_after_link="(changed on the live site)")
    page = parse(editor.get(draft_url(draft)))
    conflict = text_of(page.select_one(".app-error-box"))
    assert f"Centre {taso.name}: Text after link" in conflict
    reviewer, response = publish(editor, draft)
    assert any("changed on the live site" in message for message in admin_messages(reviewer.get(response["Location"])))
    assert Centre.objects.get(pk=taso.pk).website != "https://taso.example"
    editor.post(draft_url(draft, "withdraw"))  # back to its author, to bring it up to date
    editor.post(draft_url(draft, "update"))
    assert publish(editor, draft)[1].status_code == 302
    taso.refresh_from_db()
    assert (taso.website, taso.text_after_link) == ("https://taso.example", "(changed on the live site)")


# --- The public side does not read drafts ---------------------------------------------------------


def test_a_public_page_never_reads_drafts(demo, client):
    """The query counts with 200 open drafts are in tests/test_queries.py; here, that none is of drafts."""
    add_open_drafts()
    with override_settings(CACHES=CACHING_OFF):
        with CaptureQueriesContext(connection) as built:
            client.get(PAGE_URL)
    assert built.captured_queries
    assert not any("drafts_" in query["sql"] for query in built.captured_queries)


def test_a_draft_the_live_site_no_longer_allows_says_why_instead_of_failing(editor):
    save_as_draft(editor, add_url(PolicyArea), draft_name="New areas", name="Housing", slug="housing")
    draft = only_draft()
    PolicyArea.objects.create(name="Housing", slug="housing-and-homes")
    for url in ["/admin/centres/centre/", preview_url(draft)]:
        response = editor.get(url)
        assert response.status_code == 409, url
        assert "“Housing”" in text_of(parse(response).select_one(".errornote")), url
    page = parse(editor.get(draft_url(draft)))
    assert "no longer applies" in text_of(page.select_one("#whats-changed").find_next("p"))
    assert editor.get(draft_url(draft, "force-publish")).status_code == 200


def test_two_staff_saving_the_same_record_in_one_draft_are_told_as_on_the_live_site(editor, colleague):
    taso = Centre.objects.get(slug="taso")
    save_as_draft(editor, change_url(taso), website="https://taso.example")
    draft = only_draft()
    colleague.post(draft_url(draft, "work"))
    mine = form_values(editor.get(change_url(taso)))  # opened before Priya saves
    save_in_working_draft(colleague, change_url(taso), text_after_link="(Priya's words)")
    mine.update(text_after_link="(my words)")
    response = editor.post(change_url(taso), mine)
    assert response.status_code == 200
    summary = text_of(parse(response).select_one(".govuk-error-summary"))
    assert "Priya Shah changed this centre" in summary, summary
    assert draft.changes.get().state["text_after_link"] == "(Priya's words)"
