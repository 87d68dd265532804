"""On PostgreSQL, refuse two memberships of one centre that share a day.

An exclusion constraint over each centre's [start, end) date ranges. It is deferred to the end
of the transaction so that one admin save may move two memberships' dates past each other.
SQLite cannot express this rule; there the admin's forms enforce it.
"""

from django.db import migrations

CONSTRAINT = "membership_no_overlap_per_centre"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE centres_membership ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(centre_id WITH =, daterange(start_date, end_date, '[)') WITH &&) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE centres_membership DROP CONSTRAINT {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("centres", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, remove_constraint)]
