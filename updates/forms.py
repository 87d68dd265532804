"""The question GOV.UK publishing asks on every save: is this a major change?"""

from django import forms
from django.utils import timezone

from network.placeholders import validate_no_placeholders
from network.validators import CHANGE_NOTE_LIMIT, max_length
from updates.models import PageUpdate
from updates.versions import RecordVersion

CHANGE_NOTE_FIELDS = ("major_change", "change_note")
RECORD_VERSION = "record_version"
# The code of the error that refuses a save over another editor's change.
CHANGED_SINCE_SHOWN = "changed_since_shown"


class RecordVersionField(forms.CharField):
    """Hidden: the version of the form's record (an `updates.versions.RecordVersion`) the form shows.

    A form shown again (refused, or with mistakes to correct) carries the version the database
    holds now, not the one posted: once staff have been told of another editor's change, saving
    again is a deliberate overwrite.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, strip=False, **kwargs)

    def bound_data(self, data, initial):
        return initial

    def has_changed(self, initial, data):
        return False


class RefusesOverwrites:
    """A form that refuses to save over a change someone else made to its record after it was shown.

    The admin makes it (`AuditedAdmin.refusing_overwrites`), naming its `model_admin`, the
    `request` and the `record`; the model admin reads the record's version, and says who changed
    it, when and what.
    """

    model_admin = None
    request = None
    record = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read from the database as this request sees it; for a save, locked until its transaction ends.
        self.current_version = self.model_admin.record_version(self.request, self.record, lock=self.is_bound)
        self.fields[RECORD_VERSION] = RecordVersionField(initial=str(self.current_version))

    def clean(self):
        cleaned = super().clean()
        shown = RecordVersion.parse(self.cleaned_data.get(RECORD_VERSION))
        if not self.current_version.matches(shown):
            refusal = self.model_admin.overwrite_refusal(self.request, self.record, shown, self.current_version)
            self.add_error(None, forms.ValidationError(refusal, code=CHANGED_SINCE_SHOWN))
        return cleaned


def record_version_field(form):
    """The form's hidden record version, to render at its top; None for a form that has none (adding)."""
    return form[RECORD_VERSION] if RECORD_VERSION in form.fields else None


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
