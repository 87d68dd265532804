"""The site's links to other sites in the admin: broken ones first, where each appears, and a
button that checks them all now."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from links.checking import check_links, summary
from links.models import CheckedLink

CHECK_PERMISSION = "links.check_links"


@admin.register(CheckedLink)
class CheckedLinkAdmin(admin.ModelAdmin):
    list_display = ["address_link", "status", "result", "checked_at", "where_it_appears"]
    list_display_links = None
    list_filter = ["status"]
    search_fields = ["address"]
    fields = ["address_link", "status", "result", "checked_at", "where_it_appears"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("appearances__content_type", "appearances__record")

    # The checks write these records; staff look at them and run a check.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="address", ordering="address")
    def address_link(self, link):
        return format_html('<a href="{}" rel="noreferrer">{}</a>', link.address, link.address)

    @admin.display(description="HTTP status or error")
    def result(self, link):
        if link.http_status is None:
            return link.error or "—"
        if link.final_address:
            return format_html("{} at {}", link.http_status, link.final_address)
        return link.http_status

    @admin.display(description="where it appears")
    def where_it_appears(self, link):
        return format_html(
            '<ul class="app-link-appearances">{}</ul>',
            format_html_join("", "<li>{}</li>", ((self.appearance(item),) for item in link.appearances.all())),
        )

    def appearance(self, item):
        page = format_html('<a href="{}">{}</a>', item.page_address, item.page_address)
        if item.record is None:
            return format_html("{} (its record was deleted since the check)", page)
        kind = item.content_type.name
        try:
            admin_url = reverse(
                f"admin:{item.content_type.app_label}_{item.content_type.model}_change", args=[item.object_id]
            )
        except NoReverseMatch:  # a content model without an admin of its own
            return format_html("{} ({} “{}”)", page, kind, item.record)
        return format_html('{} (<a href="{}">{} “{}”</a>)', page, admin_url, kind, item.record)

    def get_urls(self):
        check = path("check/", self.admin_site.admin_view(self.check_view), name="links_checkedlink_check")
        return [check, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": "Links to other sites, broken ones first",
            "may_check_links": request.user.has_perm(CHECK_PERMISSION),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    @method_decorator(require_POST)
    def check_view(self, request):
        if not request.user.has_perm(CHECK_PERMISSION):
            raise PermissionDenied
        self.message_user(request, summary(check_links()), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:links_checkedlink_changelist"))
