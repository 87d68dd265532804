"""Admin forms that check rules spanning several memberships of one centre."""

from django import forms

from centres.models import Membership, find_overlap, overlap_error
from updates.forms import ChangeNoteForm


class MembershipForm(ChangeNoteForm):
    """A single membership, checked against the centre's other memberships as saved."""

    class Meta:
        model = Membership
        fields = ["centre", "kind", "policy_area", "start_date", "end_date", "position"]

    def clean(self):
        cleaned = super().clean()
        centre, start, end = (cleaned.get(name) for name in ("centre", "start_date", "end_date"))
        if centre and start and (end is None or end > start):
            candidate = Membership(centre=centre, start_date=start, end_date=end)
            other = find_overlap(candidate, centre.memberships.exclude(pk=self.instance.pk))
            if other:
                self.add_error("start_date", overlap_error(other))
        return cleaned


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
