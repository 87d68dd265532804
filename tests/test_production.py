"""The production server: gunicorn workers from the core count, far-future static files, and
page caching that stays exact across worker processes and other processes' writes."""

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings

from tests.helpers import PAGE_URL, skip_or_fail, text_of
from tools.serving import PROJECT, fetch, production_environment, production_server

# Real servers and processes: `make test-quick` leaves these out.
pytestmark = pytest.mark.drill


def gunicorn_workers(*command_prefix, **environment):
    """The number of workers gunicorn.conf.py asks for, read in a fresh process."""
    env = {"PATH": os.environ["PATH"], **environment}
    code = "import runpy; print(runpy.run_path('gunicorn.conf.py')['workers'])"
    result = subprocess.run(
        [*command_prefix, sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True, check=True
    )
    return int(result.stdout)


def test_gunicorn_runs_two_workers_per_core_and_one_more():
    if not shutil.which("taskset"):
        skip_or_fail("taskset (util-linux) is not installed")
    assert gunicorn_workers("taskset", "-c", "0") == 3
    if len(os.sched_getaffinity(0)) >= 2:
        assert gunicorn_workers("taskset", "-c", "0,1") == 5


def test_web_concurrency_sets_the_workers():
    assert gunicorn_workers(WEB_CONCURRENCY="7") == 7


def test_hashed_static_files_are_compressed_and_cached_for_a_year(tmp_path):
    production_storage = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES={"staticfiles": production_storage}):
        call_command("collectstatic", interactive=False, verbosity=0)
    with override_settings(
        DEBUG=False, STATIC_ROOT=tmp_path, STORAGES={"staticfiles": production_storage}, ALLOWED_HOSTS=["testserver"]
    ):
        client = Client()  # a new client, so whitenoise reads the collected files

        url = static("css/app.css")
        assert url != "/static/css/app.css"  # a hashed name
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    cache_control = dict(part.strip().partition("=")[::2] for part in response["Cache-Control"].split(","))
    assert int(cache_control["max-age"]) >= 365 * 24 * 3600
    assert "immutable" in cache_control


def page_title_and_rows(base):
    soup = BeautifulSoup(fetch(base + PAGE_URL), "html.parser")
    return text_of(soup.find("h1")), len(soup.select("table.govuk-table tbody tr"))


def everyone_sees(base, requests=12):
    """What a burst of concurrent requests sees, spread over the workers: the set of distinct answers."""
    with ThreadPoolExecutor(max_workers=6) as pool:
        return set(pool.map(lambda _: page_title_and_rows(base), range(requests)))


def test_every_worker_shows_another_process_change_on_the_next_request(tmp_path):
    """Three gunicorn workers, each caching pages in its own memory; changes come from other processes."""
    database = tmp_path / "site.sqlite3"
    environment = production_environment(
        ENV_FILE=os.devnull,
        DATABASE_URL=f"sqlite:///{database}",
        STATIC_ROOT=str(tmp_path / "static"),
        CACHE_URL="locmemcache://",
        DEBUG="true",  # serve static names without collectstatic
        WEB_CONCURRENCY="3",
    )

    def manage(*arguments):
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=PROJECT,
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        )

    subprocess.run(
        [sys.executable, "-m", "tools.build_bench_database", "demo", str(database)],
        cwd=PROJECT,
        env=environment,
        check=True,
    )
    with production_server(environment) as base:
        assert everyone_sees(base) == {("What Works Network", 12)}  # and now cached in the workers

        # A fixture load in another process.
        page_fixture = json.loads(manage("dumpdata", "network.page", "--natural-primary").stdout)
        page_fixture[0]["fields"]["title"] = "What Works Network (loaded)"
        fixture = tmp_path / "page.json"
        fixture.write_text(json.dumps(page_fixture))
        manage("loaddata", str(fixture))
        assert everyone_sees(base) == {("What Works Network (loaded)", 12)}

        # Raw SQL from a process that is not Django at all.
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); "
                "db.execute(\"UPDATE centres_membership SET end_date = date('now', '-1 day') WHERE kind = 'affiliate'\"); "
                "db.commit()",
                str(database),
            ],
            check=True,
        )
        assert everyone_sees(base) == {("What Works Network (loaded)", 9)}
