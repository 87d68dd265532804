"""The page's form in the admin."""

from django import forms
from django.utils import timezone

from updates.forms import ChangeNoteForm


class PageForm(ChangeNoteForm):
    """A withdrawal has its day, today or earlier, and its explanation: both or neither.

    The database holds the same rule (Page's constraint); here each error goes on the field that
    needs it, and only once both fields are valid in themselves.
    """

    def clean_withdrawn_on(self):
        day = self.cleaned_data["withdrawn_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(
                "Enter today’s date or an earlier one: the page is withdrawn when this change is published.",
                code="future",
            )
        return day

    def clean(self):
        cleaned = super().clean()
        if {"withdrawn_on", "withdrawal_explanation"} & self.errors.keys():
            return cleaned
        day, explanation = cleaned.get("withdrawn_on"), cleaned.get("withdrawal_explanation")
        if day and not explanation:
            self.add_error(
                "withdrawal_explanation",
                forms.ValidationError(
                    "Enter an explanation: readers see it under the withdrawal notice. Or clear the date.",
                    code="required",
                ),
            )
        if explanation and not day:
            self.add_error(
                "withdrawn_on",
                forms.ValidationError(
                    "Enter the day the page was withdrawn, or clear the explanation.", code="required"
                ),
            )
        return cleaned
