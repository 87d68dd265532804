"""The migrations: they match the models, and every content table carries the content version's triggers."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from network import content_version
from network.content_version import content_models
from network.models import ContentVersion

# The writes each database's triggers catch: SQLite has no TRUNCATE.
EVENTS = {"sqlite": {"INSERT", "UPDATE", "DELETE"}, "postgresql": {"INSERT", "UPDATE", "DELETE", "TRUNCATE"}}
# pg_trigger.tgtype's bit for each event.
POSTGRESQL_EVENT_BITS = {"INSERT": 4, "DELETE": 8, "UPDATE": 16, "TRUNCATE": 32}


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
