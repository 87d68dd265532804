"""The published page and its editable text."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from network.placeholders import PLACEHOLDERS, unknown_placeholders
from network.validators import ConstraintErrorsOnFields, http_url_constraint, validate_http_url


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
        help_text="The page's address: /guidance/<slug>. Changing it breaks existing links.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="One or two sentences shown under the title, in larger text.")
    document_type = models.CharField(
        max_length=100, default="Guidance", help_text='Shown above the title, for example "Guidance".'
    )
    organisation_name = models.CharField(
        max_length=200, help_text='The publisher, shown as "From: …" under the summary.'
    )
    organisation_url = models.URLField(
        max_length=500, validators=[validate_http_url], help_text="Where the publisher's name links to."
    )
    table_caption = models.CharField(
        max_length=200,
        default="Current What Works Centres and affiliate members",
        help_text="The centres table's caption: what a screen reader announces before the table.",
    )
    centre_column_heading = models.CharField(max_length=100, default="What Works Centre")
    policy_area_column_heading = models.CharField(max_length=100, default="Policy area")

    objects = PageManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [http_url_constraint("organisation_url", "page_organisation_url_is_http")]

    def __str__(self):
        return self.title

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


class Section(ConstraintErrorsOnFields):
    """A headed part of a page's body, in Markdown."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    heading = models.CharField(max_length=200, help_text="Shown as a heading and in the contents list.")
    body = models.TextField(help_text=placeholder_help())

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
            )
        ]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return f"{self.page.get_absolute_url()}#{self.anchor}"

    def natural_key(self):
        return self.page.natural_key() + (self.heading,)

    natural_key.dependencies = ["network.page"]

    @property
    def anchor(self):
        """The heading's id on the page, for the contents list's links."""
        return slugify(self.heading)

    def clean(self):
        unknown = unknown_placeholders(self.body)
        if unknown:
            raise ValidationError(
                {
                    "body": ValidationError(
                        "Unknown placeholder %(unknown)s. The placeholders are: %(known)s.",
                        code="unknown_placeholder",
                        params={
                            "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                            "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
                        },
                    )
                }
            )


class ContentVersionManager(models.Manager):
    def token(self):
        """The current content version (one query), or None while the database has no row for it."""
        # The table's one row, written by the triggers.
        return next(iter(self.values_list("token", flat=True)), None)


class ContentVersion(models.Model):
    """The one row the database rewrites on every change to published content.

    Written only by database triggers (network/content_version.py); page caching reads it.
    """

    token = models.CharField(max_length=64)

    objects = ContentVersionManager()

    def __str__(self):
        return self.token
