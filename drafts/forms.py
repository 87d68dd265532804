"""The questions a draft's review asks: a reviewer's comment when sending it back, and the reason
for publishing it without a review; and whom a fact-check link is for, and for how long."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from drafts.models import FactCheckLink
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


class FactCheckLinkForm(forms.ModelForm):
    """Whom a draft's fact-check link is for, and the days it works for (as settings allow now)."""

    class Meta:
        model = FactCheckLink
        fields = ["shared_with"]
        labels = {"shared_with": "Who it is for"}
        error_messages = {"shared_with": {"required": "Enter who the link is for."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        longest = settings.FACT_CHECK_LINK_MAX_DAYS
        self.fields["days"] = forms.IntegerField(
            label="Days it works for",
            min_value=1,
            max_value=longest,
            initial=settings.FACT_CHECK_LINK_DAYS,
            help_text=f"At most {longest}. It also stops when the draft is published or discarded.",
            error_messages={
                "required": "Enter how many days the link works for.",
                "min_value": "A link works for at least 1 day.",
                "max_value": f"A link works for at most {longest} days.",
            },
        )

    def save(self, draft, user):
        link = super().save(commit=False)
        link.draft, link.created_by = draft, user
        link.created_at = timezone.now()
        link.expires_at = link.created_at + datetime.timedelta(days=self.cleaned_data["days"])
        link.save()
        return link
