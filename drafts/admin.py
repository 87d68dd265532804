from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from drafts import publishing, working
from drafts.comparison import compare, describe_conflicts, record_name
from drafts.forms import FactCheckLinkForm, ForcePublishForm, ScheduleForm, SendBackForm
from drafts.models import Conflicts, Draft, NotOpen
from drafts.records import ChangeRefused
from updates.admin import error_summary
from updates.forms import MajorChangeQuestion

# A draft that records changed on the live site since it changed them cannot be published or scheduled.
CONFLICTS_MESSAGE = (
    "The draft was not {step}: records it changes have been changed on the live site since. "
    "Its author can withdraw it and bring it up to date; check what’s changed, then {steps}."
)


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    """The list of drafts, and each draft's page: what it changes, and working in it, previewing,
    bringing it up to date, reviewing, publishing, scheduling and discarding it."""

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
        steps = [
            ("work", self.work_view),
            ("update", self.update_view),
            ("discard", self.discard_view),
            ("submit", self.submit_view),
            ("withdraw", self.withdraw_view),
            ("send-back", self.send_back_view),
            ("publish", self.publish_view),
            ("schedule", self.schedule_view),
            ("unschedule", self.unschedule_view),
            ("force-publish", self.force_publish_view),
            ("reviewed", self.mark_reviewed_view),
            ("fact-check-links", self.fact_check_links_view),
        ]
        urls = [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(view),
                name=f"drafts_draft_{name.replace('-', '_')}",
            )
            for name, view in steps
        ]
        leave = path("leave/", self.admin_site.admin_view(self.leave_view), name="drafts_draft_leave")
        return [leave, *urls, *super().get_urls()]

    def draft_for(self, request, object_id, statuses, permission="change"):
        """The draft a step is for, if the member of staff may take it and the draft is where the step
        needs it; None (with a message saying why) if the draft has moved on."""
        draft = self.get_object(request, unquote(object_id))
        if draft is None:
            raise Http404("No such draft")
        if not request.user.has_perm(f"drafts.{permission}_draft"):
            raise PermissionDenied
        if draft.status not in statuses:
            self.message_user(request, f"The draft “{draft}” is {draft.get_status_display().lower()}.", messages.ERROR)
            return None
        return draft

    def reviewer_draft(self, request, object_id, statuses):
        """A draft for a step only a second person may take: a publisher who wrote none of it."""
        draft = self.draft_for(request, object_id, statuses, permission="publish")
        if draft is not None and draft.is_author(request.user):
            raise PermissionDenied("You wrote changes in this draft: another publisher must review it.")
        return draft

    def draft_page(self, draft):
        return HttpResponseRedirect(reverse("admin:drafts_draft_change", args=[draft.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        draft = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if draft is not None:
            user = request.user
            may_publish = user.has_perm("drafts.publish_draft")
            is_author = draft.is_author(user)
            extra_context.update(comparison(draft))
            extra_context.update(
                conflicts=describe_conflicts(draft.conflicts()) if draft.status in Draft.UNFINISHED else [],
                preview_url=reverse("draft-preview", kwargs={"pk": draft.pk, "path": ""}),
                events=list(draft.events.select_related("user")),
                may_review=may_publish and not is_author,
                may_force_publish=may_publish,
                may_withdraw=is_author,
                may_share=user.has_perm("drafts.change_draft"),
                fact_check_links=list(draft.fact_check_links.select_related("created_by", "revoked_by")),
                fact_check_form=FactCheckLinkForm(),
                unfinished=Draft.UNFINISHED,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def work_view(self, request, object_id):
        draft = self.draft_for(request, object_id, Draft.UNFINISHED)
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
        draft = self.draft_for(request, object_id, [Draft.Status.OPEN])
        if draft is None or request.method != "POST":
            return redirect("admin:drafts_draft_changelist")
        resolved = draft.bring_up_to_date(request.user)
        self.message_user(
            request,
            f"The draft now builds on the live site: {len(resolved)} records brought up to date. "
            "Check what’s changed before you publish it.",
            messages.SUCCESS,
        )
        return self.draft_page(draft)

    def discard_view(self, request, object_id):
        draft = self.draft_for(request, object_id, Draft.UNFINISHED)
        if draft is None:
            return redirect("admin:drafts_draft_changelist")
        if request.method == "POST":
            if self.take_step(request, draft, draft.discard, request.user):
                self.message_user(request, f"The draft “{draft}” was discarded. Nothing of it was published.")
                return redirect("admin:drafts_draft_changelist")
            return self.draft_page(draft)
        return self.render_step(request, draft, "discard", f"Discard “{draft}”")

    def submit_view(self, request, object_id):
        draft = self.draft_for(request, object_id, [Draft.Status.OPEN])
        if draft is not None and request.method == "POST":
            if not draft.changes.exists():
                self.message_user(request, "The draft changes nothing yet: there is nothing to review.", messages.ERROR)
            elif self.take_step(request, draft, draft.submit, request.user):
                self.message_user(
                    request,
                    f"The draft “{draft}” is waiting for review. Nothing can be changed in it until you withdraw "
                    "the submission or a reviewer sends it back.",
                    messages.SUCCESS,
                )
        return self.draft_page(draft) if draft else redirect("admin:drafts_draft_changelist")

    def withdraw_view(self, request, object_id):
        draft = self.draft_for(request, object_id, Draft.AWAITING_PUBLICATION)
        if draft is not None and not draft.is_author(request.user):
            raise PermissionDenied("Only the draft's authors can withdraw its submission.")
        if draft is not None and request.method == "POST":
            if self.take_step(request, draft, draft.withdraw_submission, request.user):
                self.message_user(request, f"The draft was withdrawn: “{draft}” can be changed again.")
        return self.draft_page(draft) if draft else redirect("admin:drafts_draft_changelist")

    def send_back_view(self, request, object_id):
        draft = self.reviewer_draft(request, object_id, Draft.AWAITING_PUBLICATION)
        if draft is None:
            return redirect("admin:drafts_draft_changelist")
        form = SendBackForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if self.take_step(request, draft, draft.send_back, request.user, form.cleaned_data["comment"]):
                self.message_user(request, f"“{draft}” was sent back to its author with your comment.")
            return self.draft_page(draft)
        return self.form_step(request, draft, form, "send_back", f"Send back “{draft}”", "Your comment")

    def mark_reviewed_view(self, request, object_id):
        draft = self.reviewer_draft(request, object_id, [Draft.Status.PUBLISHED])
        if draft is not None and request.method == "POST":
            if self.take_step(request, draft, draft.mark_reviewed, request.user):
                self.message_user(request, f"“{draft}” is marked reviewed.", messages.SUCCESS)
        return self.draft_page(draft) if draft else redirect("admin:drafts_draft_changelist")

    def fact_check_links_view(self, request, object_id):
        """Make a fact-check link to the draft's preview (while it is unfinished), or revoke one."""
        revoking = "revoke" in request.POST
        draft = self.draft_for(request, object_id, Draft.Status.values if revoking else Draft.UNFINISHED)
        if draft is None:
            return redirect("admin:drafts_draft_changelist")
        if request.method == "POST" and revoking:
            chosen = request.POST["revoke"]
            link = draft.fact_check_links.filter(pk=chosen if chosen.isdecimal() else None).first()
            if link is None:
                raise Http404("No such fact-check link")
            link.revoke(request.user)
            self.message_user(request, f"The fact-check link for {link.shared_with} no longer works.", messages.SUCCESS)
        elif request.method == "POST":
            form = FactCheckLinkForm(request.POST)
            if form.is_valid():
                link = form.save(draft, request.user)
                until = date_format(timezone.localtime(link.expires_at), r"j F Y, H:i")
                self.message_user(
                    request,
                    f"A fact-check link for {link.shared_with}, which works until {until}: {link.address}",
                    messages.SUCCESS,
                )
            else:
                for errors in form.errors.values():
                    for error in errors:
                        self.message_user(request, f"No link was made. {error}", messages.ERROR)
        return HttpResponseRedirect(reverse("admin:drafts_draft_change", args=[draft.pk]) + "#fact-check-links")

    def take_step(self, request, draft, step, *args):
        """Take a step in the draft's life; False, with a message, if someone else moved it on first."""
        try:
            step(*args)
        except NotOpen:
            draft.refresh_from_db()
            self.message_user(
                request,
                f"Someone else got there first: the draft is {draft.get_status_display().lower()}.",
                messages.ERROR,
            )
            return False
        return True

    def publish_view(self, request, object_id):
        draft = self.reviewer_draft(request, object_id, Draft.AWAITING_PUBLICATION)
        return self.publishing_step(request, draft, MajorChangeQuestion, "publish", f"Publish “{draft}”")

    def schedule_view(self, request, object_id):
        """Review the draft and choose when it goes live by itself, with its change note."""
        draft = self.reviewer_draft(request, object_id, Draft.AWAITING_PUBLICATION)
        if draft is None:
            return redirect("admin:drafts_draft_changelist")
        form = ScheduleForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            moment = form.cleaned_data["moment"]
            try:
                scheduled = self.take_step(
                    request, draft, draft.schedule, request.user, moment, form.published_change_note()
                )
            except Conflicts:
                self.message_user(
                    request, CONFLICTS_MESSAGE.format(step="scheduled", steps="schedule it"), messages.ERROR
                )
                return self.draft_page(draft)
            if scheduled:
                self.message_user(
                    request,
                    f"“{draft}” is scheduled to go live at {draft.scheduled_time}. It cannot change before then; "
                    "unschedule it to stop it.",
                    messages.SUCCESS,
                )
            return self.draft_page(draft)
        return self.form_step(request, draft, form, "schedule", f"Schedule “{draft}”", "When it goes live")

    def unschedule_view(self, request, object_id):
        draft = self.draft_for(request, object_id, [Draft.Status.SCHEDULED], permission="publish")
        if draft is not None and request.method == "POST":
            if self.take_step(request, draft, draft.unschedule, request.user):
                self.message_user(
                    request,
                    f"“{draft}” is unscheduled: it stays reviewed, to publish now or schedule again.",
                    messages.SUCCESS,
                )
        return self.draft_page(draft) if draft else redirect("admin:drafts_draft_changelist")

    def force_publish_view(self, request, object_id):
        draft = self.draft_for(request, object_id, [Draft.Status.OPEN, Draft.Status.SUBMITTED], permission="publish")
        return self.publishing_step(request, draft, ForcePublishForm, "force_publish", f"Force publish “{draft}”")

    def publishing_step(self, request, draft, form_class, step, title):
        if draft is None:
            return redirect("admin:drafts_draft_changelist")
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            note = form.published_change_note()
            force_reason = form.cleaned_data.get("reason", "")
            try:
                published = self.take_step(request, draft, self.publish, request, draft, note, force_reason)
            except Conflicts:
                self.message_user(request, CONFLICTS_MESSAGE.format(step="published", steps="publish"), messages.ERROR)
                return self.draft_page(draft)
            except ChangeRefused as refused:
                self.message_user(
                    request, f"The draft was not published, and nothing of it went live. {refused}", messages.ERROR
                )
                return self.draft_page(draft)
            return redirect("admin:drafts_draft_changelist") if published else self.draft_page(draft)
        return self.form_step(request, draft, form, step, title, "Publishing")

    def form_step(self, request, draft, form, step, title, fieldset_name):
        """A step's page that asks questions: as every form that asks, a summary of its errors and its
        questions as a fieldset of the admin's."""
        return self.render_step(
            request,
            draft,
            step,
            title,
            error_summary=error_summary(form),
            question_fieldset=helpers.Fieldset(form, name=fieldset_name, fields=list(form.fields), model_admin=self),
        )

    def publish(self, request, draft, note, force_reason=""):
        """Publish the draft and, for a major change, its note on the pages it changes, in one transaction."""
        published_pages = publishing.publish(draft, request.user, note, force_reason)
        where = ", ".join(f"“{update.page}”" for update in published_pages)
        self.message_user(
            request,
            f"The draft “{draft}” was published: its changes are live."
            + (f" Its change note “{note}” was published on {where}." if published_pages else ""),
            messages.SUCCESS,
        )

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
