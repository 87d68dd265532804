"""The network's membership: centres, the policy areas they cover, and their places over time."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from network.ordering import position_after
from network.placeholders import validate_no_placeholders
from network.validators import (
    SLUG_LIMIT,
    ConstraintErrorsOnFields,
    http_url_constraint,
    max_length,
    validate_http_url,
)

SLUG_HELP = (
    "Used in web addresses. Lower case, numbers and hyphens. If you change it, the old address "
    "redirects to the new one."
)


def long_date(day):
    """A date as GOV.UK writes it: "4 March 2013"."""
    return date_format(day, "j F Y")


class PolicyAreaManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PolicyArea(ConstraintErrorsOnFields):
    name = models.CharField(max_length=200, unique=True, validators=[validate_no_placeholders])
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text=SLUG_HELP,
        validators=[max_length(SLUG_LIMIT, "The slug")],
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
        max_length=200,
        unique=True,
        help_text=SLUG_HELP,
        validators=[max_length(SLUG_LIMIT, "The slug")],
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
        return reverse("centre", kwargs={"slug": self.slug})

    def external_links(self):
        """The address of another site it shows (links/ checks it): its website."""
        return [self.website]

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

    def started(self, on):
        """Memberships that had started by a day: part of the public record, in force or ended."""
        return self.filter(start_date__lte=on)

    def not_ended(self, on=None):
        """Memberships in force on a day or starting later: those the table shows, now or to come."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=on))

    def next_position(self, kind):
        """The position that puts a membership after every other of its kind."""
        return position_after(self.filter(kind=kind))

    def with_centres(self):
        """With their centres and policy areas, by centre and then oldest first."""
        return self.select_related("centre", "policy_area").order_by("centre__name", "centre", "start_date")

    def in_table_order(self):
        """A list of these memberships, with their centres and policy areas, in the centres table's order.

        What Works Centres, then affiliates, then associates; each kind by position, then by centre
        name. Sorted in Python: ranking the kinds in SQL (Case/When) costs more to build than the
        sort does for a table's rows.
        """
        kinds = list(Kind)
        return sorted(
            self.select_related("centre", "policy_area").order_by(),
            key=lambda membership: (kinds.index(membership.kind), membership.position, membership.centre.name),
        )


class MembershipManager(models.Manager.from_queryset(MembershipQuerySet)):
    def get_by_natural_key(self, centre_slug, start_date):
        return self.get(centre__slug=centre_slug, start_date=start_date)


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
        blank=True,
        help_text=(
            "Order in the table among members of the same kind: lower numbers come first. Leave empty "
            "to put a new membership last; “Order the centres table” moves members up and down."
        ),
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

    def save(self, *args, **kwargs):
        if self.position is None:
            self.position = Membership.objects.next_position(self.kind)
        super().save(*args, **kwargs)

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError(
                {"end_date": ValidationError("The end date must be after the start date.", code="ends_before_start")}
            )

    @property
    def last_day(self):
        """The last day this membership applies: the day before its end date, or None while it continues."""
        return self.end_date - datetime.timedelta(days=1) if self.end_date else None

    def describe_period(self):
        """E.g. "Affiliate from 1 October 2019 to 14 June 2022": from its first day to its last, both included."""
        start = long_date(self.start_date) if self.start_date else "?"
        if self.end_date:
            return f"{self.get_kind_display()} from {start} to {long_date(self.last_day)}"
        return f"{self.get_kind_display()} from {start}"

    def describe_history(self, on):
        """This membership in the centre's history as seen on a day: "What Works Centre since …"."""
        if self.end_date is None and self.start_date <= on:
            return f"{self.get_kind_display()} since {long_date(self.start_date)}"
        return self.describe_period()

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date > on)
