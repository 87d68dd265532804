"""The version of a record an admin form shows, so that a save over someone else's later change is refused."""

import datetime
import hashlib
import json

from django.apps import apps
from django.utils import timezone
from django.utils.text import capfirst


def record_key(record):
    return f"{record._meta.label_lower} {record.pk}"


def fingerprint(record):
    """Each field's value as the database holds it, hashed short: {field name: hash}."""
    return {
        field.name: hashlib.sha256(field.value_to_string(record).encode()).hexdigest()[:12]
        for field in record._meta.concrete_fields
        if not field.primary_key
    }


class RecordVersion:
    """A record and its inline records (a centre's memberships) as the database held them at one moment.

    It travels in a form as text (`str`): when it was read, and a fingerprint of each record.
    """

    def __init__(self, read_at, fingerprints, records=None):
        self.read_at = read_at
        self.fingerprints = fingerprints  # {"centres.membership 7": {"end_date": "1a2b3c4d5e6f", …}, …}
        self.records = records or {}  # the records read, by the same keys (none for a version parsed from a form)

    @classmethod
    def read(cls, querysets, lock=False):
        """The records of `querysets` as the database holds them now; `lock` locks their rows until the
        transaction ends (where the database can), so that nobody changes them between this check and the save."""
        records = {}
        for queryset in querysets:
            if lock:
                queryset = queryset.select_for_update()
            records.update((record_key(record), record) for record in queryset.order_by("pk"))
        fingerprints = {key: fingerprint(record) for key, record in records.items()}
        return cls(timezone.now(), fingerprints, records)

    @classmethod
    def parse(cls, text):
        """The version a form was shown with, from its text; None if it is missing or not one."""
        try:
            data = json.loads(text)
            return cls(datetime.datetime.fromisoformat(data["read_at"]), dict(data["records"]))
        except (TypeError, ValueError, KeyError):
            return None

    def __str__(self):
        return json.dumps({"read_at": self.read_at.isoformat(), "records": self.fingerprints}, separators=(",", ":"))

    def matches(self, other):
        return other is not None and self.fingerprints == other.fingerprints

    def changes_since(self, shown):
        """What differs from the version `shown`, in the admin's words: the record's changed fields
        ("Website"; it is the first read), then its inline records' ("Membership “…”: End date"), added and deleted."""
        changes = []
        for position, (key, fields) in enumerate(self.fingerprints.items()):
            record = self.records[key]
            name = capfirst(record._meta.verbose_name)
            before = shown.fingerprints.get(key)
            if before is None:
                changes.append(f"{name} “{record}” added")
                continue
            labels = [
                capfirst(record._meta.get_field(field).verbose_name)
                for field, digest in fields.items()
                if digest != before.get(field)
            ]
            if labels:
                changes.append(", ".join(labels) if position == 0 else f"{name} “{record}”: {', '.join(labels)}")
        for key in sorted(shown.fingerprints.keys() - self.fingerprints.keys()):
            label, _pk = key.split(" ")
            changes.append(f"A {apps.get_model(label)._meta.verbose_name} deleted")
        return changes
