"""An SQLite database writes ahead to a log, so the server's worker processes read while one writes.

The journal mode is kept in the database file, so it is set once here rather than on every
connection (where setting it costs more than serving a cached page).
"""

from django.db import migrations


def use_write_ahead_logging(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")


class Migration(migrations.Migration):
    # SQLite cannot change its journal mode inside a transaction.
    atomic = False

    dependencies = [("network", "0003_staff_roles")]

    operations = [migrations.RunPython(use_write_ahead_logging, migrations.RunPython.noop)]
