"""A page can be withdrawn: the day and an explanation, both or neither.

SQLite adds the constraint (and the text column) by rebuilding the page table, which drops the
table's content-version triggers, so they are added again after the change, and again after it
is undone (the first operation runs last on the way back).
"""

import django.core.validators
from django.db import migrations, models

import network.placeholders
from network.content_version import add_triggers_again


def add_page_triggers_again(apps, schema_editor):
    add_triggers_again(schema_editor, ["network_page"])


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0005_page_slug_keeps_old_addresses"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, add_page_triggers_again),
        migrations.AddField(
            model_name="historicalpage",
            name="withdrawal_explanation",
            field=models.TextField(
                blank=True,
                help_text="Why the page was withdrawn and where readers should go instead, shown under the notice. Markdown: a blank line between paragraphs, [link text](https://address) for links. Required with the date.",
                validators=[
                    django.core.validators.MaxLengthValidator(
                        1000, message="The withdrawal explanation must be 1,000 characters or fewer."
                    ),
                    network.placeholders.validate_no_placeholders,
                ],
            ),
        ),
        migrations.AddField(
            model_name="historicalpage",
            name="withdrawn_on",
            field=models.DateField(
                blank=True,
                help_text="The day the page was withdrawn: today or an earlier day. Leave empty while the page is current.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="withdrawal_explanation",
            field=models.TextField(
                blank=True,
                help_text="Why the page was withdrawn and where readers should go instead, shown under the notice. Markdown: a blank line between paragraphs, [link text](https://address) for links. Required with the date.",
                validators=[
                    django.core.validators.MaxLengthValidator(
                        1000, message="The withdrawal explanation must be 1,000 characters or fewer."
                    ),
                    network.placeholders.validate_no_placeholders,
                ],
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="withdrawn_on",
            field=models.DateField(
                blank=True,
                help_text="The day the page was withdrawn: today or an earlier day. Leave empty while the page is current.",
                null=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="page",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("withdrawal_explanation", ""), ("withdrawn_on__isnull", True)),
                    models.Q(("withdrawn_on__isnull", False), models.Q(("withdrawal_explanation", ""), _negated=True)),
                    _connector="OR",
                ),
                name="page_withdrawn_with_explanation",
                violation_error_message="A withdrawn page has both the day it was withdrawn and an explanation.",
            ),
        ),
        migrations.RunPython(add_page_triggers_again, migrations.RunPython.noop),
    ]
