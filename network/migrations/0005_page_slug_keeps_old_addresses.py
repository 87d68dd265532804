"""A page's slug says that changing it keeps the old addresses, and is short enough for their redirects.

No change to the database: help text and a validator (SLUG_LIMIT in network/validators.py).
"""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_sqlite_write_ahead_logging"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalpage",
            name="slug",
            field=models.SlugField(
                help_text="The page&#x27;s address: /guidance/&lt;slug&gt;. If you change it, the old address and those of its feed, history and data redirect to the new ones.",
                max_length=200,
                validators=[
                    django.core.validators.MaxLengthValidator(170, message="The slug must be 170 characters or fewer.")
                ],
            ),
        ),
        migrations.AlterField(
            model_name="page",
            name="slug",
            field=models.SlugField(
                help_text="The page&#x27;s address: /guidance/&lt;slug&gt;. If you change it, the old address and those of its feed, history and data redirect to the new ones.",
                max_length=200,
                unique=True,
                validators=[
                    django.core.validators.MaxLengthValidator(170, message="The slug must be 170 characters or fewer.")
                ],
            ),
        ),
    ]
