"""The network's membership: centres, the policy areas they cover, and their places over time."""

import functools

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from simple_history.models import HistoricalRecords

from network.addresses import page_address, page_addresses
from network.placeholders import validate_no_placeholders
from network.sql import fetch_rows
from network.validators import ConstraintErrorsOnFields, http_url_constraint, validate_http_url


def long_date(day):
    """A date as GOV.UK writes it: "4 March 2013"."""
    return _long_date(day, get_language())


# The text depends on the date and the language alone, so memoising by both is exact. Pages show
# the same dates on every render, and Django's date formatting costs about 35 µs a date.
@functools.lru_cache(maxsize=4096)
def _long_date(day, language):
    return date_format(day, "j F Y")


def centre_path(slug):
    """The address of a centre's page, /centres/<slug>."""
    return page_address("centre", slug=slug)


class PolicyAreaManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PolicyArea(ConstraintErrorsOnFields):
    name = models.CharField(max_length=200, unique=True, validators=[validate_no_placeholders])
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in web addresses. Lower case, numbers and hyphens."
    )

    objects = PolicyAreaManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("policy-area", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class CentreQuerySet(models.QuerySet):
    def with_memberships(self):
        """Each centre with its memberships, oldest first, fetched in one more query."""
        return self.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("policy_area").order_by("start_date"))
        )


class CentreManager(models.Manager.from_queryset(CentreQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Centre(ConstraintErrorsOnFields):
    name = models.CharField(
        max_length=200,
        unique=True,
        help_text="The centre's name, shown as the link to its website.",
        validators=[validate_no_placeholders],
    )
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in web addresses. Lower case, numbers and hyphens."
    )
    website = models.URLField(
        max_length=500,
        validators=[validate_http_url],
        help_text="The centre's own website, starting https:// or http://.",
    )
    text_after_link = models.CharField(
        max_length=200,
        blank=True,
        help_text='Shown after the linked name in the table, for example "(hosted by LSE, Arup, Centre for Cities)".',
        validators=[validate_no_placeholders],
    )

    objects = CentreManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [http_url_constraint("website", "centre_website_is_http")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return centre_path(self.slug)

    def natural_key(self):
        return (self.slug,)


class Kind(models.TextChoices):
    """A member's standing in the network, in the order the table lists them."""

    WHAT_WORKS_CENTRE = "centre", "What Works Centre"
    AFFILIATE = "affiliate", "Affiliate"
    ASSOCIATE = "associate", "Associate"

    @property
    def noun(self):
        """How the page's prose counts this kind: (one, many)."""
        return {
            Kind.WHAT_WORKS_CENTRE: ("independent What Works Centre", "independent What Works Centres"),
            Kind.AFFILIATE: ("affiliate member", "affiliate members"),
            Kind.ASSOCIATE: ("associate member", "associate members"),
        }[self]

    def count_phrase(self, count):
        one, many = self.noun
        return f"{count} {one if count == 1 else many}"

    @property
    def with_article(self):
        """One member of this kind in a sentence: "a What Works Centre", "an affiliate member"."""
        return {
            Kind.WHAT_WORKS_CENTRE: "a What Works Centre",
            Kind.AFFILIATE: "an affiliate member",
            Kind.ASSOCIATE: "an associate member",
        }[self]


def join_phrases(phrases):
    """Join phrases the way the page's prose does: "a", "a and b", "a, b and c"."""
    if len(phrases) < 2:
        return "".join(phrases)
    return f"{', '.join(phrases[:-1])} and {phrases[-1]}"


class MemberCounts(dict):
    """Current members by kind; every kind is present, with 0 when it has none."""

    @classmethod
    def of(cls, kinds):
        """Count members from their kinds, already fetched (the table's), so the counts need no query of their own."""
        counts = cls.fromkeys(Kind, 0)
        for kind in kinds:
            counts[kind] += 1
        return counts

    def phrase(self, kind):
        return Kind(kind).count_phrase(self[kind])

    def network_phrase(self):
        """E.g. "9 independent What Works Centres and 3 affiliate members".

        What Works Centres are always named; other kinds only when the network has some.
        """
        return join_phrases([self.phrase(kind) for kind in Kind if kind == Kind.WHAT_WORKS_CENTRE or self[kind]])


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Memberships in force on a day (today by default): started, and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=on), start_date__lte=on)

    def with_centres(self):
        """With their centres and policy areas, by centre and then oldest first."""
        return self.select_related("centre", "policy_area").order_by("centre__name", "centre", "start_date")


class MembershipManager(models.Manager.from_queryset(MembershipQuerySet)):
    def get_by_natural_key(self, centre_slug, start_date):
        return self.get(centre__slug=centre_slug, start_date=start_date)

    def table_rows(self, on):
        """The centres table on a day: What Works Centres first, then affiliates, then associates, each by position.

        The memberships current(on) selects (tests hold the two together), in SQL run as
        network/sql.py says: every page build runs it, and the ORM took about ten times as long to
        build it as SQLite takes to run it (docs/performance.md). Each row is a dict of the values
        the table shows, not three model instances; sorted in Python, which costs less than
        ranking the kinds in SQL.
        """
        connection = connections[self.db]
        day = connection.ops.adapt_datefield_value(on)
        memberships = fetch_rows(
            connection,
            "SELECT m.kind, m.position, a.name, c.name, c.slug, c.website, c.text_after_link "
            f"FROM {self.model._meta.db_table} m "
            f"JOIN {Centre._meta.db_table} c ON c.id = m.centre_id "
            f"LEFT JOIN {PolicyArea._meta.db_table} a ON a.id = m.policy_area_id "
            "WHERE m.start_date <= %s AND (m.end_date IS NULL OR m.end_date > %s)",
            [day, day],
        )
        kind_rank = {kind: rank for rank, kind in enumerate(Kind)}
        labels = dict(Kind.choices)
        address = page_addresses()
        rows = [
            {
                "kind": kind,
                "kind_label": labels[kind],
                "position": position,
                "centre_name": name,
                "centre_url": address("centre", slug=slug),
                "centre_website": website,
                "centre_text_after_link": text_after_link,
                "policy_area_name": policy_area_name,
            }
            for kind, position, policy_area_name, name, slug, website, text_after_link in memberships
        ]
        rows.sort(key=lambda row: (kind_rank[row["kind"]], row["position"], row["centre_name"]))
        return rows


def find_overlap(membership, others):
    """The first of `others` that shares a day with `membership`, or None.

    A membership runs from its start date up to, but not including, its end date, so one
    can end on the day the next begins.
    """
    for other in others:
        starts_before_other_ends = other.end_date is None or membership.start_date < other.end_date
        ends_after_other_starts = membership.end_date is None or membership.end_date > other.start_date
        if starts_before_other_ends and ends_after_other_starts:
            return other
    return None


def overlap_error(other):
    return ValidationError(
        "This overlaps the centre's %(other)s membership. A centre holds one membership at a "
        "time: end the other one first, on or before this one's start date.",
        code="overlap",
        params={"other": other.describe_period()},
    )


class Membership(ConstraintErrorsOnFields):
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WHAT_WORKS_CENTRE)
    policy_area = models.ForeignKey(
        PolicyArea,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        help_text="Leave empty where the table's policy area cell should be empty.",
    )
    start_date = models.DateField(help_text="The first day of this membership.")
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "The first day the centre no longer holds this membership. Leave empty while it "
            "continues. A date in the future takes effect on that day."
        ),
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text="Order in the table among members of the same kind: lower numbers come first.",
    )

    objects = MembershipManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["centre__name", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="membership_ends_after_it_starts",
                violation_error_message="The end date must be after the start date.",
            ),
            models.UniqueConstraint(fields=["centre", "start_date"], name="membership_unique_start_per_centre"),
        ]
        # current() looks up memberships by end date, so ended ones (the network's long past)
        # are skipped by the index rather than scanned.
        indexes = [models.Index(fields=["end_date"], name="membership_end_date")]
        # Overlapping memberships of one centre are refused by an exclusion constraint on
        # PostgreSQL (migration 0002) and by the admin's forms everywhere.

    def __str__(self):
        return f"{self.centre}: {self.describe_period()}"

    def natural_key(self):
        return self.centre.natural_key() + (self.start_date.isoformat(),)

    natural_key.dependencies = ["centres.centre"]

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError(
                {"end_date": ValidationError("The end date must be after the start date.", code="ends_before_start")}
            )

    def describe_period(self):
        start = long_date(self.start_date) if self.start_date else "?"
        if self.end_date:
            return f"{self.get_kind_display()} from {start} to {long_date(self.end_date)}"
        return f"{self.get_kind_display()} from {start}"

    def describe_history(self, on):
        """This membership in the centre's history as seen on a day: "What Works Centre since …"."""
        if self.end_date is None and self.start_date <= on:
            return f"{self.get_kind_display()} since {long_date(self.start_date)}"
        return self.describe_period()

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date > on)
