"""A content version kept by the database itself, for exact page caching.

Every public page is built only from the content tables listed in the migrations that call
`add_triggers`. Triggers on those tables replace the single row of `network_contentversion` with a
fresh random token whenever any of them changes, in the same transaction as the change. So the
token changes for every kind of write, whichever process makes it: an admin save, a management
command, `loaddata`, `QuerySet.update()`, raw SQL, or a `TRUNCATE` on PostgreSQL. Signals in
Python would miss the last four, and a per-process flag would miss other processes.

The token is random rather than a counter so that it never repeats: a database that is emptied
(Django's test flush, or a restore) and refilled cannot bring back a token that an older page is
cached under. Reading it is one indexed single-row query per request (see `ContentVersion`).

SQLite carries out many schema changes (a changed column, a new constraint) by building a new
table and dropping the old one, and its triggers with it: a migration that changes a content
table calls `add_triggers_again` for it afterwards, and before its schema changes for the way
back (tests/test_migrations.py fails until it does).
"""

from django.apps import apps
from django.dispatch import Signal

TABLE = "network_contentversion"

# Sent when a request finds that the content's next scheduled change is due (the content version's
# `next_change_at` has passed): receivers make every change that is due, then note when the next
# one is (`ContentVersion.objects.note_next_change`). The drafts app publishes scheduled drafts.
scheduled_change_due = Signal()
FUNCTION = "network_bump_content_version"

# Replace the one row's token with a new random one, creating the row if it is missing.
BUMP = {
    "sqlite": (
        f"INSERT INTO {TABLE} (id, token) VALUES (1, lower(hex(randomblob(16)))) "
        "ON CONFLICT (id) DO UPDATE SET token = excluded.token"
    ),
    "postgresql": (
        f"INSERT INTO {TABLE} (id, token) VALUES (1, replace(gen_random_uuid()::text, '-', '')) "
        "ON CONFLICT (id) DO UPDATE SET token = excluded.token"
    ),
}


def trigger_name(table, event=""):
    return f"{table}_content_version{'_' + event.lower() if event else ''}"


def add_triggers(schema_editor, tables):
    """Make every write to `tables` give the content a new version, and give it one now."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # One bump per statement, however many rows it touches.
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {BUMP[vendor]}; RETURN NULL; END $$"
        )
        for table in tables:
            schema_editor.execute(
                f"CREATE TRIGGER {trigger_name(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
            )
    elif vendor == "sqlite":
        # SQLite has only row-level triggers: one per event.
        for table in tables:
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {trigger_name(table, event)} AFTER {event} ON {table} BEGIN {BUMP[vendor]}; END"
                )
    else:
        raise NotImplementedError(f"No content version triggers for {vendor}")
    schema_editor.execute(BUMP[vendor])


def remove_triggers(schema_editor, tables):
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)} ON {table}")
        else:
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table, event)}")


def add_triggers_again(schema_editor, tables):
    """After a schema change to content tables, which SQLite may have rebuilt without their triggers
    while PostgreSQL kept them: the triggers as `add_triggers` makes them, on either database."""
    remove_triggers(schema_editor, tables)
    add_triggers(schema_editor, tables)


def content_models():
    """Every model a public page is built from, parents before the models that refer to them.

    Each model of the content apps, except the content version (written by the database itself)
    and the audit trail's historical records (written with each change).
    """
    # Imported here: the migrations import this module before the apps are ready.
    from simple_history.models import HistoricalChanges

    from network.models import ContentVersion
    from network.roles import CONTENT_APPS

    models = [
        model
        for app in CONTENT_APPS
        for model in apps.get_app_config(app).get_models()
        if model is not ContentVersion and not issubclass(model, HistoricalChanges)
    ]
    ordered = []  # parents first
    while models:
        ready = [model for model in models if not set(parents(model)) - set(ordered) - {model}]
        if not ready:
            raise ValueError(f"Content models that refer to each other in a circle: {models}")
        ordered += ready
        models = [model for model in models if model not in ready]
    return ordered


def parents(model):
    return [field.related_model for field in model._meta.concrete_fields if field.many_to_one]
