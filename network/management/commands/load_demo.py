from django.core.management import call_command
from django.core.management.base import BaseCommand

from centres.models import Centre
from network.models import Page
from updates.models import PageUpdate


class Command(BaseCommand):
    help = "Load the demo content (the What Works Network page). Same as 'loaddata demo'."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has pages, centres or updates.",
        )

    def handle(self, *args, if_empty, **options):
        if if_empty and any(model.objects.exists() for model in (Page, Centre, PageUpdate)):
            self.stdout.write("The database already has content: the demo content was not loaded.")
            return
        call_command("loaddata", "demo", verbosity=options["verbosity"])
