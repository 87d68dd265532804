from django.core.management.base import BaseCommand

from links.checking import check_links, summary


class Command(BaseCommand):
    help = (
        "Check every link from the public pages to other sites and record whether each works, redirects, "
        "is broken or timed out (staff see them under Link checks in the admin). Meant for a daily timer. "
        "Exits with status 0 whatever the links answer: a broken link is a finding, not a failure of the command."
    )

    def handle(self, *args, **options):
        self.stdout.write(summary(check_links()))
