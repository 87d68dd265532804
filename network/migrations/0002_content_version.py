"""The content version: one row that triggers on every content table rewrite (network/content_version.py)."""

from django.db import migrations, models

from network.content_version import CONTENT_TABLES, add_triggers, remove_triggers


def forwards(apps, schema_editor):
    add_triggers(schema_editor, CONTENT_TABLES)


def backwards(apps, schema_editor):
    remove_triggers(schema_editor, CONTENT_TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("centres", "0002_membership_no_overlap"),
        ("updates", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
