from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst

from centres.export import csv_download, row
from centres.forms import MembershipForm, MembershipInlineFormSet
from centres.models import Centre, Kind, Membership, PolicyArea
from network.models import Page
from updates.admin import STAFF_FORM_FIELDS, MajorChangeAdmin, MoveUpDownAdmin


class NetworkChangeAdmin(MajorChangeAdmin):
    """A change to the network's members is a change to the pages that show them."""

    def changed_pages(self, obj):
        return Page.objects.showing_the_network()


class MembershipInline(admin.StackedInline):
    # Stacked: each field has its own label (a tabular inline's fields have none).
    model = Membership
    formset = MembershipInlineFormSet
    formfield_overrides = STAFF_FORM_FIELDS
    fields = ["kind", "policy_area", "start_date", "end_date", "position"]
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

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__policy_area")

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
