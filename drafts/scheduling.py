"""Scheduled publishing: a reviewed draft goes live by itself at the minute its reviewer chose.

Nothing has to run for it. The content version's row keeps when the next scheduled draft is due
(`ContentVersion.next_change_at`), read with the version by every public request and every admin
page; the first of them at or after that minute, in any process on any machine, publishes the due
drafts before it is served (network/caching.py). `manage.py publish_scheduled` does the same for a
deployment that prefers a timer.

Each draft is claimed with a conditional update in the transaction that publishes it
(`Draft.move`), so however many requests and commands find it due at once, it is published
exactly once. One that cannot go live (the live site changed a record it changes, or the
database refused a change) is marked as failed with the reason, and is not tried again.
"""

import logging

from django.utils import timezone

from drafts.comparison import describe_conflicts
from drafts.models import Conflicts, Draft, NotOpen
from drafts.publishing import publish
from drafts.records import ChangeRefused
from drafts.times import UK
from network.models import ContentVersion

logger = logging.getLogger(__name__)


def publish_due_drafts(sender=None, **kwargs):
    """Publish every scheduled draft whose time has come, then note when the next is due; returns
    (the drafts published, the drafts that could not go live). Receives `scheduled_change_due`."""
    published, failed = [], []
    for draft in Draft.objects.due(timezone.now()).select_related("reviewed_by"):
        try:
            # Its change note is dated the day it was scheduled for, however late the first request.
            on = timezone.localdate(draft.scheduled_for, UK)
            publish(draft, draft.reviewed_by, draft.change_note or None, as_scheduled=True, on=on)
        except NotOpen:
            continue  # published by another request or process, or unscheduled, meanwhile
        except Exception as error:  # whatever stops it, it must not be tried again on every request
            if draft.mark_failed(failure_reason(error)):
                logger.error(
                    "The draft “%s” (%s) could not go live at %s: %s",
                    draft,
                    draft.pk,
                    draft.scheduled_time,
                    draft.failure,
                    exc_info=not isinstance(error, Conflicts | ChangeRefused),
                )
                failed.append(draft)
            continue
        published.append(draft)
    ContentVersion.objects.note_next_change(Draft.objects.next_scheduled_for)
    return published, failed


def failure_reason(error):
    """Why a scheduled draft could not go live, for its page and the admin's front page."""
    if isinstance(error, Conflicts):
        records = "; ".join(f"{kind} {name} ({what})" for kind, name, what in describe_conflicts(error.conflicts))
        return (
            f"Records it changes were changed on the live site after it was scheduled: {records}. "
            "Nothing of it was published. Its author can withdraw it and bring it up to date."
        )
    if isinstance(error, ChangeRefused):
        return f"The database refused one of its changes, so nothing of it was published. {error}"
    return f"Nothing of it was published: {error}"
