"""The restore drill of docs/deploy.md: back up with pg_dump, restore into a new database, serve from it."""

import shutil
import subprocess

import psycopg
import pytest
from bs4 import BeautifulSoup

from tests.helpers import PAGE_URL, skip_or_fail, text_of
from tests.servers import SHARED_POSTGRES, Browser, gunicorn, new_database, prepare_demo_database

# Real servers and processes: `make test-quick` leaves these out.
pytestmark = pytest.mark.drill

TITLE = "What Works Network, as backed up"


def run(*command):
    if not shutil.which(command[0]):
        skip_or_fail(f"{command[0]} is not installed")
    subprocess.run(command, check=True, capture_output=True)


def test_a_backup_restores_into_a_new_database_that_serves_the_page(tmp_path):
    backup = tmp_path / "whatworks.dump"
    with new_database() as database_url:
        prepare_demo_database(database_url)
        # A change staff made, so the restored page can only have come from the backup.
        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute("UPDATE network_page SET title = %s", [TITLE])
        run("pg_dump", "--format=custom", f"--file={backup}", database_url)

    with new_database(SHARED_POSTGRES) as restored_url:
        run("pg_restore", "--no-owner", f"--dbname={restored_url}", str(backup))
        with gunicorn(restored_url) as server:
            status, _headers, body = Browser().request(server + PAGE_URL)
    assert status == 200
    soup = BeautifulSoup(body, "html.parser")
    assert text_of(soup.find("h1")) == TITLE
    assert len(soup.select("tbody tr")) == 12
