from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from drafts import working
from drafts.comparison import compare, describe
from drafts.models import Conflicts, Draft, NotOpen
from drafts.records import ChangeRefused, restore
from updates.admin import error_summary
from updates.forms import CHANGE_NOTE_FIELDS, MajorChangeQuestion
from updates.models import PageUpdate


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    """The list of drafts, and each draft's page: what it changes, and working in it, previewing,
    bringing it up to date, publishing and discarding it."""

    list_display = ["name", "created_by", "changed_at", "changed_by", "records", "status"]
    list_filter = ["status"]
    list_select_related = ["created_by", "changed_by"]
    search_fields = ["name"]
    fields = ["name"]
    change_form_template = "admin/drafts/draft/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("changes__content_type")

    @admin.display(description="Records it changes")
    def records(self, draft):
        changes = list(draft.changes.all())
        return (
            format_html_join(
                "",
                "<div>{}: {}</div>",
                ((capfirst(change.model._meta.verbose_name), record_name(change)) for change in changes),
            )
            or "None yet"
        )

    def has_delete_permission(self, request, obj=None):
        return False  # a draft is discarded, and kept with who discarded it

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_open)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = obj.changed_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        working.work_in(request, obj)
        self.message_user(
            request,
            format_html(
                "You are working in the draft “{}”. Content screens show it, and what you save goes into it "
                "until you publish it: the public sees nothing of it before then.",
                obj,
            ),
            messages.SUCCESS,
        )
        return redirect("admin:index")

    def get_urls(self):
        urls = [
            path(f"<path:object_id>/{name}/", self.admin_site.admin_view(view), name=f"drafts_draft_{name}")
            for name, view in [
                ("work", self.work_view),
                ("publish", self.publish_view),
                ("update", self.update_view),
                ("discard", self.discard_view),
            ]
        ]
        leave = path("leave/", self.admin_site.admin_view(self.leave_view), name="drafts_draft_leave")
        return [leave, *urls, *super().get_urls()]

    def open_draft(self, request, object_id, permission="change"):
        draft = self.get_object(request, unquote(object_id))
        if draft is None:
            raise Http404("No such draft")
        if not request.user.has_perm(f"drafts.{permission}_draft"):
            raise PermissionDenied
        if not draft.is_open:
            self.message_user(request, f"The draft “{draft}” is {draft.get_status_display().lower()}.", messages.ERROR)
            return None
        return draft

    def draft_page(self, draft):
        return HttpResponseRedirect(reverse("admin:drafts_draft_change", args=[draft.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        draft = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if draft is not None:
            extra_context.update(comparison(draft))
            extra_context["conflicts"] = describe_conflicts(draft.conflicts()) if draft.is_open else []
            extra_context["preview_url"] = reverse("draft-preview", kwargs={"pk": draft.pk, "path": ""})
            extra_context["may_publish"] = request.user.has_perm("drafts.publish_draft")
        return super().change_view(request, object_id, form_url, extra_context)

    def work_view(self, request, object_id):
        draft = self.open_draft(request, object_id)
        if draft is None or request.method != "POST":
            return redirect("admin:drafts_draft_changelist")
        working.work_in(request, draft)
        self.message_user(
            request,
            format_html("You are working in the draft “{}”: content screens show it, and saves go into it.", draft),
            messages.SUCCESS,
        )
        return redirect("admin:index")

    def leave_view(self, request):
        if request.method == "POST":
            working.leave(request)
            self.message_user(request, "You have left the draft: content screens show the live site again.")
        return redirect("admin:index")

    def update_view(self, request, object_id):
        draft = self.open_draft(request, object_id)
        if draft is None or request.method != "POST":
            return redirect("admin:drafts_draft_changelist")
        resolved = draft.bring_up_to_date()
        self.message_user(
            request,
            f"The draft now builds on the live site: {len(resolved)} records brought up to date. "
            "Check what’s changed before you publish it.",
            messages.SUCCESS,
        )
        return self.draft_page(draft)

    def discard_view(self, request, object_id):
        draft = self.open_draft(request, object_id)
        if draft is None:
            return redirect("admin:drafts_draft_changelist")
        if request.method == "POST":
            try:
                draft.discard(request.user)
            except NotOpen:
                self.message_user(request, "The draft was published or discarded meanwhile.", messages.ERROR)
                return self.draft_page(draft)
            self.message_user(request, f"The draft “{draft}” was discarded. Nothing of it was published.")
            return redirect("admin:drafts_draft_changelist")
        return self.render_step(request, draft, "discard", f"Discard “{draft}”")

    def publish_view(self, request, object_id):
        draft = self.open_draft(request, object_id, permission="publish")
        if draft is None:
            return redirect("admin:drafts_draft_changelist")
        form = MajorChangeQuestion(request.POST or None)
        if request.method == "POST" and form.is_valid():
            note = form.published_change_note()
            try:
                self.publish(request, draft, note)
            except Conflicts:
                self.message_user(
                    request,
                    "The draft was not published: records it changes have been changed on the live site since. "
                    "Bring it up to date, check what’s changed, then publish.",
                    messages.ERROR,
                )
                return self.draft_page(draft)
            except ChangeRefused as refused:
                self.message_user(
                    request, f"The draft was not published, and nothing of it went live. {refused}", messages.ERROR
                )
                return self.draft_page(draft)
            except NotOpen:
                self.message_user(request, "The draft was published or discarded meanwhile.", messages.ERROR)
                return self.draft_page(draft)
            return redirect("admin:drafts_draft_changelist")
        return self.render_step(
            request,
            draft,
            "publish",
            f"Publish “{draft}”",
            # As every form that asks: a summary of its errors, and the question as a fieldset of the admin's.
            error_summary=error_summary(form),
            question_fieldset=helpers.Fieldset(form, name="Publishing", fields=CHANGE_NOTE_FIELDS, model_admin=self),
        )

    def publish(self, request, draft, note):
        """Publish the draft and, for a major change, its note on the pages it changes, in one transaction."""
        kind = f"Major change: {note}" if note else "Minor change"
        published_pages = []

        def reason(change):
            writer = change.changed_by.get_full_name() or change.changed_by.get_username()
            return f"Published from the draft “{draft}”, written by {writer}. {kind}"

        def publish_change_note():
            if note:
                pages = self.changed_pages(draft)
                published_pages.extend(PageUpdate.objects.record_major_change(pages, note))

        draft.change_note = note or ""
        draft.publish(request.user, reason, also=publish_change_note)
        where = ", ".join(f"“{update.page}”" for update in published_pages)
        self.message_user(
            request,
            f"The draft “{draft}” was published: its changes are live."
            + (f" Its change note “{note}” was published on {where}." if published_pages else ""),
            messages.SUCCESS,
        )

    def changed_pages(self, draft):
        """The pages that show the draft's records, as each record's admin says (the draft applied)."""
        pages = {}
        for change in draft.change_list():
            model_admin = self.admin_site.get_model_admin(change.model)
            if not hasattr(model_admin, "changed_pages"):
                continue
            record = restore(change.model(pk=change.object_pk), change.state or change.base)
            for page in model_admin.changed_pages(record):
                pages[page.pk] = page
        return list(pages.values())

    def render_step(self, request, draft, step, title, **context):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "original": draft,
            "draft": draft,
            **comparison(draft),
            **context,
        }
        return TemplateResponse(request, f"admin/drafts/draft/{step}.html", context)


def comparison(draft):
    """The template context of "What’s changed": the comparisons, or why the draft no longer applies."""
    try:
        return {"comparisons": compare(draft)}
    except ChangeRefused as refused:
        return {"refused": refused}


def describe_conflicts(conflicts):
    """[(kind, name, field labels or None for a record deleted on the live site)]"""
    return [
        (
            capfirst(change.model._meta.verbose_name),
            record_name(change),
            fields and [capfirst(change.model._meta.get_field(name).verbose_name) for name in fields],
        )
        for change, fields in conflicts
    ]


def record_name(change):
    """A record's name as the draft has it, or as the live site had it if the draft deletes it."""
    return describe(change.model, change.state or change.base)[0]
