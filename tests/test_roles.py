"""Staff roles: editors change content only; administrators manage staff. Admin login is throttled."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User

from centres.models import Centre
from drafts.models import Draft
from network.roles import ADMINISTRATOR, EDITOR
from tests.helpers import (
    PAGE_URL,
    add_url,
    change_url,
    field_errors,
    form_values,
    parse,
    save_as_draft,
    staff_member,
    text_of,
)

PASSWORD = "a long passphrase for tests"


@pytest.fixture
def editor(client, demo):
    user = staff_member("editor", EDITOR, PASSWORD)
    client.force_login(user)
    return user


def test_the_editor_role_covers_content_and_nothing_of_accounts(db):
    permissions = Permission.objects.filter(group__name=EDITOR)
    apps = set(permissions.values_list("content_type__app_label", flat=True))
    assert apps == {"centres", "network", "updates", "drafts", "redirects", "feedback", "links"}
    assert not permissions.filter(content_type__app_label="auth").exists()
    # The site keeps the redirects itself, and readers' words are theirs: editors only read them.
    assert set(permissions.filter(content_type__app_label="redirects").values_list("codename", flat=True)) == {
        "view_redirect"
    }
    assert set(permissions.filter(content_type__app_label="feedback").values_list("codename", flat=True)) == {
        "view_feedback"
    }
    # The link checks write their results: editors read them and run a check.
    assert set(permissions.filter(content_type__app_label="links").values_list("codename", flat=True)) == {
        "view_checkedlink",
        "check_links",
    }


def test_an_editor_changes_content_in_a_draft_and_never_straight_to_the_live_site(client, editor):
    centre = Centre.objects.get(slug="taso")
    form = parse(client.get(change_url(centre))).select_one("#content-main form")
    buttons = {button["name"] for button in form.select("input[type=submit]")}
    assert buttons == {"_save_as_draft"}  # no Save, Save and continue, Save and add another
    assert form.find(attrs={"name": "major_change"}) is None
    values = form_values(client.get(change_url(centre)))
    values["name"] = "TASO, renamed"
    assert client.post(change_url(centre), values).status_code == 403  # posted as if it had a Save button
    assert "TASO, renamed" not in text_of(parse(client.get(PAGE_URL)))
    save_as_draft(client, change_url(centre), draft_name="Rename TASO", name="TASO, renamed")
    assert Draft.objects.get().changes.get().state["name"] == "TASO, renamed"
    assert "TASO, renamed" not in text_of(parse(client.get(PAGE_URL)))


def test_an_editor_sees_no_accounts_in_the_admin(client, editor):
    index = text_of(parse(client.get("/admin/")))
    assert "Centres" in index
    assert "Users" not in index
    assert "Groups" not in index


def test_an_editor_cannot_add_users(client, editor):
    assert client.get(add_url(User)).status_code == 403
    response = client.post(
        add_url(User),
        {"username": "accomplice", "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="accomplice").exists()


def test_an_editor_cannot_raise_their_own_rights(client, editor):
    response = client.post(
        change_url(editor),
        {"username": "editor", "is_active": "on", "is_staff": "on", "is_superuser": "on"},
    )
    assert response.status_code == 403
    group = Group.objects.get(name=EDITOR)
    user_permission = Permission.objects.get(codename="add_user")
    assert client.post(change_url(group), {"name": EDITOR, "permissions": [user_permission.pk]}).status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser
    assert not editor.has_perm("auth.add_user")
    assert not group.permissions.filter(pk=user_permission.pk).exists()


def test_an_administrator_adds_an_editor(client, demo):
    client.force_login(staff_member("administrator", ADMINISTRATOR, PASSWORD))
    values = form_values(client.get(add_url(User)))
    values.update({"username": "new-editor", "password1": PASSWORD, "password2": PASSWORD})
    response = client.post(add_url(User), values)
    assert response.status_code == 302, field_errors(response)
    new_editor = User.objects.get(username="new-editor")
    new_editor.groups.add(Group.objects.get(name=EDITOR))
    assert new_editor.has_perm("centres.change_centre")


def log_in(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_admin_login_works(client, editor):
    client.logout()
    response = log_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_the_account_out(client, editor):
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "editor", "a wrong guess")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in text_of(parse(response))
    assert log_in(client, "editor", "a wrong guess").status_code == 429
    # Locked out: even the right password is refused now.
    response = log_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert text_of(parse(response).find("h1")) == "Too many failed sign-in attempts"
    assert client.get("/admin/").status_code == 302


def test_a_lockout_is_for_that_account_only(client, editor):
    client.logout()
    staff_member("colleague", EDITOR, PASSWORD)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editor", "a wrong guess")
    assert log_in(client, "colleague", PASSWORD).status_code == 302


def test_a_success_clears_earlier_failures(client, editor):
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "editor", "a wrong guess")
    assert log_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "editor", "a wrong guess")
    assert log_in(client, "editor", PASSWORD).status_code == 302
