"""A page names the GOV.UK page it reproduces (its source address, https only), and has related links.

The related links are a content table: it gets the content version's triggers. SQLite adds the
page's constraint by rebuilding the page table, which drops that table's triggers, so they are
added again after the change, and again after it is undone (the first operation runs last on the
way back).
"""

import django.core.validators
import django.db.models.deletion
import network.placeholders
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from network.content_version import add_triggers, add_triggers_again, remove_triggers


def add_page_triggers_again(apps, schema_editor):
    add_triggers_again(schema_editor, ["network_page"])


def add_related_link_triggers(apps, schema_editor):
    add_triggers(schema_editor, ["network_relatedlink"])


def remove_related_link_triggers(apps, schema_editor):
    remove_triggers(schema_editor, ["network_relatedlink"])


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0008_help_pages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, add_page_triggers_again),
        migrations.CreateModel(
            name="HistoricalRelatedLink",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Lower numbers come first. Leave empty to put a new link last; “Order related links” on the page moves links up and down.",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="The link's text: the linked page's title.",
                        max_length=200,
                        validators=[network.placeholders.validate_no_placeholders],
                    ),
                ),
                (
                    "address",
                    models.URLField(
                        help_text="Where the link leads.",
                        max_length=500,
                        validators=[
                            django.core.validators.URLValidator(
                                message="Enter a web address starting https:// or http://.", schemes=["http", "https"]
                            )
                        ],
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
            ],
            options={
                "verbose_name": "historical related link",
                "verbose_name_plural": "historical related links",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="RelatedLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Lower numbers come first. Leave empty to put a new link last; “Order related links” on the page moves links up and down.",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="The link's text: the linked page's title.",
                        max_length=200,
                        validators=[network.placeholders.validate_no_placeholders],
                    ),
                ),
                (
                    "address",
                    models.URLField(
                        help_text="Where the link leads.",
                        max_length=500,
                        validators=[
                            django.core.validators.URLValidator(
                                message="Enter a web address starting https:// or http://.", schemes=["http", "https"]
                            )
                        ],
                    ),
                ),
            ],
            options={
                "ordering": ["position", "pk"],
            },
        ),
        migrations.AddField(
            model_name="historicalpage",
            name="source_address",
            field=models.URLField(
                blank=True,
                help_text="The address of the page on GOV.UK that this page reproduces (https:// only): the page names it as its source, with a link. Leave empty for a page that reproduces none.",
                max_length=500,
                validators=[
                    django.core.validators.URLValidator(
                        code="not_https", message="Enter a web address starting https://.", schemes=["https"]
                    )
                ],
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="source_address",
            field=models.URLField(
                blank=True,
                help_text="The address of the page on GOV.UK that this page reproduces (https:// only): the page names it as its source, with a link. Leave empty for a page that reproduces none.",
                max_length=500,
                validators=[
                    django.core.validators.URLValidator(
                        code="not_https", message="Enter a web address starting https://.", schemes=["https"]
                    )
                ],
            ),
        ),
        migrations.AddConstraint(
            model_name="page",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("source_address__istartswith", "https://"), ("source_address", ""), _connector="OR"
                ),
                name="page_source_address_is_https",
                violation_error_message="Enter a web address starting https://.",
            ),
        ),
        migrations.AddField(
            model_name="historicalrelatedlink",
            name="history_user",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="historicalrelatedlink",
            name="page",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="network.page",
            ),
        ),
        migrations.AddField(
            model_name="relatedlink",
            name="page",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="related_links", to="network.page"
            ),
        ),
        migrations.AddConstraint(
            model_name="relatedlink",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("address__istartswith", "http://"), ("address__istartswith", "https://"), _connector="OR"
                ),
                name="relatedlink_address_is_http",
                violation_error_message="Enter a web address starting https:// or http://.",
            ),
        ),
        migrations.AddConstraint(
            model_name="relatedlink",
            constraint=models.UniqueConstraint(
                fields=("page", "address"),
                name="relatedlink_unique_address_per_page",
                violation_error_message="This page already has a related link to this address.",
            ),
        ),
        migrations.AddConstraint(
            model_name="relatedlink",
            constraint=models.UniqueConstraint(
                fields=("page", "position"),
                name="relatedlink_unique_position_per_page",
                violation_error_message="This page already has a related link at this position. Choose another number, or use “Order related links” on the page to move links up and down.",
            ),
        ),
        migrations.RunPython(add_page_triggers_again, migrations.RunPython.noop),
        migrations.RunPython(add_related_link_triggers, remove_related_link_triggers),
    ]
