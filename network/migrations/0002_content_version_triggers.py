"""The content version's triggers on every content table (network/content_version.py).

A migration adding a content table later calls add_triggers for it too; tests/test_migrations.py
fails until it does.
"""

from django.db import migrations

from network.content_version import add_triggers, remove_triggers

# Every table a public page is built from.
CONTENT_TABLES = [
    "network_page",
    "network_section",
    "centres_centre",
    "centres_policyarea",
    "centres_membership",
    "updates_pageupdate",
]


def forwards(apps, schema_editor):
    add_triggers(schema_editor, CONTENT_TABLES)


def backwards(apps, schema_editor):
    remove_triggers(schema_editor, CONTENT_TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("centres", "0001_initial"),
        ("updates", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
