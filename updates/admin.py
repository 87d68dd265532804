from django.contrib import admin

from updates.models import PageUpdate


@admin.register(PageUpdate)
class PageUpdateAdmin(admin.ModelAdmin):
    list_display = ["date", "note", "page"]
    list_filter = ["page"]
    list_select_related = ["page"]
    search_fields = ["note"]
    date_hierarchy = "date"
