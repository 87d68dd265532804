"""The admin site: content first on its front page, drafts next, accounts and lockout records after."""

import functools

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import BadRequest


class NetworkAdminSite(admin.AdminSite):
    site_header = "What Works Network publishing"
    site_title = "What Works Network publishing"
    index_title = "Content"
    # Apps in the order staff use them; any other app (accounts, lockouts) follows, by name.
    content_apps = ["network", "centres", "updates", "drafts", "redirects", "feedback", "links"]

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {label: number for number, label in enumerate(self.content_apps)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(rank)))

    def index(self, request, extra_context=None):
        # What needs a second pair of eyes, above the content: drafts to review, drafts published
        # without a review, and what goes live by itself (or could not).
        from drafts.models import Draft

        if request.user.has_perm("drafts.view_draft"):
            extra_context = {
                "waiting_for_review": Draft.objects.waiting_for_review().select_related("created_by"),
                "not_yet_reviewed": Draft.objects.force_published_not_reviewed().select_related("finished_by"),
                "scheduled": Draft.objects.scheduled().select_related("reviewed_by"),
                "failed_to_go_live": Draft.objects.failed_to_go_live(),
                **(extra_context or {}),
            }
        return super().index(request, extra_context)

    def admin_view(self, view, cacheable=False):
        # Content screens show and save the draft that the member of staff works in (drafts/working.py).
        from drafts.working import in_working_draft  # this module is loaded before the apps' models

        return super().admin_view(refusing_nul_characters(after_due_changes(in_working_draft(view))), cacheable)


def refusing_nul_characters(view):
    """Wrap an admin view: a query string holding a NUL character is a bad request. Lists filter
    by what the query string says, and PostgreSQL refuses to compare text holding a NUL, so the
    list would otherwise fail with a server error on PostgreSQL (and match nothing on SQLite)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if any("\x00" in text for key, values in request.GET.lists() for text in (key, *values)):
            raise BadRequest("The address holds a NUL character.")
        return view(request, *args, **kwargs)

    return wrapper


def after_due_changes(view):
    """Wrap an admin view: scheduled changes that are due are made first, so staff see the content,
    and the drafts, as the public does (network/caching.py)."""
    from network.caching import make_due_changes
    from network.models import ContentVersion

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        make_due_changes(ContentVersion.objects.current()[1])
        return view(request, *args, **kwargs)

    return wrapper


class NetworkAdminConfig(AdminConfig):
    default_site = "network.admin_site.NetworkAdminSite"
