"""Failed logins cannot lock staff out for long: a lockout is for one user name from one client
address, the address cannot be forged in a header, and an administrator can unlock an account."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings

from tests.helpers import parse, signed_in, text_of

PASSWORD = "a long passphrase for the editor"
# Behind a load balancer that appends the address it received each request from (CLIENT_IP_HEADER).
BEHIND_A_LOAD_BALANCER = {
    "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR",),
    "AXES_IPWARE_PROXY_COUNT": 0,
    "IPWARE_STRICT": False,
}


@pytest.fixture
def editor(db):
    return User.objects.create_user("editor", password=PASSWORD, is_staff=True)


def log_in(client, password, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    response = client.post("/admin/login/?next=/admin/", {"username": "editor", "password": password}, headers=headers)
    return response.status_code


def lock_out(client, forwarded_for=None):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "a wrong guess", forwarded_for)
    assert log_in(client, PASSWORD, forwarded_for) == 429


def test_an_administrator_unlocks_a_locked_out_account(editor):
    lock_out(Client())

    administrator = signed_in(User.objects.create_superuser("administrator", password="another passphrase"))
    listing = administrator.get("/admin/axes/accessattempt/")
    assert "Unlock: let these user names log in again from these addresses" in text_of(parse(listing))
    attempt = AccessAttempt.objects.get(username="editor")
    response = administrator.post(
        "/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True
    )
    assert "Unlocked editor: they can log in again now." in text_of(parse(response))

    assert log_in(Client(), PASSWORD) == 302


def test_an_editor_cannot_unlock_accounts(editor):
    editor.user_permissions.clear()
    client = signed_in(editor)
    assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_a_forged_header_is_not_taken_for_the_address_by_default(editor):
    """Without CLIENT_IP_HEADER, a new X-Forwarded-For on every try does not escape the lockout."""
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "a wrong guess", f"203.0.113.{attempt}")
    assert log_in(client, PASSWORD, "198.51.100.7") == 429


@override_settings(**BEHIND_A_LOAD_BALANCER)
def test_behind_a_load_balancer_a_lockout_is_for_the_attackers_address_only(editor):
    attacker = Client()
    lock_out(attacker, forwarded_for="203.0.113.9")
    # Writing the staff member's address into the header itself does not make it theirs.
    assert log_in(attacker, PASSWORD, forwarded_for="198.51.100.7, 203.0.113.9") == 429
    # The staff member, through the same load balancer from their own address, logs in.
    assert log_in(Client(), PASSWORD, forwarded_for="198.51.100.7") == 302
