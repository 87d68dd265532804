"""The migrations: they match the models, and every content table carries the content version's triggers."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from simple_history.models import HistoricalChanges

from network import content_version
from network.models import ContentVersion
from network.roles import CONTENT_APPS

# The writes each database's triggers catch: SQLite has no TRUNCATE.
EVENTS = {"sqlite": {"INSERT", "UPDATE", "DELETE"}, "postgresql": {"INSERT", "UPDATE", "DELETE", "TRUNCATE"}}
# pg_trigger.tgtype's bit for each event.
POSTGRESQL_EVENT_BITS = {"INSERT": 4, "DELETE": 8, "UPDATE": 16, "TRUNCATE": 32}


def content_models():
    """Every model a public page is built from: each model of the content apps, except the content
    version itself and the audit trail's historical records. Those are shown only in the admin, and
    each is written in the same transaction as the content change it records, which changes the
    version already."""
    return [
        model
        for app in CONTENT_APPS
        for model in apps.get_app_config(app).get_models()
        if model is not ContentVersion and not issubclass(model, HistoricalChanges)
    ]


def content_version_trigger_events(table):
    """The writes to `table` that fire a trigger giving the content a new version."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
            return {
                event
                for (sql,) in cursor.fetchall()
                if content_version.TABLE in sql
                for event in EVENTS["sqlite"]
                if f"AFTER {event} ON {table}" in sql
            }
        cursor.execute(
            "SELECT t.tgtype FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgrelid = %s::regclass AND p.proname = %s",
            [table, content_version.FUNCTION],
        )
        return {
            event for (tgtype,) in cursor.fetchall() for event, bit in POSTGRESQL_EVENT_BITS.items() if tgtype & bit
        }


def token():
    return ContentVersion.objects.values_list("token", flat=True).get()


@pytest.mark.django_db
def test_the_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits with an error on a difference


def test_the_content_models_include_every_table_the_guidance_page_is_built_from():
    names = {model.__name__ for model in content_models()}
    assert names >= {"Page", "Section", "Centre", "PolicyArea", "Membership", "PageUpdate"}


@pytest.mark.django_db
@pytest.mark.parametrize("model", content_models(), ids=lambda model: model.__name__)
def test_every_write_to_a_content_table_fires_the_content_version_trigger(model):
    assert content_version_trigger_events(model._meta.db_table) == EVENTS[connection.vendor]


@pytest.mark.parametrize("model", content_models(), ids=lambda model: model.__name__)
def test_a_change_to_any_content_table_gives_a_new_content_version(demo, model):
    row = model.objects.order_by("pk").first()
    assert row is not None, f"the demo content has no {model.__name__}"
    before = token()
    model.objects.filter(pk=row.pk).update(id=F("id"))  # a write that changes nothing
    assert token() != before
