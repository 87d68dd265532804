"""The questions a draft's review asks: a reviewer's comment when sending it back, the reason for
publishing it without a review, and when a scheduled draft goes live; and whom a fact-check link is
for, and for how long."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from drafts.models import FactCheckLink
from drafts.times import UK, NotOnTheClock, uk_moment, uk_time
from network.validators import CHANGE_NOTE_LIMIT, DATE_MESSAGE, max_length
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


class ScheduleForm(MajorChangeQuestion):
    """When a reviewed draft goes live by itself, in UK time, and the change note it goes live with."""

    day = forms.DateField(
        label="Day",
        help_text="For example, 1 December 2026.",
        error_messages={"required": "Enter the day it goes live.", "invalid": DATE_MESSAGE},
    )
    time = forms.TimeField(
        label="Time (UK)",
        input_formats=["%H:%M", "%H.%M", "%I:%M%p", "%I:%M %p", "%I.%M%p", "%I%p", "%I %p"],
        help_text="UK time (GMT in winter, BST in summer), for example 9:30am or 14:00.",
        error_messages={"required": "Enter the time it goes live.", "invalid": "Enter a time like 9:30am or 14:00."},
    )
    field_order = ["day", "time", "major_change", "change_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_note"].help_text += " It is published dated the day the draft goes live."

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("day"), cleaned.get("time")
        if day is None or time is None:
            return cleaned
        try:
            moment = uk_moment(day, time)
        except NotOnTheClock as error:
            self.add_error("time", forms.ValidationError(f"{error} Choose another time.", code="not_on_the_clock"))
            return cleaned
        if moment <= timezone.now():
            self.add_error(
                "day" if day < timezone.localdate(timezone=UK) else "time",
                forms.ValidationError(f"Enter a time in the future: {uk_time(moment)} has passed.", code="in_the_past"),
            )
        cleaned["moment"] = moment
        return cleaned

    def published_change_note(self):
        return super().published_change_note() or ""
