"""Readers' feedback in the admin: read, filtered and downloaded, never edited."""

from django.contrib import admin
from django.utils import timezone
from django.utils.text import Truncator

from centres.export import as_text, csv_download
from feedback.models import Feedback

CSV_HEADER = ["sent (UK time)", "page", "kind", "what they were doing", "what went wrong"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "path", "kind", "excerpt"]
    list_filter = ["kind", "path"]
    date_hierarchy = "created_at"
    search_fields = ["path", "what_doing", "what_wrong"]
    actions = ["download_csv"]

    # Nobody adds to or edits a reader's words; whoever may delete feedback (administrators) may.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Report")
    def excerpt(self, feedback):
        return Truncator(" — ".join(text for text in [feedback.what_doing, feedback.what_wrong] if text)).chars(80)

    @admin.action(description="Download selected feedback as CSV")
    def download_csv(self, request, queryset):
        rows = [
            [
                as_text(cell)
                for cell in [
                    f"{timezone.localtime(feedback.created_at):%Y-%m-%d %H:%M:%S}",
                    feedback.path,
                    feedback.get_kind_display(),
                    feedback.what_doing,
                    feedback.what_wrong,
                ]
            ]
            for feedback in queryset
        ]
        return csv_download("feedback.csv", rows, header=CSV_HEADER)
