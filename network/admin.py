from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib import admin
from django.db import models

from network.models import Page, Section
from updates.admin import MajorChangeAdmin


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "heading", "body"]


@admin.register(Page)
class PageAdmin(MajorChangeAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "slug", "organisation_name"]
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
    ]
    inlines = [SectionInline]

    def changed_pages(self, page):
        return [page]


@admin.register(Section)
class SectionAdmin(MajorChangeAdmin):
    list_display = ["heading", "page", "position"]
    list_filter = ["page"]
    list_select_related = ["page"]
    search_fields = ["heading", "body"]
    ordering = ["page", "position"]

    def changed_pages(self, section):
        return [section.page]


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
