"""The questions a draft's review asks: a reviewer's comment when sending it back, and the reason
for publishing it without a review."""

from django import forms

from network.validators import CHANGE_NOTE_LIMIT, max_length
from updates.forms import MajorChangeQuestion


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The author sees this on the draft's page.",
        validators=[max_length(CHANGE_NOTE_LIMIT, "A comment")],
        error_messages={"required": "Enter what needs to change: the author sees it on the draft."},
    )


class ForcePublishForm(MajorChangeQuestion):
    reason = forms.CharField(
        label="Why it cannot wait for a review",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with the draft. It stays listed as not yet reviewed until another publisher reviews it.",
        validators=[max_length(CHANGE_NOTE_LIMIT, "A reason")],
        error_messages={"required": "Enter why this draft is published without a review."},
    )
