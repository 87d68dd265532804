"""The published page and its editable text.

The queries that build a public page (the page, its sections, its centres table and its change
notes) are written in SQL beside their models, and run as network/sql.py says: building them with
the ORM cost several times what running them does, on every page build (docs/performance.md).
Everything else uses the ORM.
"""

import functools

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from network.placeholders import PLACEHOLDERS, unknown_placeholders
from network.sql import fetch_rows, instances_in_sql
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
        # Escaped: the admin shows help text as HTML.
        help_text=escape("The page's address: /guidance/<slug>. Changing it breaks existing links."),
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
    position = models.PositiveSmallIntegerField(
        blank=True,
        help_text="Lower numbers come first. Leave empty to put a new section last; “Order sections” on the page moves sections up and down.",
    )
    heading = models.CharField(max_length=200, help_text="Shown as a heading and in the contents list.")
    body = models.TextField(help_text=placeholder_help())

    objects = SectionManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["page", "position", "pk"]
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

    def natural_key(self):
        return self.page.natural_key() + (self.heading,)

    natural_key.dependencies = ["network.page"]

    def save(self, *args, **kwargs):
        if self.position is None:
            self.position = (self.page.sections.aggregate(last=models.Max("position"))["last"] or 0) + 1
        super().save(*args, **kwargs)

    @property
    def anchor(self):
        return heading_anchor(self.heading)

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
