from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Guidance"

    def ready(self):
        from network.addresses import keep_old_addresses, name_the_site
        from network.models import HelpPage, Page
        from network.roles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, dispatch_uid="network.roles.grant_after_migrate")
        # After django.contrib.sites' own handler, which makes the site: sites is installed first.
        post_migrate.connect(name_the_site, sender=self.apps.get_app_config("sites"), dispatch_uid="network.site")
        keep_old_addresses(Page, ["guidance-page", "guidance-page-feed", "network-timeline", "guidance-page-content"])
        keep_old_addresses(HelpPage, ["help-page"])
