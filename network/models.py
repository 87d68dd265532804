"""The published page and its editable text."""

import datetime

from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from network.ordering import position_after
from network.placeholders import PLACEHOLDERS, validate_no_placeholders, validate_placeholders_in_markdown
from network.rendering import links_in_markdown, page_contents, render_markdown
from network.validators import (
    HELP_PAGE_TEXT_LIMIT,
    SECTION_TEXT_LIMIT,
    SLUG_LIMIT,
    SUMMARY_LIMIT,
    WITHDRAWAL_EXPLANATION_LIMIT,
    ConstraintErrorsOnFields,
    http_url_constraint,
    https_url_constraint,
    max_length,
    validate_http_url,
    validate_https_url,
)


def start_of_day(day):
    """A day as a time, as GOV.UK's content API gives dates: its start, UK time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class PageQuerySet(models.QuerySet):
    def showing_the_network(self):
        """Pages whose text shows the network's members: a section uses one of the placeholders."""
        uses_placeholder = Q()
        for name in PLACEHOLDERS:
            uses_placeholder |= Q(sections__body__contains=f"{{{name}}}")
        return self.filter(uses_placeholder).distinct()


class PageManager(models.Manager.from_queryset(PageQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Page(ConstraintErrorsOnFields):
    """A GOV.UK-style guidance page: its heading, summary and metadata. Its body is in sections."""

    slug = models.SlugField(
        max_length=200,
        unique=True,
        # Escaped: the admin shows help text as HTML.
        help_text=escape(
            "The page's address: /guidance/<slug>. If you change it, the old address and those of its "
            "feed, history and data redirect to the new ones."
        ),
        validators=[max_length(SLUG_LIMIT, "The slug")],
    )
    title = models.CharField(max_length=200, validators=[validate_no_placeholders])
    summary = models.TextField(
        help_text="One or two sentences shown under the title, in larger text.",
        validators=[max_length(SUMMARY_LIMIT, "The summary"), validate_no_placeholders],
    )
    document_type = models.CharField(
        max_length=100,
        default="Guidance",
        help_text='Shown above the title, for example "Guidance".',
        validators=[validate_no_placeholders],
    )
    organisation_name = models.CharField(
        max_length=200,
        help_text='The publisher, shown as "From: …" under the summary.',
        validators=[validate_no_placeholders],
    )
    organisation_url = models.URLField(
        max_length=500, validators=[validate_http_url], help_text="Where the publisher's name links to."
    )
    # Attribution, which the Open Government Licence asks of whoever republishes a page.
    source_address = models.URLField(
        max_length=500,
        blank=True,
        validators=[validate_https_url],
        help_text=(
            "The address of the page on GOV.UK that this page reproduces (https:// only): the page names "
            "it as its source, with a link. Leave empty for a page that reproduces none."
        ),
    )
    table_caption = models.CharField(
        max_length=200,
        default="Current What Works Centres and affiliate members",
        help_text="The centres table's caption: what a screen reader announces before the table.",
        validators=[validate_no_placeholders],
    )
    centre_column_heading = models.CharField(
        max_length=100, default="What Works Centre", validators=[validate_no_placeholders]
    )
    policy_area_column_heading = models.CharField(
        max_length=100, default="Policy area", validators=[validate_no_placeholders]
    )
    # Withdrawn, as GOV.UK withdraws a page that is no longer current: it stays readable, with a
    # notice. Both fields or neither; clearing both undoes the withdrawal.
    withdrawn_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the page was withdrawn: today or an earlier day. Leave empty while the page is current.",
    )
    withdrawal_explanation = models.TextField(
        blank=True,
        help_text=(
            "Why the page was withdrawn and where readers should go instead, shown under the notice. "
            "Markdown: a blank line between paragraphs, [link text](https://address) for links. "
            "Required with the date."
        ),
        validators=[max_length(WITHDRAWAL_EXPLANATION_LIMIT, "The withdrawal explanation"), validate_no_placeholders],
    )

    objects = PageManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            http_url_constraint("organisation_url", "page_organisation_url_is_http"),
            https_url_constraint("source_address", "page_source_address_is_https", blank=True),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True, withdrawal_explanation="")
                | (Q(withdrawn_on__isnull=False) & ~Q(withdrawal_explanation="")),
                name="page_withdrawn_with_explanation",
                violation_error_message="A withdrawn page has both the day it was withdrawn and an explanation.",
            ),
        ]

    def __str__(self):
        return self.title

    def external_links(self):
        """The addresses of other sites this page shows (links/ checks them): the publisher's, its
        source on GOV.UK, and the links in a withdrawal's explanation."""
        shown = [self.organisation_url, self.source_address, *links_in_markdown(self.withdrawal_explanation)]
        return list(dict.fromkeys(address for address in shown if address))

    def withdrawal_explanation_html(self):
        """The explanation as the notice shows it: Markdown, sanitised (network/rendering.py)."""
        return mark_safe(render_markdown(self.withdrawal_explanation))

    def get_absolute_url(self):
        return reverse("guidance-page", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class SectionManager(models.Manager):
    def get_by_natural_key(self, page_slug, heading):
        return self.get(page__slug=page_slug, heading=heading)


def placeholder_help():
    listed = "; ".join(f"{{{name}}}: {description}" for name, description in PLACEHOLDERS.items())
    return (
        "Markdown: a blank line between paragraphs, '- ' before each bullet, "
        "[link text](https://address) for links. Placeholders are filled in from the "
        f"network's records when the page is shown: {listed}."
    )


class PartOfPage(ConstraintErrorsOnFields):
    """One of a page's parts of a kind (its sections, its related links), in order by `position`,
    which each model declares: a new one goes after the others."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.position is None:
            self.position = position_after(type(self)._default_manager.filter(page=self.page))
        super().save(*args, **kwargs)


class Section(PartOfPage):
    """A headed part of a page's body, in Markdown."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(
        blank=True,
        help_text="Lower numbers come first. Leave empty to put a new section last; “Order sections” on the page moves sections up and down.",
    )
    heading = models.CharField(
        max_length=200,
        help_text="Shown as a heading and in the contents list.",
        validators=[validate_no_placeholders],
    )
    body = models.TextField(
        help_text=placeholder_help(),
        validators=[max_length(SECTION_TEXT_LIMIT, "Section text"), validate_placeholders_in_markdown],
    )

    objects = SectionManager()
    history = HistoricalRecords()

    class Meta:
        # Reading order within a page (a page's sections are always fetched for that page).
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "heading"],
                name="section_unique_heading_per_page",
                violation_error_message="This page already has a section with this heading.",
            ),
            models.UniqueConstraint(
                fields=["page", "position"],
                name="section_unique_position_per_page",
                violation_error_message=(
                    "This page already has a section at this position. Choose another number, or use "
                    "“Order sections” on the page to move sections up and down."
                ),
            ),
        ]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return f"{self.page.get_absolute_url()}#{self.anchor}"

    def external_links(self):
        """The addresses of other sites its text links to (links/ checks them)."""
        return links_in_markdown(self.body)

    def natural_key(self):
        return self.page.natural_key() + (self.heading,)

    natural_key.dependencies = ["network.page"]

    @property
    def anchor(self):
        """The heading's id on the page, for the contents list's links."""
        return slugify(self.heading)


class HelpPageQuerySet(models.QuerySet):
    def in_footer(self):
        """The help pages as the footer's support links list them, in their order."""
        return self.order_by("position").only("slug", "title")

    def with_last_updated(self):
        """Each with `last_updated`: when its latest version in the audit trail was saved (None for
        one loaded from a fixture and not changed since), read in the same query."""
        versions = self.model.history.filter(id=OuterRef("pk")).order_by("-history_date")
        return self.annotate(last_updated=Subquery(versions.values("history_date")[:1]))


class HelpPageManager(models.Manager.from_queryset(HelpPageQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class HelpPage(ConstraintErrorsOnFields):
    """One of the site's own pages about itself, such as its accessibility statement, privacy
    notice and cookies page, at /help/<slug> as GOV.UK has them, linked from every page's footer."""

    slug = models.SlugField(
        max_length=200,
        unique=True,
        # Escaped: the admin shows help text as HTML.
        help_text=escape(
            "The page's address: /help/<slug>. If you change it, the old address redirects to the new one."
        ),
        validators=[max_length(SLUG_LIMIT, "The slug")],
    )
    title = models.CharField(
        max_length=200,
        help_text="The page's heading, and its link in every page's footer.",
        validators=[validate_no_placeholders],
    )
    summary = models.TextField(
        blank=True,
        help_text="Optional: one or two sentences shown under the title, and by search engines.",
        validators=[max_length(SUMMARY_LIMIT, "The summary"), validate_no_placeholders],
    )
    body = models.TextField(
        help_text=(
            "Markdown: '## ' before a heading (listed under Contents at the top of the page), '### ' before "
            "a subheading, a blank line between paragraphs, '- ' before each bullet, "
            "[link text](https://address) for links."
        ),
        validators=[max_length(HELP_PAGE_TEXT_LIMIT, "The text"), validate_no_placeholders],
    )
    position = models.PositiveSmallIntegerField(
        blank=True,
        help_text="Its place among the footer's links: lower numbers come first. Leave empty to put a new page last.",
    )

    objects = HelpPageManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                name="helppage_unique_position",
                violation_error_message="Another help page has this place in the footer. Choose another number.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("help-page", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def save(self, *args, **kwargs):
        if self.position is None:
            self.position = position_after(HelpPage.objects.all())
        super().save(*args, **kwargs)

    def external_links(self):
        """The addresses of other sites its text links to (links/ checks them)."""
        return links_in_markdown(self.body)

    def body_html(self):
        """The text as the page shows it: Markdown with its headings, sanitised (network/rendering.py)."""
        return mark_safe(render_markdown(self.body, page_headings=True))

    def contents(self):
        """[(id, words)] of the text's headings, for the page's contents list."""
        return page_contents(self.body)


class RelatedLinkQuerySet(models.QuerySet):
    def in_order(self):
        """The links as the page lists them: by position."""
        return self.order_by("position", "pk")


class RelatedLinkManager(models.Manager.from_queryset(RelatedLinkQuerySet)):
    def get_by_natural_key(self, page_slug, address):
        return self.get(page__slug=page_slug, address=address)


class RelatedLink(PartOfPage):
    """A link in the page's "Related content", beside its text (below it on narrow screens)."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveSmallIntegerField(
        blank=True,
        help_text="Lower numbers come first. Leave empty to put a new link last; “Order related links” on the page moves links up and down.",
    )
    title = models.CharField(
        max_length=200,
        help_text="The link's text: the linked page's title.",
        validators=[validate_no_placeholders],
    )
    address = models.URLField(max_length=500, validators=[validate_http_url], help_text="Where the link leads.")

    objects = RelatedLinkManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            http_url_constraint("address", "relatedlink_address_is_http"),
            models.UniqueConstraint(
                fields=["page", "address"],
                name="relatedlink_unique_address_per_page",
                violation_error_message="This page already has a related link to this address.",
            ),
            models.UniqueConstraint(
                fields=["page", "position"],
                name="relatedlink_unique_position_per_page",
                violation_error_message=(
                    "This page already has a related link at this position. Choose another number, or use "
                    "“Order related links” on the page to move links up and down."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.page.get_absolute_url()}#related-content-heading"

    def external_links(self):
        """The address of the other site it leads to (links/ checks it)."""
        return [self.address]

    def natural_key(self):
        return self.page.natural_key() + (self.address,)

    natural_key.dependencies = ["network.page"]


class ContentVersionManager(models.Manager):
    def token(self):
        """The current content version (one query), or None while the database has no row for it."""
        # The table's one row, written by the triggers.
        return next(iter(self.values_list("token", flat=True)), None)

    def current(self):
        """(the content version, when its next scheduled change is due) in one query; (None, None)
        while the database has no row for it."""
        return next(iter(self.values_list("token", "next_change_at")), (None, None))

    def note_next_change(self, next_change):
        """Keep `next_change()` (a moment, or None) as when the next scheduled change is due.

        It is called once this row is held (SQLite's write lock, PostgreSQL's row lock, until the
        caller's transaction ends), so it reads every change scheduled and committed before; one
        being scheduled now notes itself after. Call it in the transaction that schedules a change.
        """
        with transaction.atomic():
            self.update(next_change_at=F("next_change_at"))  # a write, to hold the row
            self.update(next_change_at=next_change())


class ContentVersion(models.Model):
    """The one row the database rewrites on every change to published content.

    Its token is written only by database triggers (network/content_version.py); page caching reads
    it. Beside it, when the next scheduled change to the content is due, read with it: a request
    that finds the moment has passed makes the due changes first (network/caching.py).
    """

    token = models.CharField(max_length=64)
    next_change_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the next scheduled change to the content is due (a draft scheduled to be published).",
    )

    objects = ContentVersionManager()

    def __str__(self):
        return self.token
