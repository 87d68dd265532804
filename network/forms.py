"""The page's form in the admin, and its inlines' formsets."""

from django import forms
from django.db import models
from django.forms.formsets import DELETION_FIELD_NAME
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


class DuplicatesOnFieldsFormSet(forms.BaseInlineFormSet):
    """Two forms of an inline that would break one of its model's unique constraints (two related
    links of a page to one address): the error goes on the later form's field, in the constraint's
    own words, as ConstraintErrorsOnFields (network/validators.py) puts it for a record already saved.
    Django's own check would say only "Please correct the duplicate data", above the forms.
    """

    def clean(self):
        constraints = [
            constraint
            for constraint in self.model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is None
        ]
        kept = [form for form in self.forms if form.is_valid() and not form.cleaned_data.get(DELETION_FIELD_NAME)]
        for constraint in constraints:
            # The inline's forms share their foreign key; a field the form does not show is filled in later.
            fields = [name for name in constraint.fields if name != self.fk.name]
            if not fields or any(name not in self.form.base_fields for name in fields):
                continue
            seen = set()
            for form in kept:
                if any(name not in form.cleaned_data for name in fields):
                    continue
                values = tuple(form.cleaned_data[name] for name in fields)
                if values in seen:
                    form.add_error(fields[-1], forms.ValidationError(constraint.violation_error_message, code="unique"))
                seen.add(values)
        super().clean()
