"""The admin in a browser: no Content-Security-Policy or other console errors on any screen, revert and ordering journeys, axe."""

import datetime
import re

import pytest
from django.utils import timezone

from centres.models import Centre, Membership, PolicyArea
from drafts.models import Draft, FactCheckLink
from feedback.models import Feedback, Kind
from network.models import HelpPage, Page, Section
from tests.browser.axe import ScreenChecks, axe_violations, describe_violations
from tests.helpers import PAGE_URL
from updates.models import PageUpdate

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def admin_screens():
    """Every kind of admin screen, for each content model: list, add, change, history, a version, delete."""
    screens = ["/admin/", "/admin/network/", "/admin/password_change/"]
    objects = [
        Page.objects.get(),
        Section.objects.first(),
        Centre.objects.get(slug="taso"),
        Membership.objects.get(centre__slug="taso"),
        PolicyArea.objects.first(),
        PageUpdate.objects.first(),
        HelpPage.objects.first(),
    ]
    for obj in objects:
        base = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/"
        screens += [
            base,
            f"{base}add/",
            f"{base}{obj.pk}/change/",
            f"{base}{obj.pk}/history/",
            f"{base}{obj.pk}/delete/",
        ]
    screens += [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        "/admin/axes/accessattempt/",
        "/admin/redirects/redirect/",
        "/admin/redirects/redirect/add/",
        "/admin/centres/membership/order/",
        f"/admin/network/section/order/{Page.objects.get().pk}/",
        "/admin/centres/policyarea/add/?_to_field=id&_popup=1",
    ]
    # Readers' feedback is read, never added or edited: its list, an answer and its deletion.
    feedback = Feedback.objects.create(kind=Kind.PROBLEM, path=PAGE_URL, what_wrong="A broken link")
    screens += [f"/admin/feedback/feedback/{step}" for step in ["", f"{feedback.pk}/change/", f"{feedback.pk}/delete/"]]
    return screens


def test_no_console_errors_on_any_admin_screen(admin_tab):
    membership = Membership.objects.get(centre__slug="taso")
    page = admin_tab.open(f"/admin/centres/membership/{membership.pk}/change/")
    page.get_by_label("No – a minor change").check()
    page.get_by_role("button", name="Save", exact=True).click()
    version = membership.history.earliest()
    problems = {}
    for url in [*admin_screens(), f"/admin/centres/membership/{membership.pk}/history/{version.history_id}/"]:
        admin_tab.problems.clear()
        admin_tab.open(url)
        if admin_tab.problems:
            problems[url] = list(admin_tab.problems)
    assert problems == {}


def test_the_date_calendar_opens_without_console_errors(admin_tab):
    membership = Membership.objects.get(centre__slug="taso")
    page = admin_tab.open(f"/admin/centres/membership/{membership.pk}/change/")
    page.locator("#calendarlink1").click()
    page.locator("#calendarbox1 .calendar a", has_text="15").first.click()
    assert page.locator("#id_end_date").input_value().endswith("-15")
    assert admin_tab.problems == []


def changed_screens():
    """The admin screens this project changed or added, for axe."""
    page = Page.objects.get()
    centre = Centre.objects.get(slug="taso")
    section = Section.objects.first()
    help_page = HelpPage.objects.get(slug="accessibility-statement")
    return [
        "/admin/",
        "/admin/network/helppage/",
        "/admin/network/helppage/add/",
        f"/admin/network/helppage/{help_page.pk}/change/",
        f"/admin/network/page/{page.pk}/change/",
        f"/admin/network/page/{page.pk}/history/",
        f"/admin/centres/centre/{centre.pk}/change/",
        f"/admin/centres/centre/{centre.pk}/history/",
        f"/admin/network/section/{section.pk}/history/",
        "/admin/centres/membership/",
        "/admin/centres/membership/order/",
        f"/admin/network/section/order/{page.pk}/",
        "/admin/centres/policyarea/add/?_to_field=id&_popup=1",
    ]


def test_axe_finds_no_violations_on_the_changed_admin_screens(admin_tab):
    # A version to revert to, and a form showing its error summary.
    section = Section.objects.get(heading="Introduction")
    page = admin_tab.open(f"/admin/network/section/{section.pk}/change/")
    page.get_by_label("No – a minor change").check()
    page.get_by_role("button", name="Save", exact=True).click()
    revert = f"/admin/network/section/{section.pk}/history/{section.history.earliest().history_id}/"
    found = {}
    for url in [*changed_screens(), revert]:
        violations = axe_violations(admin_tab.open(url))
        if violations:
            found[url] = describe_violations(violations)
    page = admin_tab.open(f"/admin/centres/centre/{Centre.objects.get(slug='taso').pk}/change/")
    page.locator("#id_name").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()
    violations = axe_violations(page)
    if violations:
        found["centre form with errors"] = describe_violations(violations)
    assert found == {}, "\n".join(f"{url}:\n{text}" for url, text in found.items())


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_violations_on_the_draft_screens(admin_tab, theme):
    """Saving as a draft, working in it, its page (with a conflict too), submitting it, force publishing
    and discarding it,
    in the admin's light and dark themes (it follows the system's)."""
    admin_tab.page.emulate_media(color_scheme=theme)
    taso = Centre.objects.get(slug="taso")
    screens = ScreenChecks()

    page = admin_tab.open(f"/admin/centres/centre/{taso.pk}/change/")
    screens.check("a content form offering to save as a draft", admin_tab)
    page.get_by_label("Website").fill("https://taso.example")
    page.get_by_label("What a new draft is for").fill("TASO's new website")
    page.get_by_role("button", name="Save as draft").click()
    page.locator(".app-draft-banner").wait_for()
    screens.check("an admin page with the working-draft banner", admin_tab)
    admin_tab.open("/admin/drafts/draft/")
    screens.check("the list of drafts", admin_tab)
    page.get_by_role("link", name="TASO's new website").click()
    page.locator(".app-comparison").wait_for()
    screens.check("a draft's page", admin_tab)
    draft_url = page.url
    # Its author, a superuser, may force publish it (publishing after review shares the page's template).
    page.get_by_role("link", name="Force publish…").click()
    page.get_by_role("button", name="Force publish now").wait_for()
    screens.check("force publishing", admin_tab)
    page.get_by_role("button", name="Force publish now").click()
    page.locator(".govuk-error-summary").wait_for()
    screens.check("force publishing, with its error summary", admin_tab)
    page.goto(draft_url)
    page.get_by_role("button", name="Submit for review").click()
    page.locator(".app-waiting").wait_for()
    screens.check("a draft waiting for review", admin_tab)
    page.get_by_role("button", name="Withdraw the submission").click()
    page.get_by_role("button", name="Submit for review").wait_for()
    page.goto(draft_url)
    page.get_by_role("link", name="Discard…").click()
    page.get_by_role("button", name="Yes, discard the draft").wait_for()
    screens.check("discarding", admin_tab)
    Centre.objects.filter(pk=taso.pk).update(text_after_link="(changed on the live site meanwhile)")
    page.goto(draft_url)
    page.locator(".app-error-box").wait_for()
    screens.check("a draft's page with a conflict", admin_tab)
    screens.assert_none_found()


def test_staff_revert_a_membership_and_a_section(admin_tab):
    membership = Membership.objects.get(centre__slug="money-and-pensions-service")
    page = admin_tab.open(f"/admin/centres/membership/{membership.pk}/change/")
    page.locator("#id_end_date").fill(timezone.localdate().isoformat())
    page.get_by_label("No – a minor change").check()
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert "Money and Pensions Service" not in admin_tab.open(PAGE_URL).locator("main table").inner_text()

    page = admin_tab.open(f"/admin/centres/membership/{membership.pk}/change/")
    page.get_by_role("link", name="History", exact=True).click()
    page.locator("#change-history tbody tr").last.get_by_role("link").click()
    page.get_by_label("Yes – readers need to know").check()
    page.get_by_role("textbox", name="Change note").fill("Money and Pensions Service is a member again.")
    page.get_by_role("button", name="Revert").click()
    page.wait_for_url("**/admin/centres/membership/")
    banner = page.locator(".messagelist li")
    assert banner.count() == 1
    assert "“Money and Pensions Service is a member again.” was published" in banner.inner_text()
    page = admin_tab.open(PAGE_URL)
    assert "Money and Pensions Service" in page.locator("main table").inner_text()
    page.get_by_text("Show all updates").click()
    assert page.locator("#full-history li").first.inner_text().endswith("Money and Pensions Service is a member again.")

    section = Section.objects.get(heading="Introduction")
    original = section.body
    page = admin_tab.open(f"/admin/network/section/{section.pk}/change/")
    page.locator("#id_body").fill("A mistaken rewrite.")
    page.get_by_label("No – a minor change").check()
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="History", exact=True).click()
    page.locator("#change-history tbody tr").last.get_by_role("link").click()
    # Revert without answering: the error summary says what is missing and links to it.
    page.get_by_role("button", name="Revert").click()
    summary_link = page.locator(".govuk-error-summary a")
    assert summary_link.inner_text() == "Is this a major change?: Select yes if this is a major change."
    summary_link.click()
    page.get_by_label("No – a minor change").check()
    page.get_by_role("button", name="Revert").click()
    # The list of sections (the browser keeps the error link's #fragment across the redirect).
    page.wait_for_url(re.compile(r"/admin/network/section/(#.*)?$"))
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    section.refresh_from_db()
    # (Browsers send a text area's line breaks as CR LF.)
    assert section.body.replace("\r\n", "\n") == original
    assert admin_tab.problems == []


def test_staff_order_sections_and_the_table_with_the_keyboard(admin_tab):
    page_record = Page.objects.get()
    page = admin_tab.open(f"/admin/network/page/{page_record.pk}/change/")
    page.get_by_role("link", name="Order sections").click()
    first, second = Section.objects.order_by("position")[:2]
    button = page.get_by_role("button", name=f"Move up {second.heading}")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator(".messagelist").inner_text() == f"Moved “{second.heading}” up."
    assert page.locator(".app-order-list li").first.inner_text().startswith(second.heading)
    public = admin_tab.open(PAGE_URL)
    headings = public.locator("main h2").all_inner_texts()
    assert headings.index(second.heading) < headings.index(first.heading)

    page = admin_tab.open("/admin/centres/membership/")
    page.get_by_role("link", name="Order the centres table").click()
    taso = "Centre for Transforming Access and Student Outcomes in Higher Education (TASO)"
    page.get_by_role("button", name=f"Move down {taso}", exact=False).press("Space")
    page.wait_for_load_state()
    rows = admin_tab.open(PAGE_URL).locator("main table tbody tr td:first-child").all_inner_texts()
    names = [row.splitlines()[0].removeprefix("Affiliate: ") for row in rows]
    assert names.index(taso) > names.index("Money and Pensions Service")
    assert admin_tab.problems == []


def test_staff_told_of_a_colleagues_change_keep_what_they_typed(admin_tab, browser, live_server, django_user_model):
    django_user_model.objects.create_superuser(
        "priya", "priya@example.com", "a long passphrase", first_name="Priya", last_name="Shah"
    )
    centre = Centre.objects.get(slug="taso")
    mine = admin_tab.open(f"/admin/centres/centre/{centre.pk}/change/")

    # Priya, in a browser of her own, changes the centre's website meanwhile.
    context = browser.new_context()
    theirs = context.new_page()
    theirs.goto(f"{live_server.url}/admin/login/?next=/admin/centres/centre/{centre.pk}/change/")
    theirs.get_by_label("Username").fill("priya")
    theirs.get_by_label("Password").fill("a long passphrase")
    theirs.get_by_role("button", name="Log in").click()
    theirs.get_by_label("Website").fill("https://taso.example")
    theirs.get_by_label("No – a minor change").check()
    theirs.get_by_role("button", name="Save", exact=True).click()
    theirs.wait_for_url("**/admin/centres/centre/")
    context.close()

    mine.get_by_label("Text after link").fill("(hosted by King’s College London)")
    mine.get_by_label("No – a minor change").check()
    mine.get_by_role("button", name="Save", exact=True).click()
    summary = mine.locator(".govuk-error-summary a").first
    assert summary.inner_text().startswith("Priya Shah changed this centre at ")
    assert mine.get_by_label("Text after link").input_value() == "(hosted by King’s College London)"
    assert admin_tab.problems == []
    violations = axe_violations(mine)
    assert violations == [], describe_violations(violations)
    admin_tab.problems.clear()  # axe's own inline styles, which the Content-Security-Policy refuses

    # Told, saving again is a deliberate overwrite.
    mine.get_by_role("button", name="Save", exact=True).click()
    mine.wait_for_url("**/admin/centres/centre/")
    centre.refresh_from_db()
    assert (centre.website, centre.text_after_link) == ("https://taso.org.uk", "(hosted by King’s College London)")
    assert admin_tab.problems == []


IN_FACT_CHECK_LINKS = "target => !!document.querySelector(target).closest('.app-fact-check-links')"


def test_staff_make_a_fact_check_link_open_it_and_revoke_it(admin_tab, browser, live_server, django_user_model):
    editor = django_user_model.objects.get(username="editor")
    draft = Draft.objects.create(name="TASO's new website", created_by=editor)
    page = admin_tab.open(f"/admin/drafts/draft/{draft.pk}/change/")
    page.get_by_label("Who it is for").fill("Dr Ada Lovelace, TASO")
    page.get_by_label("Who it is for").press("Tab")
    page.keyboard.type("7")  # the days field, after its default is selected by Tab
    page.get_by_role("button", name="Make a link").press("Enter")
    page.locator("#fact-check-links").wait_for()
    # The section's own markup (the rest of the draft's page is not this test's).
    violations = []
    for violation in axe_violations(page):
        nodes = [node for node in violation["nodes"] if page.evaluate(IN_FACT_CHECK_LINKS, node["target"][0])]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    assert violations == [], describe_violations(violations)
    address = page.locator("#fact-check-links ~ table code").inner_text()
    assert FactCheckLink.objects.get().expires_at - FactCheckLink.objects.get().created_at == datetime.timedelta(days=7)
    # The expert, in a browser with no account, reads the draft.
    context = browser.new_context()
    expert = context.new_page()
    expert.goto(address.replace("http://testserver", live_server.url) + PAGE_URL[1:])
    assert "shared with you for fact-checking" in expert.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Revoke the link for Dr Ada Lovelace, TASO").press("Enter")
    page.get_by_text("no longer works").wait_for()
    expert.reload()
    assert expert.locator("h1").inner_text() == "This link has expired or been withdrawn"
    context.close()
