from django import forms

from feedback.models import EMPTY_REPORT_MESSAGE, NOT_A_PAGE_MESSAGE, Feedback, Kind

# Only a post that no form on the site makes lacks these or gets them wrong: say so in the reader's words.
UNKNOWN_ANSWER_MESSAGE = "Answer “Is this page useful?” with Yes or No, or report a problem."


class FeedbackForm(forms.ModelForm):
    """An answer to "Is this page useful?" or a problem report, as the form at the foot of a page posts it."""

    class Meta:
        model = Feedback
        fields = ["kind", "path", "what_doing", "what_wrong"]
        error_messages = {
            "kind": {"required": UNKNOWN_ANSWER_MESSAGE, "invalid_choice": UNKNOWN_ANSWER_MESSAGE},
            "path": {"required": NOT_A_PAGE_MESSAGE},
        }

    def clean(self):
        cleaned_data = super().clean()
        # On the first question, where the reader starts: the database's rule says the same.
        report = [cleaned_data.get("what_doing"), cleaned_data.get("what_wrong")]
        too_long = self.has_error("what_doing") or self.has_error("what_wrong")
        if cleaned_data.get("kind") == Kind.PROBLEM and not any(report) and not too_long:
            self.add_error("what_doing", EMPTY_REPORT_MESSAGE)
        return cleaned_data
