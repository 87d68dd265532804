"""Build a new SQLite database file holding the demo content at one of the benchmark's sizes.

It never touches the site's own database: the file is a second database, `bench`, set up here.
Run: python -m tools.build_bench_database SIZE FILE
"""

import argparse
import os
import sys
from pathlib import Path

import django

ALIAS = "bench"


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings")
    django.setup()
    # Models can be imported only once Django is set up.
    from django.core.management import call_command
    from django.db import connections

    from tools.bench_content import ADD_CONTENT, SIZES, add_open_drafts

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=SIZES)
    parser.add_argument("path", type=Path, help="The new database file. It must not exist yet.")
    arguments = parser.parse_args()
    size, path = arguments.size, arguments.path
    if path.exists():
        sys.exit(f"{path} exists already: choose a new file.")
    connections.settings[ALIAS] = connections.configure_settings(
        {**connections.settings, ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}}
    )[ALIAS]
    try:
        call_command("migrate", database=ALIAS, verbosity=0, interactive=False)
        call_command("loaddata", "demo", database=ALIAS, verbosity=0)
        if ADD_CONTENT[size]:
            ADD_CONTENT[size](using=ALIAS)
        add_open_drafts(using=ALIAS)
    except BaseException:
        path.unlink(missing_ok=True)  # never leave a half-built database behind
        raise
    finally:
        connections[ALIAS].close()
    print(f"Built the {size} content in {path}")


if __name__ == "__main__":
    main()
