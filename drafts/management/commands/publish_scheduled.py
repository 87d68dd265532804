from django.core.management.base import BaseCommand

from drafts.scheduling import publish_due_drafts


class Command(BaseCommand):
    help = (
        "Publish the drafts whose scheduled time has come. Requests already do this by themselves; run "
        "it from a timer if you prefer. Safe to run on several machines at once: a draft is published once."
    )

    def handle(self, *args, **options):
        published, failed = publish_due_drafts()
        for draft in published:
            self.stdout.write(f"Published “{draft}” ({draft.pk}), scheduled for {draft.scheduled_time}.")
        for draft in failed:
            self.stderr.write(
                f"Could not publish “{draft}” ({draft.pk}), scheduled for {draft.scheduled_time}: {draft.failure}"
            )
        if not published and not failed:
            self.stdout.write("No scheduled draft is due.")
