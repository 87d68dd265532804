"""The audit trail as staff read it: each version's changes in the admin's words."""

import datetime

from django.utils.text import capfirst
from simple_history.template_utils import HistoricalRecordContextHelper

from centres.models import long_date

# The reason recorded with the version of an object as it was loaded (the demo fixture), kept
# the first time it is changed in the admin; it has no author.
AS_LOADED = "As loaded, before its first change in the admin"
NO_VALUE = "—"


def readable_value(field, value):
    """A stored value as the admin shows it: a choice's label, a date in words, a related object's name."""
    if value is None or value == "":
        return NO_VALUE
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return long_date(value)
    return value


class ReadableChanges(HistoricalRecordContextHelper):
    """Shows each changed field by its label with readable old and new values."""

    def prepare_delta_change_value(self, change, value):
        return readable_value(self.model._meta.get_field(change.field), value)


def related_history(model_admin, request, relation, object_id):
    """The versions of an object's related objects (a centre's memberships), newest first, with their changes.

    `relation` names the reverse relation; objects since deleted are included, as their
    versions still name the parent.
    """
    field = model_admin.model._meta.get_field(relation)
    model = field.related_model
    related_admin = model_admin.admin_site.get_model_admin(model)
    records = list(
        model.history.filter(**{field.field.attname: object_id})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    for pk in {record.id for record in records}:
        related_admin.set_history_delta_changes(request, [record for record in records if record.id == pk])
    return {"name": capfirst(model._meta.verbose_name_plural), "opts": model._meta, "records": records}
