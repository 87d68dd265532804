"""The admin site: content first on its front page, drafts next, accounts and lockout records after."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class NetworkAdminSite(admin.AdminSite):
    site_header = "What Works Network publishing"
    site_title = "What Works Network publishing"
    index_title = "Content"
    # Apps in the order staff use them; any other app (accounts, lockouts) follows, by name.
    content_apps = ["network", "centres", "updates", "drafts", "redirects"]

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {label: number for number, label in enumerate(self.content_apps)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(rank)))

    def admin_view(self, view, cacheable=False):
        # Content screens show and save the draft that the member of staff works in (drafts/working.py).
        from drafts.working import in_working_draft  # this module is loaded before the apps' models

        return super().admin_view(in_working_draft(view), cacheable)


class NetworkAdminConfig(AdminConfig):
    default_site = "network.admin_site.NetworkAdminSite"
