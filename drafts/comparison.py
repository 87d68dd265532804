"""What a draft changes, in the words a content designer reads: record by record, field by field,
the live site's value beside the draft's."""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst

from drafts.models import Conflict
from drafts.records import differences, restore
from updates.audit import NO_VALUE, readable_value


@dataclass
class RecordComparison:
    change: object
    verb: str  # "Added", "Changed" or "Deleted"
    kind: str  # the record's kind, "Centre"
    live: str | None  # the record as the live site names it ("Youth Futures Foundation: Affiliate from …")
    draft: str | None  # and as the draft does
    fields: list = field(default_factory=list)  # [(label, live value, draft value)]
    admin_url: str | None = None


def describe(model, state):
    """(the record's name, {field name: its value in words}) for a snapshot of a record."""
    record = restore(model(), state)
    values = {}
    for name in state:
        model_field = model._meta.get_field(name)
        try:
            values[name] = str(readable_value(model_field, getattr(record, model_field.name)))
        except ObjectDoesNotExist:  # a related record that is gone
            values[name] = NO_VALUE
    try:
        name = str(record)
    except ObjectDoesNotExist:
        name = f"{capfirst(model._meta.verbose_name)} {state}"
    return name, values


def compare(draft):
    """Every record the draft changes, as RecordComparison, in the order the admin lists content."""
    changes = draft.change_list()
    # The live site's side is read as it is; an unfinished draft's with the draft applied, so that the
    # records it adds can be named (a membership of a centre the draft adds). A published draft is
    # the live site's now, and a discarded one never will be: neither is applied again.
    live = {change.pk: describe(change.model, change.base) for change in changes if change.base is not None}

    def describe_drafted():
        return {change.pk: describe(change.model, change.state) for change in changes if change.state is not None}

    drafted = draft.run(describe_drafted) if draft.status in draft.UNFINISHED else describe_drafted()
    comparisons = []
    for change in changes:
        model = change.model
        live_name, live_values = live.get(change.pk, (None, {}))
        draft_name, draft_values = drafted.get(change.pk, (None, {}))
        names = differences(change.base, change.state) if change.base and change.state else list(draft_values)
        rows = [
            (
                capfirst(model._meta.get_field(name).verbose_name),
                live_values.get(name, NO_VALUE),
                draft_values.get(name, NO_VALUE),
            )
            for name in names
            if change.base is not None or draft_values.get(name, NO_VALUE) != NO_VALUE
        ]
        verb = "Added" if change.base is None else "Deleted" if change.state is None else "Changed"
        comparisons.append(
            RecordComparison(
                change=change,
                verb=verb,
                kind=capfirst(model._meta.verbose_name),
                live=live_name,
                draft=draft_name,
                fields=rows,
                admin_url=admin_url(model, change.object_pk) if change.state is not None else None,
            )
        )
    return comparisons


def admin_url(model, pk):
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
    except NoReverseMatch:
        return None


def describe_conflicts(conflicts):
    """[(kind, name, what happened on the live site)], in words."""
    described = []
    for conflict in conflicts:
        model = conflict.change.model
        if conflict.kind == Conflict.CHANGED:
            what = ", ".join(capfirst(model._meta.get_field(name).verbose_name) for name in conflict.fields)
        elif conflict.kind == Conflict.DELETED:
            what = "deleted on the live site"
        else:
            what = "added on the live site since; a deletion in this draft would delete it too"
        described.append((capfirst(model._meta.verbose_name), record_name(conflict.change), what))
    return described


def record_name(change):
    """A record's name as the draft has it, or as the live site had it if the draft deletes it."""
    return describe(change.model, change.state or change.base)[0]
