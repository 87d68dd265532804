"""Rules for what staff enter: http(s)-only (or https-only) web addresses, text of a bounded length,
and constraint errors on the right field."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models, router
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

HTTP_URL_MESSAGE = "Enter a web address starting https:// or http://."
HTTPS_URL_MESSAGE = "Enter a web address starting https://."
# Staff may type a date either way; network/formats/ lists the formats the admin accepts.
DATE_MESSAGE = "Enter a date like 1 December 2026 or 2026-12-01."

validate_http_url = URLValidator(schemes=["http", "https"], message=HTTP_URL_MESSAGE)
# A code of its own: the admin's forms give "invalid" errors their http(s) message (updates/admin.py).
validate_https_url = URLValidator(schemes=["https"], message=HTTPS_URL_MESSAGE, code="not_https")


# The longest text each kind of staff-written field may hold: more than any real page needs, and
# little enough that every page built from it stays quick.
SECTION_TEXT_LIMIT = 10_000
SUMMARY_LIMIT = 1_000
CHANGE_NOTE_LIMIT = 1_000
# A slug's longest address, /api/content/guidance/<slug>, must fit the 200 characters a redirect from
# it holds (django.contrib.redirects), so that changing the slug keeps the old address answering.
SLUG_LIMIT = 170
WITHDRAWAL_EXPLANATION_LIMIT = 1_000
# A help page's text is the whole page, with headings of its own (an accessibility statement has a dozen).
HELP_PAGE_TEXT_LIMIT = 20_000


def too_long_message(limit, what):
    return f"{what} must be {limit:,} characters or fewer."


def max_length(limit, what):
    """A length limit whose error names the field, e.g. "Section text must be 10,000 characters or fewer."."""
    return MaxLengthValidator(limit, message=too_long_message(limit, what))


def url_scheme_constraint(field_name, name, schemes, message, blank=False):
    """A rule on a web address's scheme in the database, for records that do not come through a
    form (fixtures, shell); `blank`: an empty address is allowed too."""
    condition = models.Q()
    for scheme in schemes:
        condition |= models.Q(**{f"{field_name}__istartswith": f"{scheme}://"})
    if blank:
        condition |= models.Q(**{field_name: ""})
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def http_url_constraint(field_name, name):
    """`validate_http_url`'s rule in the database."""
    return url_scheme_constraint(field_name, name, ["http", "https"], HTTP_URL_MESSAGE)


def https_url_constraint(field_name, name, blank=False):
    """`validate_https_url`'s rule in the database."""
    return url_scheme_constraint(field_name, name, ["https"], HTTPS_URL_MESSAGE, blank)


def max_length_constraint(field_name, limit, what, name):
    """max_length's rule in the database, for text fields that have no length of their own (TextField)."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field_name), limit),
        name=name,
        violation_error_message=too_long_message(limit, what),
    )


class ConstraintErrorsOnFields(models.Model):
    """Shows a unique constraint's error on the last field it names, not above the whole form.

    A constraint over several fields, such as one heading per page, is broken by the field staff
    chose (the heading), not by the record it belongs to: that is the field the error belongs on.
    """

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(type(self), instance=self)
        errors = {}
        for model, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model, self, exclude=exclude, using=using)
                except ValidationError as error:
                    fields = getattr(constraint, "fields", None)
                    errors.setdefault(fields[-1] if fields else NON_FIELD_ERRORS, []).append(error)
        if errors:
            raise ValidationError(errors)
