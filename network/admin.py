from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib import admin
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from network.forms import PageForm
from network.models import HelpPage, Page, Section
from updates.admin import STAFF_FORM_FIELDS, AuditedAdmin, MajorChangeAdmin, MoveUpDownAdmin


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    formfield_overrides = STAFF_FORM_FIELDS
    # New sections go last; "Order sections" moves them.
    fields = ["heading", "body"]


@admin.register(Page)
class PageAdmin(MajorChangeAdmin):
    form = PageForm
    list_display = ["title", "slug", "organisation_name", "withdrawn_on"]
    search_fields = ["title", "summary", "sections__heading", "sections__body"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "document_type", "summary"]}),
        ("Publisher", {"fields": ["organisation_name", "organisation_url"]}),
        (
            "Centres table",
            {
                "fields": ["table_caption", "centre_column_heading", "policy_area_column_heading"],
                "description": "The table's rows come from current memberships. Place it in a section's text with {centres_table}.",
            },
        ),
        (
            "Withdrawal",
            {
                "fields": ["withdrawn_on", "withdrawal_explanation"],
                "description": (
                    "Withdraw a page that is no longer current, as GOV.UK does: it stays at its address, with "
                    "“This guidance was withdrawn on …” and the explanation at the top, and “[Withdrawn]” "
                    "before its title in browser tabs and search results; its feed and JSON say so too. "
                    "Enter both fields to withdraw it, clear both to undo. Save as draft to have it checked first."
                ),
            },
        ),
    ]
    inlines = [SectionInline]
    related_histories = ["sections"]

    def changed_pages(self, page):
        return [page]

    def object_tools(self, request, obj=None):
        return [("Order sections", sections_order_url(obj))] if obj else []


def sections_order_url(page):
    return reverse("admin:network_section_order", kwargs={"page_id": page.pk})


@admin.register(Section)
class SectionAdmin(MoveUpDownAdmin, MajorChangeAdmin):
    list_display = ["heading", "page", "position"]
    list_filter = ["page"]
    list_select_related = ["page"]
    search_fields = ["heading", "body"]
    ordering = ["page", "position"]

    def changed_pages(self, section):
        return [section.page]

    def object_tools(self, request, obj=None):
        pages = [obj.page] if obj else Page.objects.all()
        return [(f"Order sections of “{page}”", sections_order_url(page)) for page in pages]

    def get_urls(self):
        order = path("order/<int:page_id>/", self.admin_site.admin_view(self.order_view), name="network_section_order")
        return [order, *super().get_urls()]

    def order_groups(self, request, page_id):
        return [(None, get_object_or_404(Page, pk=page_id).sections.order_by("position", "pk"))]

    def order_title(self, request, page_id):
        return f"Order sections of “{get_object_or_404(Page, pk=page_id)}”"


@admin.register(HelpPage)
class HelpPageAdmin(AuditedAdmin):
    """The site's pages about itself (accessibility, privacy, cookies). They have no change notes:
    "Updates to this page" is the guidance's; a help page says when it was last updated."""

    list_display = ["title", "slug", "position"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "summary", "body", "position"]


# django-axes' own admin registers access attempts (importing it above makes sure it has); this one
# adds the action administrators look for when a colleague is locked out.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAdmin(AccessAttemptAdmin):
    actions = [*AccessAttemptAdmin.actions, "unlock"]

    @admin.action(description="Unlock: let these user names log in again from these addresses", permissions=["delete"])
    def unlock(self, request, queryset):
        attempts = list(queryset.values_list("username", "ip_address"))
        for username, ip_address in attempts:
            reset(ip=ip_address, username=username)
        names = ", ".join(sorted({username for username, _ip_address in attempts}))
        self.message_user(request, f"Unlocked {names}: they can log in again now.")
