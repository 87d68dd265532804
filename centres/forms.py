"""Admin forms for memberships: rules spanning several memberships of one centre, the record kept
for memberships that have started, and the centre's membership actions."""

import datetime

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone

from centres.models import Kind, Membership, PolicyArea, find_overlap, long_date, overlap_error
from updates.forms import CHANGE_NOTE_FIELDS, CHANGED_SINCE_SHOWN, ChangeNoteForm, MajorChangeQuestion

# What the public pages and the history show of a membership from its first day on.
RECORDED_FIELDS = ("kind", "policy_area", "start_date")
# The end date's rule, said on the form where it is typed.
MEMBERSHIP_HELP_TEXTS = {
    "end_date": (
        "The first day the centre no longer holds this membership: its last day is the day before, "
        "and the public pages show that last day (“… to 26 November 2026” for an end date of "
        "27 November 2026). Leave empty while it continues. A date in the future takes effect on that day."
    ),
}


class CorrectionForm(forms.Form):
    """A membership form that keeps the record: a membership that has started keeps its kind, policy
    area and start date, which the public pages and the history show, unless the edit corrects a mistake.

    A change of kind or policy area is a new membership from the day it happens (the centre's
    "Change membership kind" action); editing the old one would rewrite the years before.
    """

    corrects_mistake = forms.BooleanField(
        label="This corrects a mistake in the record",
        required=False,
        help_text=(
            "Tick only to correct a kind, policy area or start date that was recorded wrongly. "
            "For a change that happened, use “Change membership kind” or “End membership” on the centre."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        started = self.instance.pk is not None and self.instance.start_date <= timezone.localdate()
        rewritten = [name for name in RECORDED_FIELDS if name in self.changed_data]
        if started and rewritten and not cleaned.get("corrects_mistake"):
            self.add_error(
                rewritten[0],
                forms.ValidationError(
                    "This membership has started, so its kind, policy area and start date are part of "
                    "the public record. To record a change (a promotion, a move to another kind or policy "
                    "area, or leaving), use “Change membership kind” or “End membership” on the centre’s "
                    "page in the admin. If the record is wrong, tick “This corrects a mistake in the record”.",
                    code="started",
                ),
            )
        return cleaned

    def is_correction(self):
        return self.cleaned_data.get("corrects_mistake", False) and any(
            name in self.changed_data for name in RECORDED_FIELDS
        )


class MembershipForm(CorrectionForm, ChangeNoteForm):
    """A single membership, checked against the centre's other memberships as saved."""

    class Meta:
        model = Membership
        fields = ["centre", "kind", "policy_area", "start_date", "end_date", "position"]
        help_texts = MEMBERSHIP_HELP_TEXTS

    def clean(self):
        cleaned = super().clean()
        centre, start, end = (cleaned.get(name) for name in ("centre", "start_date", "end_date"))
        if centre and start and (end is None or end > start):
            candidate = Membership(centre=centre, start_date=start, end_date=end)
            other = find_overlap(candidate, centre.memberships.exclude(pk=self.instance.pk))
            if other:
                self.add_error("start_date", overlap_error(other))
        return cleaned


class MembershipInlineForm(CorrectionForm, forms.ModelForm):
    """A membership in its centre's form."""

    class Meta:
        model = Membership
        fields = ["kind", "policy_area", "start_date", "end_date", "position"]
        help_texts = MEMBERSHIP_HELP_TEXTS


class MembershipInlineFormSet(forms.BaseInlineFormSet):
    """All of one centre's memberships, checked against each other as submitted.

    The formset holds every membership of the centre, so the rows as edited (not as saved)
    are what must not overlap: ending one membership and adding the next in one save works.
    """

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.is_valid() and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("start_date")
        ]
        for index, form in enumerate(kept):
            other = find_overlap(form.instance, [earlier.instance for earlier in kept[:index]])
            if other:
                form.add_error("start_date", overlap_error(other))


class MembershipActionForm(MajorChangeQuestion):
    """One of the centre's membership actions: end the membership in force and start the next on
    the same day, in one step.

    Asked in two steps: its details (`detail_fields`), then, with those fixed, the major-change
    question with a suggested change note.
    """

    title = ""  # as the centre's page offers it
    address = ""  # its part of the action's web address
    detail_fields = ("day",)
    labels = {}  # each action's words for its fields
    help_texts = {}

    day = forms.DateField(widget=AdminDateWidget)

    def __init__(self, *args, centre, asks_question, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.asks_question = asks_question
        if not asks_question:
            for name in CHANGE_NOTE_FIELDS:
                del self.fields[name]
        for name, label in self.labels.items():
            self.fields[name].label = label
        for name, help_text in self.help_texts.items():
            self.fields[name].help_text = help_text
        self.fields["day"].initial = timezone.localdate()
        self.ending = None  # the membership this ends (its end date set), or None
        self.starting = None  # the membership this starts, or None

    def details_are_valid(self):
        """Whether the details hold, so that the second step can say what will be saved. (They may
        hold after another editor's change to the centre, which refuses the save: see RefusesOverwrites.)"""
        if not self.is_bound or any(name in self.errors for name in self.detail_fields):
            return False
        return all(error.code == CHANGED_SINCE_SHOWN for error in self.errors.as_data().get(NON_FIELD_ERRORS, []))

    def memberships(self):
        """The memberships this saves, in order: the one that ends, then the one that starts."""
        return [membership for membership in (self.ending, self.starting) if membership]

    def effective_day(self):
        return self.cleaned_data["day"]

    def suggested_note(self):
        raise NotImplementedError

    def question_initial(self):
        """The form's values for its second step: the details as given, and the suggested note."""
        return {**{name: self.cleaned_data[name] for name in self.detail_fields}, "change_note": self.suggested_note()}

    def save(self):
        """Save the memberships it changes; the caller holds the transaction (and publishes the note)."""
        for membership in self.memberships():
            membership.save()


class NewMembershipForm(MembershipActionForm):
    """An action that starts a membership: its kind, policy area and first day."""

    detail_fields = ("kind", "policy_area", "day")

    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.RadioSelect)
    policy_area = forms.ModelChoiceField(
        queryset=PolicyArea.objects.all(),
        required=False,
        empty_label="None",
        help_text="Leave as “None” where the table’s policy area cell should be empty.",
    )

    def clean(self):
        cleaned = super().clean()
        kind, area, day = (cleaned.get(name) for name in self.detail_fields)
        if day and kind:
            self.check_new_membership(kind, area, day, current=self.centre.memberships.current(day).first())
        return cleaned

    def check_new_membership(self, kind, area, day, current):
        """Check the membership asked for against the one in force on its first day (or None); start it if it fits."""
        raise NotImplementedError

    def start(self, kind, area, day, replacing=None):
        """The membership that starts on `day`, checked against the centre's others (but the one it replaces)."""
        keeps_place = replacing is not None and replacing.kind == kind
        self.starting = Membership(
            centre=self.centre,
            kind=kind,
            policy_area=area,
            start_date=day,
            end_date=replacing.end_date if replacing else None,
            position=replacing.position if keeps_place else Membership.objects.next_position(kind),
        )
        others = self.centre.memberships.exclude(pk=replacing.pk) if replacing else self.centre.memberships.all()
        other = find_overlap(self.starting, others)
        if other:
            self.add_error("day", overlap_error(other))


class ChangeKindForm(NewMembershipForm):
    """Promote an affiliate, move a centre to associate, or change its policy area, from a day on."""

    title = "Change membership kind"
    address = "change-kind"
    labels = {"kind": "New kind of membership", "day": "The day it takes effect"}
    help_texts = {
        "day": "The first day of the new membership. The current membership ends that day: its last day is "
        "the day before. A day in the future takes effect on that day, and the change note is shown from then."
    }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, centre=centre, **kwargs)
        current = centre.memberships.current(timezone.localdate()).first()
        if current:
            self.fields["kind"].initial = next(kind for kind in Kind if kind != current.kind)
            self.fields["policy_area"].initial = current.policy_area

    def check_new_membership(self, kind, area, day, current):
        if current is None:
            self.add_error(
                "day",
                f"{self.centre} holds no membership on {long_date(day)}: use “Start membership” to add one.",
            )
        elif current.start_date == day:
            self.add_error(
                "day",
                f"Its {current.describe_period()} membership starts that day: choose a later day, or "
                "correct that membership (ticking “This corrects a mistake in the record”).",
            )
        elif kind == current.kind and area == current.policy_area:
            self.add_error(
                "kind",
                f"On that day it is already {Kind(kind).with_article} in {area or 'no policy area'}: "
                "choose another kind or policy area.",
            )
        else:
            self.start(kind, area, day, replacing=current)
            current.end_date = day
            self.ending = current

    def suggested_note(self):
        if self.starting.kind != self.ending.kind:
            return f"{self.centre} is now {Kind(self.starting.kind).with_article}."
        area = self.starting.policy_area
        return f"{self.centre}’s policy area is now {area}." if area else f"{self.centre} no longer has a policy area."


class EndMembershipForm(MembershipActionForm):
    """Record that a centre leaves the network on a day."""

    title = "End membership"
    address = "end"
    labels = {"day": "The day it ends"}
    help_texts = {
        "day": "The first day the centre is no longer a member: its last day is the day before. A day in the "
        "future takes effect on that day, and the change note is shown from then."
    }

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("day")
        if not day:
            return cleaned
        last_day = day - datetime.timedelta(days=1)
        current = self.centre.memberships.current(last_day).first()
        following = self.centre.memberships.filter(start_date__gte=day).first()
        if current is None:
            self.add_error("day", f"{self.centre} holds no membership on {long_date(last_day)}: there is none to end.")
        elif current.end_date == day:
            self.add_error("day", f"Its {current.describe_period()} membership already ends that day.")
        elif following:
            self.add_error(
                "day",
                f"It has a {following.describe_period()} membership starting on or after that day: "
                "end that one instead, or delete it first.",
            )
        else:
            current.end_date = day
            self.ending = current
        return cleaned

    def suggested_note(self):
        return f"{self.centre} has left the network."


class StartMembershipForm(NewMembershipForm):
    """Record that a centre joins (or rejoins) the network on a day."""

    title = "Start membership"
    address = "start"
    labels = {"kind": "Kind of membership", "day": "The day it starts"}
    help_texts = {
        "day": "The first day of the membership. A day in the future takes effect on that day, and the "
        "change note is shown from then."
    }

    def check_new_membership(self, kind, area, day, current):
        if current:
            self.add_error(
                "day",
                f"It is already a member on that day ({current.describe_period()}): "
                "use “Change membership kind” or “End membership”.",
            )
        else:
            self.start(kind, area, day)

    def suggested_note(self):
        rejoins = self.centre.memberships.filter(start_date__lt=self.starting.start_date).exists()
        joined = "rejoined" if rejoins else "joined"
        return f"{self.centre} has {joined} the network as {Kind(self.starting.kind).with_article}."
