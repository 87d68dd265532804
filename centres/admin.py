from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst

from centres.export import csv_download, row
from centres.forms import (
    ChangeKindForm,
    EndMembershipForm,
    MembershipForm,
    MembershipInlineForm,
    MembershipInlineFormSet,
    StartMembershipForm,
)
from centres.models import Centre, Kind, Membership, PolicyArea, long_date
from network.models import Page
from updates.admin import STAFF_FORM_FIELDS, MajorChangeAdmin, MoveUpDownAdmin, keep_first_version
from updates.forms import CHANGE_NOTE_FIELDS, record_version_field


def takes_effect(membership, changed_fields, added):
    """The day a saved change to a membership reaches the public pages: a new one's start; else the
    later of its start (nothing of it shows before) and the dates the change sets."""
    if added:
        return membership.start_date
    new_end = membership.end_date if "end_date" in changed_fields else None
    return max(membership.start_date, new_end or membership.start_date)


def record_as_correction(membership):
    """Mark the version of a membership just saved, in the audit trail, as correcting a mistake in the record."""
    version = membership.history.latest()
    version.history_change_reason = f"Correction of a mistake in the record. {version.history_change_reason}"
    version.save()


class NetworkChangeAdmin(MajorChangeAdmin):
    """A change to the network's members is a change to the pages that show them."""

    def changed_pages(self, obj):
        return Page.objects.showing_the_network()

    def membership_changes(self, form, formsets, change):
        """(membership, changed fields, added) for each membership the save changed."""
        return []

    def publication_day(self, form, formsets, change):
        """Today, or the day the save's change takes effect when that is later: a membership
        starting or ending in the future is announced on that day."""
        days = [
            takes_effect(*membership_change) for membership_change in self.membership_changes(form, formsets, change)
        ]
        return max([timezone.localdate(), *days])

    def deletion_warnings(self, obj):
        """What deleting this takes from the public pages and the history, in sentences."""
        return []

    def render_delete_form(self, request, context):
        context["deletion_warnings"] = self.deletion_warnings(context["object"])
        return super().render_delete_form(request, context)


class MembershipInline(admin.StackedInline):
    # Stacked: each field has its own label (a tabular inline's fields have none).
    model = Membership
    form = MembershipInlineForm
    formset = MembershipInlineFormSet
    formfield_overrides = STAFF_FORM_FIELDS
    fields = ["kind", "policy_area", "start_date", "end_date", "position", "corrects_mistake"]
    extra = 1
    ordering = ["start_date"]


class CurrentKindFilter(admin.SimpleListFilter):
    title = "current membership"
    parameter_name = "current_kind"

    def lookups(self, request, model_admin):
        return [*Membership._meta.get_field("kind").choices, ("none", "Not a current member")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        current = Membership.objects.current(timezone.localdate())
        if self.value() == "none":
            return queryset.exclude(memberships__in=current)
        return queryset.filter(memberships__in=current.filter(kind=self.value())).distinct()


@admin.register(Centre)
class CentreAdmin(NetworkChangeAdmin):
    list_display = ["name", "current_membership", "website"]
    list_filter = [CurrentKindFilter, "memberships__policy_area"]
    search_fields = ["name", "slug", "website", "text_after_link"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    related_histories = ["memberships"]
    actions = ["download_csv"]

    # The centre's membership actions, each a view of its own (membership_action_view).
    membership_actions = [ChangeKindForm, EndMembershipForm, StartMembershipForm]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__policy_area")

    def get_actions(self, request):
        # A centre is deleted from its own page, where the warning says what goes and its name is asked for.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_urls(self):
        actions = [
            path(
                f"<path:object_id>/membership/{form_class.address}/",
                self.admin_site.admin_view(self.membership_action_view),
                {"form_class": form_class},
                name=self.membership_action_name(form_class),
            )
            for form_class in self.membership_actions
        ]
        return actions + super().get_urls()

    @staticmethod
    def membership_action_name(form_class):
        return f"centres_centre_membership_{form_class.address.replace('-', '_')}"

    def membership_action_url(self, centre, form_class):
        return reverse(f"admin:{self.membership_action_name(form_class)}", args=[centre.pk])

    def offered_membership_actions(self, request, centre):
        """The actions the centre's page offers, as (title, address): change and end while it is or
        will be a member, start when it is not a member today."""
        if not self.may_change_memberships(request, centre):
            return []
        today = timezone.localdate()
        if centre.memberships.current(today).exists():
            offered = [ChangeKindForm, EndMembershipForm]
        elif centre.memberships.filter(start_date__gt=today).exists():
            offered = [StartMembershipForm, ChangeKindForm, EndMembershipForm]
        else:
            offered = [StartMembershipForm]
        return [(form_class.title, self.membership_action_url(centre, form_class)) for form_class in offered]

    def may_change_memberships(self, request, centre):
        return self.has_change_permission(request, centre) and all(
            request.user.has_perm(f"centres.{action}_membership") for action in ("add", "change")
        )

    def object_tools(self, request, obj=None):
        return self.offered_membership_actions(request, obj) if obj is not None else []

    def membership_action_view(self, request, object_id, form_class):
        """A membership action in two steps: its details, then (with a suggested change note) the
        major-change question. Saving ends and starts memberships and publishes the note in one transaction."""
        centre = self.get_object(request, unquote(object_id))
        if centre is None:
            raise Http404(f"No centre with the id {object_id}")
        if not self.may_change_memberships(request, centre):
            raise PermissionDenied
        # In a draft there is no question to ask: it is asked when the draft is published.
        asks_question = getattr(request, "draft", None) is None
        confirming = request.method == "POST" and (request.POST.get("step") == "confirm" or not asks_question)
        # The step that saves refuses to if the centre or its memberships changed after it was shown.
        question_form_class = self.refusing_overwrites(request, form_class, centre)
        if confirming:
            with transaction.atomic():
                # One action on a centre's memberships at a time: the form locks the centre and its
                # memberships, so a second editor's waits for the first's, then is checked against
                # what the first saved.
                form = question_form_class(request.POST, centre=centre, asks_question=asks_question)
                if form.is_valid():
                    self.apply_membership_action(request, centre, form)
                    return redirect(reverse("admin:centres_centre_change", args=[centre.pk]))
        else:
            # In a draft the details step saves, so it carries the version it was shown.
            first_step_class = form_class if asks_question else question_form_class
            form = first_step_class(request.POST or None, centre=centre, asks_question=False)
        changes = []
        if form.details_are_valid():
            # Shown again after another editor's change, it says what will be saved now.
            changes = [membership.describe_period() for membership in form.memberships()]
            if not confirming:
                form = question_form_class(initial=form.question_initial(), centre=centre, asks_question=True)
        elif confirming:
            # The details no longer hold (another editor's change in between): ask for them again,
            # saying whose change it was.
            refused = form
            form = form_class(request.POST, centre=centre, asks_question=False)
            for error in refused.non_field_errors().as_data():
                form.add_error(None, error)
        detail_fields = [name for name in form.detail_fields if name in form.fields]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{form_class.title}: {centre}",
            "opts": self.opts,
            "original": centre,
            "form": form,
            "changes": changes,
            "current": [m.describe_period() for m in centre.memberships.order_by("start_date")],
            "details_fieldset": helpers.Fieldset(form, fields=detail_fields, model_admin=self),
            "question_fieldset": form.asks_question
            and helpers.Fieldset(form, name="Publishing", fields=CHANGE_NOTE_FIELDS, model_admin=self),
            "record_version": record_version_field(form),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/centres/centre/membership_action.html", context)

    def apply_membership_action(self, request, centre, form):
        """Save the action's memberships, record them in the audit trail and publish its note (in the caller's transaction)."""
        note = form.published_change_note()
        reason = f"{form.title}. {self.change_reason(form)}"
        keep_first_version(Membership, [membership.pk for membership in form.memberships()])
        for membership in form.memberships():
            membership._change_reason = reason
        form.save()
        self.log_change(request, centre, reason)
        # Published before the message, which says where the note went.
        self.publish_change_note(request, centre, note, max(timezone.localdate(), form.effective_day()))
        saved = "; ".join(membership.describe_period() for membership in form.memberships())
        self.message_user(request, f"{centre}’s membership was saved: {saved}.", messages.SUCCESS)

    def membership_changes(self, form, formsets, change):
        changes = []
        for formset in formsets:
            if formset.model is Membership:
                changes += [(membership, fields, False) for membership, fields in formset.changed_objects]
                changes += [(membership, (), True) for membership in formset.new_objects]
        return changes

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if isinstance(inline_form, MembershipInlineForm) and inline_form.is_correction():
                record_as_correction(inline_form.instance)

    def deletion_warnings(self, centre):
        started = centre.memberships.started(timezone.localdate())
        warnings = [f"Its page, {centre.get_absolute_url()}, disappears."]
        if started.exists():
            first = started.earliest("start_date").start_date
            warnings = [
                f"{centre} disappears from the public pages as if it had never been a member: "
                "its row in the table of current members, its page, its joins and departures in the "
                f"network’s history, and its place in every year’s counts since {first.year}.",
                "To record that it left the network, use “End membership” instead: the history stays true.",
            ]
        return warnings

    def requires_typed_name(self, centre):
        return centre.memberships.started(timezone.localdate()).exists()

    def delete_view(self, request, object_id, extra_context=None):
        centre = self.get_object(request, unquote(object_id))
        if centre is not None and self.requires_typed_name(centre):
            extra_context = {**(extra_context or {}), "confirm_name_required": True}
            if request.method == "POST" and request.POST.get("confirm_name", "").strip() != centre.name:
                extra_context["confirm_name_error"] = f"Type the centre’s name, {centre.name}, to delete it."
                # Not confirmed: Django's view shows the confirmation again when nothing was posted.
                request.POST = QueryDict()
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description="Download selected centres and their memberships as CSV")
    def download_csv(self, request, queryset):
        rows = [
            row(centre, membership)
            for centre in queryset.prefetch_related(None).with_memberships()
            for membership in centre.memberships.all() or [None]
        ]
        return csv_download("centres.csv", rows)

    @admin.display(description="Current membership")
    def current_membership(self, centre):
        today = timezone.localdate()
        current = [m for m in centre.memberships.all() if m.is_current(today)]
        return ", ".join(m.get_kind_display() for m in current) or "Not a current member"


class MembershipStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("current", "Current"), ("ended", "Ended"), ("future", "Starts in the future")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.current(today)
        if self.value() == "ended":
            return queryset.filter(end_date__lte=today)
        if self.value() == "future":
            return queryset.filter(start_date__gt=today)
        return queryset


@admin.register(Membership)
class MembershipAdmin(MoveUpDownAdmin, NetworkChangeAdmin):
    form = MembershipForm
    list_display = ["centre", "kind", "policy_area", "start_date", "end_date", "position", "is_current"]
    list_filter = [MembershipStatusFilter, "kind", "policy_area"]
    list_select_related = ["centre", "policy_area"]
    search_fields = ["centre__name", "policy_area__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["centre"]
    ordering = ["kind", "position", "centre__name"]
    actions = ["download_csv"]

    def membership_changes(self, form, formsets, change):
        return [(form.instance, form.changed_data, not change)]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.is_correction():
            record_as_correction(obj)

    def deletion_warnings(self, membership):
        today = timezone.localdate()
        if membership.start_date > today:
            return [f"{membership.centre} will no longer start this membership on {long_date(membership.start_date)}."]
        last_year = membership.last_day.year if membership.end_date else today.year
        return [
            f"This membership disappears from the public pages and the network’s history: "
            f"{membership.centre}’s page, the table of current members while it is current, and the "
            f"counts of every year from {membership.start_date.year} to {last_year}.",
            "To record that the centre left the network or changed its kind, use “End membership” or "
            "“Change membership kind” on the centre instead: the history stays true.",
        ]

    @admin.action(description="Download selected memberships as CSV")
    def download_csv(self, request, queryset):
        return csv_download("memberships.csv", [row(m.centre, m) for m in queryset.with_centres()])

    @admin.display(boolean=True, description="Current")
    def is_current(self, membership):
        return membership.is_current()

    # The centres table's order: current members and those joining later, by kind.
    def object_tools(self, request, obj=None):
        return [("Order the centres table", reverse("admin:centres_membership_order"))]

    def get_urls(self):
        order = path("order/", self.admin_site.admin_view(self.order_view), name="centres_membership_order")
        return [order, *super().get_urls()]

    def order_groups(self, request):
        memberships = Membership.objects.not_ended().select_related("centre").order_by("position", "centre__name")
        return [(capfirst(kind.noun[1]), memberships.filter(kind=kind)) for kind in Kind]

    def order_title(self, request):
        return "Order the centres table"


@admin.register(PolicyArea)
class PolicyAreaAdmin(NetworkChangeAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def deletion_warnings(self, area):
        warnings = [f"Its page, {area.get_absolute_url()}, disappears."]
        if area.memberships.exists():
            warnings.append(
                "Memberships in the record name it, so it cannot be deleted: the table and the history "
                "show it. To stop a centre's membership in it, use “Change membership kind” on the centre."
            )
        return warnings
