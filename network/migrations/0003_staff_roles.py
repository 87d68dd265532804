from django.db import migrations

from network.roles import ADMINISTRATOR, EDITOR, PUBLISHER, grant_role_permissions


def create_roles(apps, schema_editor):
    # On a new database the content permissions do not exist yet; the post_migrate handler in
    # network.apps grants them at the end of the same migrate.
    grant_role_permissions(apps, schema_editor.connection.alias)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, PUBLISHER, ADMINISTRATOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("centres", "0001_initial"),
        ("network", "0002_content_version_triggers"),
        ("updates", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
