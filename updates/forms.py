"""The question GOV.UK publishing asks on every save: is this a major change?"""

from django import forms
from django.utils import timezone

from network.placeholders import validate_no_placeholders
from network.validators import CHANGE_NOTE_LIMIT, max_length
from updates.models import PageUpdate

CHANGE_NOTE_FIELDS = ("major_change", "change_note")


class MajorChangeQuestion(forms.Form):
    """Asks whether a save is a major change, and for its change note.

    A form that does not ask (`asks_major_change = False`) saves a minor change.
    """

    asks_major_change = True

    major_change = forms.ChoiceField(
        label="Is this a major change?",
        choices=[
            ("yes", "Yes – readers need to know: a change note is published under “Updates to this page”"),
            ("no", "No – a minor change, such as a typo or a link fix: nothing is published"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if this is a major change."},
    )
    change_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What changed, in a sentence, as readers will see it. Required for a major change.",
        validators=[max_length(CHANGE_NOTE_LIMIT, "A change note"), validate_no_placeholders],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.asks_major_change:
            for name in CHANGE_NOTE_FIELDS:
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        missing = "change_note" not in self.errors and not cleaned.get("change_note", "").strip()
        if self.is_major_change() and missing:
            self.add_error(
                "change_note",
                forms.ValidationError("Enter a change note: a major change is published with one.", code="required"),
            )
        return cleaned

    def is_major_change(self):
        return self.cleaned_data.get("major_change") == "yes"

    def published_change_note(self):
        """The change note to publish, or None for a minor change."""
        return self.cleaned_data["change_note"].strip() if self.is_major_change() else None


class ChangeNoteForm(MajorChangeQuestion, forms.ModelForm):
    """A model form that also asks whether the save is a major change, and for its change note."""


class PageUpdateForm(forms.ModelForm):
    """A change note typed by staff: dated today or earlier, as a note is shown from its date on."""

    class Meta:
        model = PageUpdate
        fields = ["page", "date", "note"]
        help_texts = {
            "date": "The day readers see the note from: today or an earlier day. "
            "A major change that takes effect later dates its note that day itself."
        }

    def clean_date(self):
        date = self.cleaned_data["date"]
        # A note a major change scheduled for a later day keeps its date when its wording is corrected.
        if date > timezone.localdate() and date != self.initial.get("date"):
            raise forms.ValidationError(
                "Enter today’s date or an earlier one: a change note is shown from its date on, "
                "and readers cannot be told of a change before it happens.",
                code="future",
            )
        return date
