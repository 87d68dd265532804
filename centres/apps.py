from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "centres"
    verbose_name = "Network membership"

    def ready(self):
        from centres.models import Centre, PolicyArea
        from network.addresses import keep_old_addresses

        keep_old_addresses(Centre, ["centre"])
        keep_old_addresses(PolicyArea, ["policy-area"])
