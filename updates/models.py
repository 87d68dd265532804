"""The page's change history: dated change notes, as GOV.UK's "Updates to this page"."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from network.models import start_of_day
from network.placeholders import validate_no_placeholders
from network.validators import CHANGE_NOTE_LIMIT, ConstraintErrorsOnFields, max_length


class PageUpdateQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-date", "-pk")

    def published(self, on=None):
        """The updates readers see on a day (today by default): a note dated later is shown from its date on."""
        return self.filter(date__lte=on or timezone.localdate())

    def record_major_change(self, pages, note, on=None):
        """Publish a change note on each page, dated `on` (today by default); returns the pages' updates.

        A change that takes effect on a later day is dated that day, and shown from then on.
        """
        on = on or timezone.localdate()
        return [self.get_or_create(page=page, date=on, note=note)[0] for page in pages]


class PageUpdateManager(models.Manager.from_queryset(PageUpdateQuerySet)):
    def get_by_natural_key(self, page_slug, date, note):
        return self.get(page__slug=page_slug, date=date, note=note)


class PageUpdate(ConstraintErrorsOnFields):
    page = models.ForeignKey("network.Page", on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(help_text="The day the change was published.")
    note = models.TextField(
        "change note",
        help_text='What changed, in a sentence, as readers see it under "Updates to this page".',
        validators=[max_length(CHANGE_NOTE_LIMIT, "A change note"), validate_no_placeholders],
    )

    objects = PageUpdateManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "page update"
        constraints = [
            models.UniqueConstraint(
                fields=["page", "date", "note"],
                name="page_update_unique_note_per_day",
                violation_error_message="This page already has this change note on this date.",
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}: {self.note}"

    def get_absolute_url(self):
        return f"{self.page.get_absolute_url()}#full-history"

    @property
    def public_timestamp(self):
        """When the update was published, as a time: the start of its day, UK time."""
        return start_of_day(self.date)

    def natural_key(self):
        return self.page.natural_key() + (self.date.isoformat(), self.note)

    natural_key.dependencies = ["network.page"]
