"""The site's links to other sites, and whether they worked when last checked (links/checking.py).

Not content: no public page is built from these tables, so they have no content-version triggers,
and a check never changes what the public sees or how it is cached.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q

from network.content_version import content_models
from network.validators import http_url_constraint

# Longer addresses than browsers and search engines reliably follow are not collected.
ADDRESS_LIMIT = 2000
ERROR_LIMIT = 500


def links_on_the_site():
    """{address: {(content type, record's pk): the public page it appears on}} for every live
    record of a content model that shows addresses of other sites (its `external_links()`)."""
    found = {}
    for model in content_models():
        if not hasattr(model, "external_links"):
            continue
        content_type = ContentType.objects.get_for_model(model)
        # A record's public address may be its parent's (a section's is its page's, with an anchor).
        parents = [field.name for field in model._meta.concrete_fields if field.many_to_one]
        for record in model.objects.select_related(*parents):
            for address in record.external_links():
                if len(address) <= ADDRESS_LIMIT:
                    found.setdefault(address, {})[(content_type, record.pk)] = record.get_absolute_url()
    return found


class Status(models.TextChoices):
    NOT_CHECKED = "not-checked", "Not yet checked"
    WORKING = "working", "Working"
    REDIRECT = "redirect", "Redirect"
    BROKEN = "broken", "Broken"
    TIMED_OUT = "timed-out", "Timed out"


# The order staff read them in, what needs fixing first: broken and timed-out links, then redirects,
# links not yet checked, and working ones.
WORST_FIRST = [Status.BROKEN, Status.TIMED_OUT, Status.REDIRECT, Status.NOT_CHECKED, Status.WORKING]
WORST_FIRST_RANK = models.Case(
    *(models.When(status=status, then=number) for number, status in enumerate(WORST_FIRST)),
    output_field=models.PositiveSmallIntegerField(),
)


class CheckedLinkQuerySet(models.QuerySet):
    def refresh_from_site(self):
        """Make the list the site's links as they are now, each with where it appears; returns them.

        A link no longer on any page is removed with its result: the list is of the site's links, and
        one put back is checked afresh. Links still on the site keep their last result until checked.
        """
        found = links_on_the_site()
        with transaction.atomic():
            self.exclude(address__in=found).delete()
            LinkAppearance.objects.all().delete()
            known = set(self.filter(address__in=found).values_list("address", flat=True))
            # Conflicts ignored: a check running at the same time (the timer's, and a click on the
            # admin's button) may have added the same rows since this transaction began.
            new = (CheckedLink(address=address) for address in found if address not in known)
            self.bulk_create(new, ignore_conflicts=True)
            links = {link.address: link for link in self.filter(address__in=found)}
            LinkAppearance.objects.bulk_create(
                (
                    LinkAppearance(link=links[address], content_type=content_type, object_id=pk, page_address=page)
                    for address, records in found.items()
                    for (content_type, pk), page in records.items()
                ),
                ignore_conflicts=True,
            )
        return list(links.values())


class CheckedLink(models.Model):
    """An address of another site that a public page links to, and what it answered when last checked."""

    address = models.URLField(max_length=ADDRESS_LIMIT, unique=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.NOT_CHECKED)
    http_status = models.PositiveSmallIntegerField(
        "HTTP status", null=True, blank=True, help_text="The status of the last answer, after any redirects."
    )
    final_address = models.URLField(
        "ends at", max_length=ADDRESS_LIMIT, blank=True, help_text="Where its redirects led."
    )
    error = models.CharField(max_length=ERROR_LIMIT, blank=True, help_text="Why no answer came.")
    checked_at = models.DateTimeField("last checked", null=True, blank=True)

    objects = CheckedLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "checked link"
        ordering = [WORST_FIRST_RANK, "address"]
        # Nobody adds or edits these: each check writes them. Staff look, and run a check.
        default_permissions = ("view",)
        permissions = [("check_links", "Can check the site's links now")]
        constraints = [
            http_url_constraint("address", "checked_link_address_is_http"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="checked_link_status_is_known",
                violation_error_message="A link's status is one of: " + ", ".join(Status.labels) + ".",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=Status.NOT_CHECKED,
                    checked_at__isnull=True,
                    http_status__isnull=True,
                    error="",
                    final_address="",
                )
                | (~Q(status=Status.NOT_CHECKED) & Q(checked_at__isnull=False)),
                name="checked_link_checked_when_it_has_a_result",
                violation_error_message="A link has a result exactly when it has been checked.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.WORKING, Status.REDIRECT])
                | Q(http_status__gte=200, http_status__lt=300, error=""),
                name="checked_link_working_answers_success",
                violation_error_message="A working link, or one that redirects, ends in a 2xx answer.",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.REDIRECT, final_address__gt="") | (~Q(status=Status.REDIRECT)),
                name="checked_link_redirect_says_where",
                violation_error_message="A link that redirects says where it ends.",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.BROKEN)
                | (Q(http_status__isnull=False) & ~Q(http_status__range=(200, 299)))
                | (Q(http_status__isnull=True) & ~Q(error="")),
                name="checked_link_broken_says_why",
                violation_error_message="A broken link has the status of an answer that is not a success, or the error that stopped it.",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.TIMED_OUT) | Q(http_status__isnull=True),
                name="checked_link_timed_out_without_answer",
                violation_error_message="A link that timed out has no answer's status.",
            ),
        ]

    def __str__(self):
        return self.address


class LinkAppearance(models.Model):
    """Where a checked link appears: the record that shows it and the public page it is on."""

    link = models.ForeignKey(CheckedLink, on_delete=models.CASCADE, related_name="appearances")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    page_address = models.CharField("page", max_length=500, help_text="The public page's address, as it was checked.")

    class Meta:
        default_permissions = ()
        ordering = ["page_address", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "content_type", "object_id"],
                name="link_appearance_once_per_record",
                violation_error_message="This link is already recorded for this record.",
            )
        ]

    def __str__(self):
        return f"{self.link} on {self.page_address}"
