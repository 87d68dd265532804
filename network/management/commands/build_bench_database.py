from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from network.bench_content import ADD_CONTENT, SIZES

ALIAS = "bench"


class Command(BaseCommand):
    help = (
        "Build a new SQLite database file holding the demo content at one of the benchmark's sizes. "
        "It never touches the site's own database."
    )

    def add_arguments(self, parser):
        parser.add_argument("size", choices=SIZES)
        parser.add_argument("path", type=Path, help="The new database file. It must not exist yet.")

    def handle(self, *args, size, path, **options):
        if path.exists():
            raise CommandError(f"{path} exists already: choose a new file.")
        connections.settings[ALIAS] = connections.configure_settings(
            {**connections.settings, ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}}
        )[ALIAS]
        try:
            call_command("migrate", database=ALIAS, verbosity=0, interactive=False)
            call_command("loaddata", "demo", database=ALIAS, verbosity=0)
            if ADD_CONTENT[size]:
                ADD_CONTENT[size](using=ALIAS)
        except BaseException:
            path.unlink(missing_ok=True)  # never leave a half-built database behind
            raise
        finally:
            connections[ALIAS].close()
        self.stdout.write(f"Built the {size} content in {path}")
