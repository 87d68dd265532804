"""Content records as a draft keeps them, and the writes made while a draft is worked on.

A draft does not keep its own copy of the site. It keeps, for each record it changes, the record's
fields as the live site had them when the draft first changed it (its base) and as the draft has
them now (its state): a record the draft adds has no base, one it deletes has no state. Working in
a draft, previewing it and publishing it all go through the same step: apply those states to the
database inside a transaction, then either roll the transaction back (work and preview) or commit
it (publish). So a draft is always seen exactly as it would be published, built by the same code
that builds the live site.
"""

import contextlib
import contextvars
import json

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F, IntegerField, Max, ProtectedError, UniqueConstraint

from network.content_version import content_models


def snapshot(record):
    """The record's fields, as JSON keeps them (dates as "2013-03-04", foreign keys as primary keys)."""
    fields = serializers.serialize("python", [record])[0]["fields"]
    return json.loads(json.dumps(fields, cls=DjangoJSONEncoder))


def restore(record, state):
    """Set the record's fields to a snapshot's values."""
    for name, value in state.items():
        field = record._meta.get_field(name)
        setattr(record, field.attname, field.to_python(value))
    return record


def differences(base, state):
    """The names of the fields whose values differ between two snapshots of a record."""
    return [name for name in {**(base or {}), **(state or {})} if (base or {}).get(name) != (state or {}).get(name)]


# The writes to content records made in this context: {(model, primary key)}, or None outside `recording_writes`.
written = contextvars.ContextVar("written", default=None)


@contextlib.contextmanager
def recording_writes():
    """Collect the content records saved or deleted in this block (cascades included)."""
    records = set()
    token = written.set(records)
    try:
        yield records
    finally:
        written.reset(token)


def note_write(sender, instance, **kwargs):
    records = written.get()
    if records is not None and sender in content_models():
        records.add((sender, instance.pk))


class ChangeRefused(Exception):
    """The database refused to hold a draft's version of a record (a live record took its name, say)."""

    def __init__(self, change, record, error):
        self.change = change
        super().__init__(f"The {change.model._meta.verbose_name} “{record}”: {error}")


def apply_changes(changes, reason=None):
    """Write each change's state to the database (in the caller's transaction).

    Records a draft adds keep the primary key they were given when the draft added them unless the
    live site has used it since; then they get a new one, and references to them in the draft's
    other records follow. `reason(change)` gives the audit trail's reason for each write. Returns
    {(model, old primary key): new primary key} for the records that got new keys.
    """
    order = {model: rank for rank, model in enumerate(content_models())}
    taken = {
        change
        for change in changes
        if change.is_addition and change.model._default_manager.filter(pk=change.object_pk).exists()
    }
    # Of each model, the records that need new keys come last: the keys they get then are past
    # those of every record the draft adds, so a record never takes another's key.
    changes = sorted(changes, key=lambda change: (order[change.model], change in taken))
    new_keys = {}
    stepped_aside = set()
    for change in changes:
        model, manager = change.model, change.model._default_manager
        if model not in stepped_aside:
            step_aside(model, [change for change in changes if change.model is model and change.base])
            stepped_aside.add(model)
        if change.state is None:
            continue
        if change.base is None:
            record = restore(model(), follow_new_keys(model, change.state, new_keys))
            if change not in taken:
                record.pk = change.object_pk
            go_last_if_taken(record)
            write(change, record, reason, record.save, force_insert=True)
            if record.pk != change.object_pk:
                new_keys[model, change.object_pk] = record.pk
            continue
        record = manager.filter(pk=change.object_pk).first()
        if record is None:
            continue  # deleted on the live site since the draft changed it: publishing reports it
        restore(record, follow_new_keys(model, change.state, new_keys))
        write(change, record, reason, record.save)
    for change in reversed(changes):
        if change.state is None:
            record = change.model._default_manager.filter(pk=change.object_pk).first()
            if record is not None:  # as it was before it stepped aside, for the audit trail
                write(change, restore(record, change.base), reason, record.delete)
    return new_keys


def write(change, record, reason, method, **kwargs):
    if reason is not None:
        record._change_reason = reason(change)  # django-simple-history's documented way to give one
    try:
        # A savepoint of its own: the refusal is named (which reads the database) in a usable transaction.
        with transaction.atomic():
            method(**kwargs)
    except (IntegrityError, ProtectedError) as error:
        raise ChangeRefused(change, record, error) from error


def follow_new_keys(model, state, new_keys):
    state = dict(state)
    for field in model._meta.concrete_fields:
        if field.many_to_one and (field.related_model, state.get(field.name)) in new_keys:
            state[field.name] = new_keys[field.related_model, state[field.name]]
    return state


def unique_orderings(model):
    """[(number field, the fields it is unique with)] of a model's unique orderings: a section's
    position on its page."""
    return [
        (name, [other for other in constraint.fields if other != name])
        for constraint in model._meta.constraints
        if isinstance(constraint, UniqueConstraint)
        for name in constraint.fields
        if isinstance(model._meta.get_field(name), IntegerField)
    ]


def step_aside(model, changes):
    """Move the changed numbers of unique orderings (a page's section positions) past every number in
    use, so that records swapping places, records added in a place and records deleted from one never
    hold the same number while they are written in turn."""
    for name in {name for name, _ in unique_orderings(model)}:
        moved = [change.object_pk for change in changes if change.base.get(name) != (change.state or {}).get(name)]
        if moved:
            aside = (model._default_manager.aggregate(last=Max(name))["last"] or 0) + 1
            model._default_manager.filter(pk__in=moved).update(**{name: F(name) + aside})


def go_last_if_taken(record):
    """Put a record the draft adds after the last of its list if the live site has given its place
    to a record of its own since (a section added to the same page)."""
    manager = type(record)._default_manager
    for name, others in unique_orderings(type(record)):
        attnames = [record._meta.get_field(other).attname for other in others]
        siblings = manager.filter(**{attname: getattr(record, attname) for attname in attnames})
        if siblings.filter(**{name: getattr(record, name)}).exists():
            setattr(record, name, siblings.aggregate(last=Max(name))["last"] + 1)
