from django import forms

from feedback.models import EMPTY_REPORT_MESSAGE, Feedback, Kind


class FeedbackForm(forms.ModelForm):
    """An answer to "Is this page useful?" or a problem report, as the form at the foot of a page posts it."""

    class Meta:
        model = Feedback
        fields = ["kind", "path", "what_doing", "what_wrong"]

    def clean(self):
        cleaned_data = super().clean()
        # On the first question, where the reader starts: the database's rule says the same.
        report = [cleaned_data.get("what_doing"), cleaned_data.get("what_wrong")]
        too_long = self.has_error("what_doing") or self.has_error("what_wrong")
        if cleaned_data.get("kind") == Kind.PROBLEM and not any(report) and not too_long:
            self.add_error("what_doing", EMPTY_REPORT_MESSAGE)
        return cleaned_data
