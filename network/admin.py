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
