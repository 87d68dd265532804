"""A centre's and a policy area's slugs say that changing them keeps the old address, and are short enough
for its redirect.

No change to the database: help text and a validator (SLUG_LIMIT in network/validators.py).
"""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0002_membership_no_overlap"),
    ]

    operations = [
        migrations.AlterField(
            model_name="centre",
            name="slug",
            field=models.SlugField(
                help_text="Used in web addresses. Lower case, numbers and hyphens. If you change it, the old address redirects to the new one.",
                max_length=200,
                unique=True,
                validators=[
                    django.core.validators.MaxLengthValidator(170, message="The slug must be 170 characters or fewer.")
                ],
            ),
        ),
        migrations.AlterField(
            model_name="historicalcentre",
            name="slug",
            field=models.SlugField(
                help_text="Used in web addresses. Lower case, numbers and hyphens. If you change it, the old address redirects to the new one.",
                max_length=200,
                validators=[
                    django.core.validators.MaxLengthValidator(170, message="The slug must be 170 characters or fewer.")
                ],
            ),
        ),
        migrations.AlterField(
            model_name="historicalpolicyarea",
            name="slug",
            field=models.SlugField(
                help_text="Used in web addresses. Lower case, numbers and hyphens. If you change it, the old address redirects to the new one.",
                max_length=200,
                validators=[
                    django.core.validators.MaxLengthValidator(170, message="The slug must be 170 characters or fewer.")
                ],
            ),
        ),
        migrations.AlterField(
            model_name="policyarea",
            name="slug",
            field=models.SlugField(
                help_text="Used in web addresses. Lower case, numbers and hyphens. If you change it, the old address redirects to the new one.",
                max_length=200,
                unique=True,
                validators=[
                    django.core.validators.MaxLengthValidator(170, message="The slug must be 170 characters or fewer.")
                ],
            ),
        ),
    ]
