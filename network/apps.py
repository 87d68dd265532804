from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Guidance"

    def ready(self):
        from network.roles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, dispatch_uid="network.roles.grant_after_migrate")
