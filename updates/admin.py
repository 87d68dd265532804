from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_manager_for_model

from drafts.working import publishes_directly, save_as_draft_choices
from network.ordering import move
from network.validators import DATE_MESSAGE, HTTP_URL_MESSAGE
from updates.audit import AS_LOADED, ReadableChanges, related_history
from updates.forms import (
    CHANGE_NOTE_FIELDS,
    ChangeNoteForm,
    PageUpdateForm,
    RefusesOverwrites,
    record_version_field,
)
from updates.models import PageUpdate
from updates.versions import RecordVersion

# Form fields of every content form, inlines included: web addresses say which are allowed,
# dates say how to write them.
STAFF_FORM_FIELDS = {
    models.URLField: {"assume_scheme": "https", "error_messages": {"invalid": HTTP_URL_MESSAGE}},
    models.DateField: {"error_messages": {"invalid": DATE_MESSAGE}},
}


def keep_first_version(model, pks):
    """Record the saved version of objects that have no history yet, before they change.

    Content loaded from a fixture (the demo) has no history, so without this the first change
    made in the admin would show no field-by-field difference. That version is recorded as
    loaded, with no author: the editor about to change it did not write it.
    """
    pks = {pk for pk in pks if pk is not None}
    pks -= set(model.history.filter(id__in=pks).values_list("id", flat=True))
    if pks:
        loaded = model.history.bulk_history_create(
            list(model._default_manager.filter(pk__in=pks)), default_change_reason=AS_LOADED
        )
        model.history.filter(pk__in=[record.pk for record in loaded]).update(history_user=None)


def error_summary(form, inline_formsets=()):
    """Every error of a form and its inlines, as GOV.UK's error summary lists them: text and a link to the field."""
    summary = []

    def add(bound_form, prefix, group_anchor):
        for error in bound_form.non_field_errors():
            summary.append({"text": f"{prefix}{error}", "href": group_anchor})
        for field in bound_form:
            # A group of radios has no label target of its own: link to its first option.
            anchor = field.id_for_label or field.field.widget.id_for_label(field.auto_id, 0)
            summary.extend({"text": f"{prefix}{field.label}: {error}", "href": f"#{anchor}"} for error in field.errors)

    add(form, "", "#content-main")
    for inline in inline_formsets:
        formset = inline.formset
        name = inline.opts.verbose_name
        group = f"#{formset.prefix}-group"
        summary.extend({"text": f"{capfirst(name)}: {error}", "href": group} for error in formset.non_form_errors())
        for number, inline_form in enumerate(formset, start=1):
            add(inline_form, f"{capfirst(name)} {number}, ", group)
    return summary


class AuditedAdmin(SimpleHistoryAdmin):
    """Every change made here is kept, with who made it, and shown field by field under "History".

    Forms open with a summary of their errors, each linking to its field. A form (a change form
    with its inlines, or a past version's to revert to) refuses to save over a change someone else
    made after it was shown, and says who made it, when and what.
    """

    formfield_overrides = STAFF_FORM_FIELDS
    change_form_template = "admin/updates/change_form.html"
    change_list_template = "admin/updates/change_list.html"
    object_history_template = "admin/updates/object_history.html"
    object_history_form_template = "admin/updates/object_history_form.html"
    # Reverse relations whose objects' versions the History page lists too (a centre's memberships).
    related_histories = []

    def save_model(self, request, obj, form, change):
        if change:
            keep_first_version(type(obj), [obj.pk])
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        changed = [inline_form.instance.pk for inline_form in formset.initial_forms if inline_form.has_changed()]
        keep_first_version(formset.model, changed)
        super().save_formset(request, form, formset, change)

    def object_tools(self, request, obj=None):
        """Links beside "History" on an object's form, or beside "Add" on the list (no obj): [(label, url)]."""
        return []

    def changelist_view(self, request, extra_context=None):
        context = {"object_tools": self.object_tools(request), **(extra_context or {})}
        return super().changelist_view(request, context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        self.summarise_errors(context)
        context["record_version"] = record_version_field(context["adminform"].form)
        if obj is not None:
            context["object_tools"] = self.object_tools(request, obj)
        may_save = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        if getattr(request, "draft", None) is None and may_save:
            context["save_as_draft"] = save_as_draft_choices(request)
            if not publishes_directly(request.user):  # an editor: only into a draft
                context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
                context.update(show_delete=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def message_user(self, request, message, level=messages.INFO, extra_tags="", fail_silently=False):
        draft = getattr(request, "draft", None)
        if draft is not None and level == messages.SUCCESS:
            message = format_html(
                "{} It is saved in the draft “{}”: the public sees nothing of it until the draft is published.",
                message,
                draft,
            )
        super().message_user(request, message, level, extra_tags, fail_silently)

    @staticmethod
    def summarise_errors(context):
        # The summary replaces the admin's "Please correct the errors below", which names none.
        if context.get("errors"):
            context["error_summary"] = error_summary(
                context["adminform"].form, context.get("inline_admin_formsets", ())
            )
            context["errors"] = []

    # History: values in the admin's words, with the related objects' versions.
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        related = [related_history(self, request, name, object_id) for name in self.related_histories]
        context = {"related_histories": related, "as_loaded": AS_LOADED, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def render_history_view(self, request, template, context, **kwargs):
        if "adminform" in context:  # the form of a past version, to revert to
            self.summarise_errors(context)
            context["record_version"] = record_version_field(context["adminform"].form)
        return super().render_history_view(request, template, context, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert checks the object is as its form showed it, with its row locked, then saves it
        # (and publishes its change note, if it asks): all or nothing.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def is_revert(self, request):
        opts = self.model._meta
        return request.resolver_match.url_name == f"{opts.app_label}_{opts.model_name}_simple_history"

    # Two editors at once: the second save is refused, rather than the last save winning.
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return form if obj is None else self.refusing_overwrites(request, form, obj)

    def refusing_overwrites(self, request, form_class, obj):
        """`form_class`, refusing to save over a change made to `obj` (or the records its form edits
        with it) after the form was shown."""
        attrs = {"model_admin": self, "request": request, "record": obj}
        return type(form_class.__name__, (RefusesOverwrites, form_class), attrs)

    def versioned_records(self, request, obj):
        """What a save of `obj`'s form writes, as [(model, lookup)]: the object, and the inline
        records its form edits with it (a centre's memberships). A revert writes the object alone."""
        records = [(self.model, {self.opts.pk.attname: obj.pk})]
        if not self.is_revert(request):
            for inline in self.get_inline_instances(request, obj):
                foreign_key = inline.get_formset(request, obj).fk
                records.append((inline.model, {foreign_key.attname: obj.pk}))
        return records

    def record_version(self, request, obj, lock=False):
        """`obj` and the records its form edits with it, as the database holds them now for this request."""
        querysets = [model._default_manager.filter(**lookup) for model, lookup in self.versioned_records(request, obj)]
        return RecordVersion.read(querysets, lock)

    def last_change(self, request, obj, since):
        """Who last changed `obj` or the records its form edits with it, and when: their latest
        version recorded at or after `since` (None: ever), or None if there is none.

        What it returns has `history_user` (None if not known) and `history_date`, as a version has.
        """
        draft = getattr(request, "draft", None)
        if draft is not None and draft.pk is not None:  # a colleague's save into the same draft
            return draft.last_change(self.versioned_records(request, obj), since)
        latest = []
        for model, lookup in self.versioned_records(request, obj):
            versions = get_history_manager_for_model(model).filter(**lookup).exclude(history_change_reason=AS_LOADED)
            if since is not None:
                versions = versions.filter(history_date__gte=since)
            latest += versions.select_related("history_user").order_by("-history_date", "-history_id")[:1]
        return max(latest, key=lambda version: version.history_date, default=None)

    def overwrite_refusal(self, request, obj, shown, current):
        """Why a save was refused: who changed the object, when and what, after its form was shown
        (`shown`: the version the form showed; None if the form did not say)."""
        name = self.opts.verbose_name
        kept = "Nothing you typed has been saved: it is all still below."
        if shown is None:  # a form opened before this check was made, say
            return (
                f"The form does not say which version of this {name} you opened, so it could be out of date. "
                f"{kept} Saving this form again saves it as it stands."
            )
        change = self.last_change(request, obj, shown.read_at)
        if change is None:
            said = f"Someone changed this {name} after you opened it; its history does not say who or when."
        else:
            when = date_format(timezone.localtime(change.history_date), r"H:i \o\n j F Y")
            user = change.history_user
            if user is None:
                said = f"Someone changed this {name} at {when}, after you opened it; its history does not say who."
            else:
                said = (
                    f"{user.get_full_name() or user.get_username()} changed this {name} at {when}, after you opened it."
                )
        sentences = [said, kept, f"Changed since you opened it: {'; '.join(current.changes_since(shown))}."]
        if change is not None:
            sentences.append("History lists their change.")
        sentences.append("Saving this form again saves it as it stands, over their change.")
        return " ".join(sentences)


class MajorChangeAdmin(AuditedAdmin):
    """An admin whose saves ask "Is this a major change?"; a major one publishes a dated change note.

    Subclasses say which pages a save changes (`changed_pages`). The question is asked below the
    form and its inlines, just above the save buttons, as GOV.UK's publishing tools do; reverting
    to a past version asks it too. Adding an object with no inlines (a policy area) from another
    form's "+" pop-up does not ask: nothing the public sees has changed until that form is saved.
    (A centre added so comes with its memberships, which the public sees: that is asked.)
    """

    form = ChangeNoteForm
    change_form_template = "admin/updates/change_form_with_change_note.html"
    object_history_form_template = "admin/updates/object_history_form_with_change_note.html"

    def changed_pages(self, obj):
        raise NotImplementedError

    def publication_day(self, form, formsets, change):
        """The day the save's change note is dated and shown from: today, unless the change takes effect later."""
        return timezone.localdate()

    def get_fields(self, request, obj=None):
        # The question is shown in a fieldset of its own (see render_change_form).
        return [name for name in super().get_fields(request, obj) if name not in CHANGE_NOTE_FIELDS]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not self.asks_major_change(request, obj):
            form = type(form.__name__, (form,), {"asks_major_change": False})
        return form

    def asks_major_change(self, request, obj=None):
        # A save into a draft is asked when the draft is published; an editor saves only into drafts.
        if getattr(request, "draft", None) is not None or not publishes_directly(request.user):
            return False
        return not (obj is None and not self.inlines and (IS_POPUP_VAR in request.GET or IS_POPUP_VAR in request.POST))

    def add_change_note_fieldset(self, context):
        form = context["adminform"].form
        if form.asks_major_change:
            context["change_note_fieldset"] = helpers.Fieldset(
                form, name="Publishing", fields=CHANGE_NOTE_FIELDS, model_admin=self
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        self.add_change_note_fieldset(context)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def render_history_view(self, request, template, context, **kwargs):
        if "adminform" in context:
            self.add_change_note_fieldset(context)
        return super().render_history_view(request, template, context, **kwargs)

    # The audit trail keeps the answer with each version the save makes.
    @staticmethod
    def change_reason(form):
        note = form.published_change_note()
        return f"Major change: {note}" if note else "Minor change"

    def save_model(self, request, obj, form, change):
        obj._change_reason = self.change_reason(form)
        super().save_model(request, obj, form, change)
        if self.is_revert(request):  # a revert saves the object alone, with no related objects
            self.publish_change_note(request, obj, form.published_change_note(), self.publication_day(form, [], change))

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline_form.instance._change_reason = self.change_reason(form)
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.publish_change_note(
            request, form.instance, form.published_change_note(), self.publication_day(form, formsets, change)
        )

    def publish_change_note(self, request, obj, note, day):
        """Publish a major change's note (None for a minor change), dated `day`, on the pages the change
        shows on; the save's own message says where."""
        if note is None:
            return
        updates = PageUpdate.objects.record_major_change(self.changed_pages(obj), note, on=day)
        if updates:
            titles = ", ".join(f"“{update.page}”" for update in updates)
            when = (
                ""
                if day <= timezone.localdate()
                else f", to be shown from {date_format(day, 'j F Y')} when the change takes effect"
            )
            request.change_note_publication = (
                messages.SUCCESS,
                format_html("Its change note “{}” was published on {}{}.", note, titles, when),
            )
        else:
            request.change_note_publication = (
                messages.WARNING,
                "No page shows it, so its change note was not published anywhere.",
            )

    def message_user(self, request, message, level=messages.INFO, extra_tags="", fail_silently=False):
        # One banner per save: the admin's "was changed successfully" and what the save published.
        publication = getattr(request, "change_note_publication", None)
        if publication is not None and level == messages.SUCCESS:
            del request.change_note_publication
            level, published = publication
            message = format_html("{} {}", message, published)
        super().message_user(request, message, level, extra_tags, fail_silently)


class MoveForm(forms.Form):
    item = forms.IntegerField()
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class MoveUpDownAdmin:
    """A model admin's page that orders its objects with "Move up" and "Move down" buttons.

    Each button is in a small form of its own (a POST with its CSRF token), so it works without
    JavaScript and from the keyboard. Subclasses give the lists to order (`order_groups`) and its
    URL; `order_view` serves it.
    """

    def order_groups(self, request, **kwargs):
        """[(heading, queryset in display order)]: the lists whose objects move among themselves."""
        raise NotImplementedError

    def order_title(self, request, **kwargs):
        raise NotImplementedError

    def order_view(self, request, **kwargs):
        if not self.has_change_permission(request):
            raise PermissionDenied
        groups = self.order_groups(request, **kwargs)
        if request.method == "POST":
            move_form = MoveForm(request.POST)
            if not move_form.is_valid():
                return HttpResponseBadRequest("Choose an item and a direction to move it.")
            pk, direction = move_form.cleaned_data["item"], move_form.cleaned_data["direction"]
            siblings = next((queryset for _, queryset in groups if queryset.filter(pk=pk).exists()), None)
            if siblings is None:
                return HttpResponseBadRequest("That item is not in these lists.")
            item = siblings.get(pk=pk)
            if move(item, siblings, -1 if direction == "up" else 1, f"Minor change: moved {direction}"):
                self.message_user(request, f"Moved “{item}” {direction}.", messages.SUCCESS)
            return HttpResponseRedirect(f"{request.path}#item-{pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": self.order_title(request, **kwargs),
            "opts": self.model._meta,
            "groups": [(heading, list(queryset)) for heading, queryset in groups],
        }
        return TemplateResponse(request, "admin/updates/order.html", context)


@admin.register(PageUpdate)
class PageUpdateAdmin(AuditedAdmin):
    form = PageUpdateForm
    list_display = ["date", "note", "page"]
    list_filter = ["page"]
    list_select_related = ["page"]
    search_fields = ["note"]
    date_hierarchy = "date"
