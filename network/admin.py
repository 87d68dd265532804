from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib import admin
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from network.forms import DuplicatesOnFieldsFormSet, PageForm
from network.models import HelpPage, Page, RelatedLink, Section
from updates.admin import STAFF_FORM_FIELDS, AuditedAdmin, MajorChangeAdmin, MoveUpDownAdmin


class PartOfPageInline(admin.StackedInline):
    """A page's sections or related links on its form. Stacked: each field has its own label (a
    tabular inline's fields have none). No position field: new ones go last, and "Order sections" /
    "Order related links" move them."""

    formset = DuplicatesOnFieldsFormSet
    extra = 0
    formfield_overrides = STAFF_FORM_FIELDS


class SectionInline(PartOfPageInline):
    model = Section
    fields = ["heading", "body"]


class RelatedLinkInline(PartOfPageInline):
    model = RelatedLink
    fields = ["title", "address"]


@admin.register(Page)
class PageAdmin(MajorChangeAdmin):
    form = PageForm
    list_display = ["title", "slug", "organisation_name", "withdrawn_on"]
    search_fields = ["title", "summary", "sections__heading", "sections__body"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "document_type", "summary"]}),
        ("Publisher", {"fields": ["organisation_name", "organisation_url"]}),
        (
            "Source",
            {
                "fields": ["source_address"],
                "description": (
                    "The page says it reproduces this page on GOV.UK, with a link, as the Open Government "
                    "Licence asks of a republisher. Related links are below, after the sections."
                ),
            },
        ),
        (
            "Centres table",
            {
                "fields": ["table_caption", "centre_column_heading", "policy_area_column_heading"],
                "description": "The table's rows come from current memberships. Place it in a section's text with {centres_table}.",
            },
        ),
        (
            "Withdrawal",
            {
                "fields": ["withdrawn_on", "withdrawal_explanation"],
                "description": (
                    "Withdraw a page that is no longer current, as GOV.UK does: it stays at its address, with "
                    "“This guidance was withdrawn on …” and the explanation at the top, and “[Withdrawn]” "
                    "before its title in browser tabs and search results; its feed and JSON say so too. "
                    "Enter both fields to withdraw it, clear both to undo. Save as draft to have it checked first."
                ),
            },
        ),
    ]
    inlines = [SectionInline, RelatedLinkInline]
    related_histories = ["sections", "related_links"]

    def changed_pages(self, page):
        return [page]

    def object_tools(self, request, obj=None):
        if obj is None:
            return []
        return [(f"Order {model._meta.verbose_name_plural}", order_url(model, obj)) for model in (Section, RelatedLink)]


def order_url(model, page):
    """The address of the screen that moves `page`'s sections (or related links, `model`) up and down."""
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_order", kwargs={"page_id": page.pk})


class PartOfPageAdmin(MoveUpDownAdmin, MajorChangeAdmin):
    """A page's parts of a kind (network.models.PartOfPage), listed by page and moved up and down on
    an "Order …" screen of each page's."""

    list_filter = ["page"]
    list_select_related = ["page"]
    ordering = ["page", "position"]

    def changed_pages(self, part):
        return [part.page]

    def object_tools(self, request, obj=None):
        pages = [obj.page] if obj else Page.objects.all()
        return [(self.order_label(page), order_url(self.model, page)) for page in pages]

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_order"
        order = path("order/<int:page_id>/", self.admin_site.admin_view(self.order_view), name=name)
        return [order, *super().get_urls()]

    def order_groups(self, request, page_id):
        page = get_object_or_404(Page, pk=page_id)
        return [(None, self.model._default_manager.filter(page=page).order_by("position", "pk"))]

    def order_title(self, request, page_id):
        return self.order_label(get_object_or_404(Page, pk=page_id))

    def order_label(self, page):
        return f"Order {self.opts.verbose_name_plural} of “{page}”"


@admin.register(Section)
class SectionAdmin(PartOfPageAdmin):
    list_display = ["heading", "page", "position"]
    search_fields = ["heading", "body"]


@admin.register(RelatedLink)
class RelatedLinkAdmin(PartOfPageAdmin):
    list_display = ["title", "page", "address", "position"]
    search_fields = ["title", "address"]


@admin.register(HelpPage)
class HelpPageAdmin(AuditedAdmin):
    """The site's pages about itself (accessibility, privacy, cookies). They have no change notes:
    "Updates to this page" is the guidance's; a help page says when it was last updated."""

    list_display = ["title", "slug", "position"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "summary", "body", "position"]


# django-axes' own admin registers access attempts (importing it above makes sure it has); this one
# adds the action administrators look for when a colleague is locked out.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAdmin(AccessAttemptAdmin):
    actions = [*AccessAttemptAdmin.actions, "unlock"]

    @admin.action(description="Unlock: let these user names log in again from these addresses", permissions=["delete"])
    def unlock(self, request, queryset):
        attempts = list(queryset.values_list("username", "ip_address"))
        for username, ip_address in attempts:
            reset(ip=ip_address, username=username)
        names = ", ".join(sorted({username for username, _ip_address in attempts}))
        self.message_user(request, f"Unlocked {names}: they can log in again now.")
