"""Scheduled publishing across processes: at a draft's minute, real server processes on one
database each serve it live on their first request, and it is published exactly once, however
many requests or `publish_scheduled` commands race for it.

time-machine cannot reach into another process, so these tests use the real clock: a draft is
scheduled a few seconds ahead (through the model, which takes any moment; the admin's form asks for
a whole minute), and the racers are all released at that moment. Every request and command that
starts at or after it must find the draft published, and the database must hold one publication.
"""

import concurrent.futures
import datetime
import json
import subprocess
import sys
import time

import pytest

from tests.servers import (
    PROJECT,
    STAFF,
    Browser,
    gunicorn,
    heading,
    manage,
    new_database,
    prepare_demo_database,
    server_environment,
)

# Real servers and processes: `make test-quick` leaves these out.
pytestmark = pytest.mark.drill

SECONDS_AHEAD = 5  # time enough to set up the draft and the racers before it is due
NEW_TITLE = "The What Works Network, as scheduled"

# Run in a server's database (`manage.py shell`): drafts by the staff account, submitted, then reviewed
# and scheduled for MOMENT by a second publisher. The first changes the page's title; each other one a
# centre's website, so that none conflicts with another.
SCHEDULE_DRAFTS = """
import datetime
from django.contrib.auth import get_user_model
from centres.models import Centre
from drafts.models import Draft
from drafts.records import snapshot
from network.models import Page

users = get_user_model().objects
author = users.get(username={author!r})
reviewer = users.create_superuser("reviewer", "reviewer@example.org", "a long passphrase")
moment = datetime.datetime.fromisoformat({moment!r})
page = Page.objects.get()
records = [(page, "title", {title!r})] + [
    (centre, "website", f"https://{{centre.slug}}.example") for centre in Centre.objects.order_by("pk")[: {count} - 1]
]
for number, (record, field, value) in enumerate(records):
    draft = Draft(name=f"Scheduled draft {{number}}", created_by=author)
    draft.keep(type(record), record.pk, {{**snapshot(record), field: value}}, author)
    draft.submit(author)
    draft.schedule(reviewer, moment, f"Change note {{number}}.")
"""

# What the database holds afterwards: for each draft, its status and how many times it was published
# at its scheduled time; and how many of the audit trail's versions and change notes say so.
PUBLICATIONS = """
import json
from centres.models import Centre
from drafts.models import Draft, DraftEvent
from network.models import Page
from updates.models import PageUpdate

scheduled = "Published at its scheduled time"
print(json.dumps({
    "drafts": [
        [draft.name, draft.status, draft.events.filter(action=DraftEvent.Action.PUBLISHED_AS_SCHEDULED).count()]
        for draft in Draft.objects.order_by("pk")
    ],
    "versions": Page.history.filter(history_change_reason__startswith=scheduled).count()
    + Centre.history.filter(history_change_reason__startswith=scheduled).count(),
    "notes": sorted(PageUpdate.objects.filter(note__startswith="Change note").values_list("note", flat=True)),
}))
"""

# A command process that is ready (Django set up) before the moment, then runs the command at it.
COMMAND_AT_THE_MOMENT = """
import time
from django.core.management import call_command
time.sleep(max(0, {moment} - time.time()))
call_command("publish_scheduled")
"""


def schedule_drafts(database_url, count=1):
    """Schedule `count` drafts for SECONDS_AHEAD from now; returns the moment (seconds since the epoch)."""
    moment = time.time() + SECONDS_AHEAD
    code = SCHEDULE_DRAFTS.format(
        author=STAFF["username"],
        moment=datetime.datetime.fromtimestamp(moment, datetime.UTC).isoformat(),
        title=NEW_TITLE,
        count=count,
    )
    manage(database_url, "shell", "--no-imports", "-c", code)
    assert time.time() < moment, "setting up took longer than SECONDS_AHEAD"
    return moment


def publications(database_url):
    return json.loads(manage(database_url, "shell", "--no-imports", "-c", PUBLICATIONS))


def published_once(count):
    return {
        "drafts": [[f"Scheduled draft {number}", "published", 1] for number in range(count)],
        "versions": count,
        "notes": [f"Change note {number}." for number in range(count)],
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A database with the demo content and a staff account, on SQLite (a file) or PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
        prepare_demo_database(url)
        yield url
    else:
        with new_database() as url:
            prepare_demo_database(url)
            yield url


def test_two_servers_show_it_from_its_minute_and_publish_it_once(database_url):
    with gunicorn(database_url) as first, gunicorn(database_url) as second:
        browser = Browser()
        assert heading(browser, first) == heading(browser, second) == "What Works Network"  # both have cached it
        moment = schedule_drafts(database_url)
        for server in (first, second):
            shown = heading(browser, server)
            if time.time() < moment:  # answered before the minute: the live page, as it was
                assert shown == "What Works Network"
        time.sleep(max(0, moment - time.time()))
        # Every request from here on is at or after the minute: both servers, many at once.
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            shown = list(pool.map(lambda server: heading(Browser(), server), [first, second] * 8))
        assert shown == [NEW_TITLE] * 16
    assert publications(database_url) == published_once(1)


def test_commands_run_at_once_on_several_machines_publish_each_draft_once(database_url):
    count = 4
    moment = schedule_drafts(database_url, count)
    commands = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", COMMAND_AT_THE_MOMENT.format(moment=moment)],
            cwd=PROJECT,
            env=server_environment(database_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [command.communicate(timeout=60) for command in commands]
    assert [command.returncode for command in commands] == [0, 0, 0], outputs
    reported = [line for out, _err in outputs for line in out.splitlines() if line.startswith("Published")]
    assert sorted(line.split(" (")[0] for line in reported) == [
        f"Published “Scheduled draft {number}”" for number in range(count)
    ]
    assert publications(database_url) == published_once(count)
    assert manage(database_url, "publish_scheduled") == "No scheduled draft is due.\n"
