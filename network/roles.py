"""Staff roles: editors change the site's content in drafts and submit them for review, read
readers' feedback, and look at and run the link checks; publishers also review, publish and force
publish drafts; administrators also manage staff accounts and may delete feedback.

The groups are created by a data migration and kept current after every `migrate` (and after
a test database is flushed), so a content model added later is editable by editors at once.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

EDITOR = "Editor"
PUBLISHER = "Publisher"
ADMINISTRATOR = "Administrator"
# What makes a publisher: the permission to publish a draft (a second pair of eyes on it).
PUBLISH_PERMISSION = ("drafts", "publish_draft")
# The apps whose records are the site's content. Users, groups and permissions are not in them.
CONTENT_APPS = ["centres", "network", "updates"]
# What editors work with: the content, and the drafts of changes to it.
EDITOR_APPS = [*CONTENT_APPS, "drafts"]
# What editors and publishers may do beyond the content, by app: read, and only read, the redirects
# the site keeps when a slug changes (network/addresses.py) and readers' feedback (feedback/), which
# they may download; read the link checks (links/) and run one, which writes them.
BEYOND_CONTENT = {
    "redirects": ["view_redirect"],
    "feedback": ["view_feedback"],
    "links": ["view_checkedlink", "check_links"],
}


def grant_role_permissions(apps, using=DEFAULT_DB_ALIAS):
    """Create the groups if missing and give them their permissions; staff's additions are kept."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.using(using)
    app_label, codename = PUBLISH_PERMISSION
    publishing = permissions.filter(content_type__app_label=app_label, codename=codename)
    content = permissions.filter(content_type__app_label__in=EDITOR_APPS)
    editor, _ = Group.objects.using(using).get_or_create(name=EDITOR)
    editor.permissions.add(*content.exclude(pk__in=publishing))
    editor.permissions.remove(*publishing)  # editors draft and submit; a publisher publishes
    publisher, _ = Group.objects.using(using).get_or_create(name=PUBLISHER)
    publisher.permissions.add(*content)
    for app_label, codenames in BEYOND_CONTENT.items():
        granted = permissions.filter(content_type__app_label=app_label, codename__in=codenames)
        for group in (editor, publisher):
            group.permissions.add(*granted)
    administrator, _ = Group.objects.using(using).get_or_create(name=ADMINISTRATOR)
    administrator.permissions.add(*permissions.all())


def grant_after_migrate(sender, app_config, using, apps=global_apps, **kwargs):
    # Permissions of a content app exist only once its own post_migrate has run. `flush` sends
    # the signal without `apps`: then the project's own registry is the one to use.
    if app_config.label in [*EDITOR_APPS, *BEYOND_CONTENT]:
        grant_role_permissions(apps, using)
