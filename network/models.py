"""The published page and its editable text.

The queries that build a public page (the page, its sections, its centres table and its change
notes) are written in SQL beside their models, and run as network/sql.py says: building them with
the ORM cost several times what running them does, on every page build (docs/performance.md).
Everything else uses the ORM.
"""

import functools

from django.db import connections, models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from network.placeholders import PLACEHOLDERS, validate_no_placeholders, validate_placeholders_in_markdown
from network.sql import fetch_rows, instances_in_sql
from network.validators import (
    SECTION_TEXT_LIMIT,
    SUMMARY_LIMIT,
    ConstraintErrorsOnFields,
    http_url_constraint,
    max_length,
    validate_http_url,
)


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

    def get_for_display(self, slug):
        """The page at /guidance/<slug> (in SQL: see the module's docstring); Page.DoesNotExist if none."""
        for page in instances_in_sql(self, "WHERE slug = %s", [slug]):
            return page
        raise self.model.DoesNotExist(f"No page at /guidance/{slug}")


class Page(ConstraintErrorsOnFields):
    """A GOV.UK-style guidance page: its heading, summary and metadata. Its body is in sections."""

    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The page's address: /guidance/<slug>. Changing it breaks existing links.",
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

    def in_page_order(self, page):
        """The page's sections in reading order (in SQL: see the module's docstring)."""
        return instances_in_sql(self, "WHERE page_id = %s ORDER BY position, id", [page.pk])


def placeholder_help():
    listed = "; ".join(f"{{{name}}}: {description}" for name, description in PLACEHOLDERS.items())
    return (
        "Markdown: a blank line between paragraphs, '- ' before each bullet, "
        "[link text](https://address) for links. Placeholders are filled in from the "
        f"network's records when the page is shown: {listed}."
    )


# Pure, and asked twice per section on every page build (the contents list and the heading).
@functools.lru_cache(maxsize=1024)
def heading_anchor(heading):
    return slugify(heading)


class Section(ConstraintErrorsOnFields):
    """A headed part of a page's body, in Markdown."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
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
        ordering = ["page", "position", "pk"]
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
        return heading_anchor(self.heading)


class ContentVersionManager(models.Manager):
    def token(self):
        """The current content version (one query), or None while the database has no row for it.

        Read on every public request, cache hits included, so in plain SQL (building the ORM query
        costs more than running it), run as network/sql.py says.
        """
        connection = connections[self.db]
        rows = fetch_rows(
            connection, f"SELECT token FROM {connection.ops.quote_name(self.model._meta.db_table)} WHERE id = 1"
        )
        return rows[0][0] if rows else None


class ContentVersion(models.Model):
    """The one row the database rewrites on every change to published content.

    Written only by database triggers (network/content_version.py); page caching reads it.
    """

    token = models.CharField(max_length=64)

    objects = ContentVersionManager()

    def __str__(self):
        return self.token
