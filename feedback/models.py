"""Readers' feedback on a public page: "Is this page useful?" answered yes or no, or a problem report.

Each answer keeps the page's path and when it was sent, and nothing about who sent it: no address,
no browser, no account.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from network.addresses import is_a_records_address
from network.validators import max_length, max_length_constraint

# The longest answer to each of a problem report's questions: room for a few paragraphs.
REPORT_TEXT_LIMIT = 3_000
# A public page's path: a slug has at most 170 characters (network/validators.py).
PATH_LIMIT = 200
EMPTY_REPORT_MESSAGE = "Enter what you were doing or what went wrong."
NOT_A_PAGE_MESSAGE = "This feedback is not about a page of this site."


def validate_public_path(path):
    """Only the address of one of the site's public pages that exists, never whatever a client sends."""
    if not is_a_records_address(path):
        raise ValidationError(NOT_A_PAGE_MESSAGE, code="not_a_page")


class Kind(models.TextChoices):
    USEFUL = "useful", "Useful: yes"
    NOT_USEFUL = "not-useful", "Useful: no"
    PROBLEM = "problem", "Problem report"


class Feedback(models.Model):
    kind = models.CharField(max_length=20, choices=Kind.choices)
    path = models.CharField(
        "page", max_length=PATH_LIMIT, validators=[validate_public_path], help_text="The page's address on this site."
    )
    what_doing = models.TextField(
        "what they were doing", blank=True, validators=[max_length(REPORT_TEXT_LIMIT, "What you were doing")]
    )
    what_wrong = models.TextField(
        "what went wrong", blank=True, validators=[max_length(REPORT_TEXT_LIMIT, "What went wrong")]
    )
    created_at = models.DateTimeField("sent", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "feedback"
        verbose_name_plural = "feedback"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values),
                name="feedback_kind_known",
                violation_error_message="Feedback is an answer, yes or no, or a problem report.",
            ),
            # A problem report says something; a yes or a no says nothing more.
            models.CheckConstraint(
                condition=~models.Q(kind=Kind.PROBLEM) | ~models.Q(what_doing="") | ~models.Q(what_wrong=""),
                name="feedback_report_has_text",
                violation_error_message=EMPTY_REPORT_MESSAGE,
            ),
            models.CheckConstraint(
                condition=models.Q(kind=Kind.PROBLEM) | models.Q(what_doing="", what_wrong=""),
                name="feedback_answer_has_no_text",
                violation_error_message="Only a problem report has text: a yes or a no says nothing more.",
            ),
            max_length_constraint("what_doing", REPORT_TEXT_LIMIT, "What you were doing", "feedback_what_doing_length"),
            max_length_constraint("what_wrong", REPORT_TEXT_LIMIT, "What went wrong", "feedback_what_wrong_length"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.path}"
