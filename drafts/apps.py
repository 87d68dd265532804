from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DraftsConfig(AppConfig):
    name = "drafts"
    verbose_name = "Drafts"

    def ready(self):
        from drafts.records import note_write

        post_save.connect(note_write, dispatch_uid="drafts.records.note_write.save")
        post_delete.connect(note_write, dispatch_uid="drafts.records.note_write.delete")
