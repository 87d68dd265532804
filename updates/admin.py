from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin

from updates.forms import CHANGE_NOTE_FIELDS, ChangeNoteForm, PageUpdateForm
from updates.models import PageUpdate


def keep_first_version(model, pks):
    """Record the saved version of objects that have no history yet, before they change.

    Content loaded from a fixture (the demo) has no history, so without this the first change
    made in the admin would show no field-by-field difference.
    """
    pks = {pk for pk in pks if pk is not None}
    pks -= set(model.history.filter(id__in=pks).values_list("id", flat=True))
    if pks:
        model.history.bulk_history_create(
            list(model._default_manager.filter(pk__in=pks)), default_change_reason="As it was before its first change"
        )


class AuditedAdmin(SimpleHistoryAdmin):
    """Every change made here is kept, with who made it, and shown field by field under "History"."""

    class Media:
        css = {"all": ["css/admin.css"]}

    def save_model(self, request, obj, form, change):
        if change:
            keep_first_version(type(obj), [obj.pk])
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        keep_first_version(formset.model, [inline_form.instance.pk for inline_form in formset.initial_forms])
        super().save_formset(request, form, formset, change)


class MajorChangeAdmin(AuditedAdmin):
    """An admin whose saves ask "Is this a major change?"; a major one publishes a dated change note.

    Subclasses say which pages a save changes (`changed_pages`). The question is asked below the
    form and its inlines, just above the save buttons, as GOV.UK's publishing tools do.
    """

    form = ChangeNoteForm
    change_form_template = "admin/updates/change_form_with_change_note.html"

    def changed_pages(self, obj):
        raise NotImplementedError

    def publication_day(self, form, formsets, change):
        """The day the save's change note is dated and shown from: today, unless the change takes effect later."""
        return timezone.localdate()

    def get_fields(self, request, obj=None):
        # The question is shown in a fieldset of its own (see render_change_form).
        return [name for name in super().get_fields(request, obj) if name not in CHANGE_NOTE_FIELDS]

    def render_change_form(self, request, context, *args, **kwargs):
        context["change_note_fieldset"] = helpers.Fieldset(
            context["adminform"].form, name="Publishing", fields=CHANGE_NOTE_FIELDS, model_admin=self
        )
        return super().render_change_form(request, context, *args, **kwargs)

    # The audit trail keeps the answer with each version the save makes.
    @staticmethod
    def change_reason(form):
        note = form.published_change_note()
        return f"Major change: {note}" if note else "Minor change"

    def save_model(self, request, obj, form, change):
        obj._change_reason = self.change_reason(form)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline_form.instance._change_reason = self.change_reason(form)
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        note = form.published_change_note()
        if note is None:
            return
        self.publish_change_note(request, form.instance, note, self.publication_day(form, formsets, change))

    def publish_change_note(self, request, obj, note, day):
        """Publish a major change's note, dated `day`, on the pages the change shows on, and say where."""
        updates = PageUpdate.objects.record_major_change(self.changed_pages(obj), note, on=day)
        if updates:
            titles = ", ".join(f"“{update.page}”" for update in updates)
            when = (
                ""
                if day <= timezone.localdate()
                else f", to be shown from {date_format(day, 'j F Y')} when the change takes effect"
            )
            self.message_user(request, f"The change note was published on {titles}{when}.", messages.SUCCESS)
        else:
            self.message_user(
                request, "No page shows this, so the change note was not published anywhere.", messages.WARNING
            )


@admin.register(PageUpdate)
class PageUpdateAdmin(AuditedAdmin):
    form = PageUpdateForm
    list_display = ["date", "note", "page"]
    list_filter = ["page"]
    list_select_related = ["page"]
    search_fields = ["note"]
    date_hierarchy = "date"
