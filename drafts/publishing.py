"""Publishing a draft: its changes and, for a major change, its note on the pages that show them, in
one transaction, with the audit trail's reason for each record's new version. The admin's publish
steps and scheduled publishing (drafts/scheduling.py) both go through `publish`."""

import contextlib
from types import SimpleNamespace

from django.contrib import admin
from simple_history.models import HistoricalRecords

from drafts.records import restore
from drafts.times import uk_time
from updates.models import PageUpdate


def publish(draft, user, note, force_reason="", as_scheduled=False, on=None):
    """Publish the draft as `user`, with `note` (None for a minor change) dated `on` (today by
    default); returns the page updates published. Raises as `Draft.publish` does."""
    kind = f"Major change: {note}" if note else "Minor change"
    if as_scheduled:
        how = f"Published at its scheduled time, {uk_time(draft.scheduled_for)}, from"
    elif force_reason:
        how = f"Force published, without a review ({force_reason}), from"
    else:
        how = "Published from"
    published = []

    def reason(change):
        writer = change.changed_by.get_full_name() or change.changed_by.get_username()
        return f"{how} the draft “{draft}”, written by {writer}. {kind}"

    def publish_change_note():
        if note:
            published.extend(PageUpdate.objects.record_major_change(changed_pages(draft), note, on))

    draft.change_note = note or ""
    with written_by(user):
        draft.publish(user, reason, also=publish_change_note, force_reason=force_reason, as_scheduled=as_scheduled)
    return published


def changed_pages(draft):
    """The pages that show the draft's records, as each record's admin says (the draft applied)."""
    pages = {}
    for change in draft.change_list():
        model_admin = admin.site.get_model_admin(change.model)
        if not hasattr(model_admin, "changed_pages"):
            continue
        record = restore(change.model(pk=change.object_pk), change.state or change.base)
        for page in model_admin.changed_pages(record):
            pages[page.pk] = page
    return list(pages.values())


@contextlib.contextmanager
def written_by(user):
    """The audit trail records `user` as the author of the writes in this block, whichever request
    (if any) makes them: a scheduled draft is published by whoever scheduled it, even when a
    reader's request, or another member of staff's, is the first after its time."""
    context = HistoricalRecords.context  # where django-simple-history's middleware keeps the request
    request = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if request is None:
            del context.request
        else:
            context.request = request
