from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DraftsConfig(AppConfig):
    name = "drafts"
    verbose_name = "Drafts"

    def ready(self):
        from drafts.records import note_write
        from drafts.scheduling import publish_due_drafts
        from network.content_version import scheduled_change_due

        post_save.connect(note_write, dispatch_uid="drafts.records.note_write.save")
        post_delete.connect(note_write, dispatch_uid="drafts.records.note_write.delete")
        # A request that finds a scheduled change due publishes the drafts due (drafts/scheduling.py).
        scheduled_change_due.connect(publish_due_drafts, dispatch_uid="drafts.scheduling.publish_due_drafts")
