"""The load generator behind `make bench` and `make loadtest`: it counts requests, failures and latency."""

import os
import shutil
import subprocess
import sys

import pytest

from tests.helpers import PAGE_URL, skip_or_fail
from tools import load
from tools.serving import FORWARDED_HTTPS, PROJECT, production_environment, production_server

# Real servers and processes: `make test-quick` leaves these out.
pytestmark = pytest.mark.drill

GENERATORS = {"wrk": load.with_wrk, "python": load.with_python}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    database = tmp_path_factory.mktemp("load") / "site.sqlite3"
    environment = production_environment(
        ENV_FILE=os.devnull, DATABASE_URL=f"sqlite:///{database}", DEBUG="true", WEB_CONCURRENCY="2"
    )
    for command in (["migrate", "--no-input"], ["load_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=PROJECT, env=environment, check=True)
    with production_server(environment) as base:
        yield base


@pytest.mark.parametrize("tool", GENERATORS)
def test_load_counts_requests_and_latency(server, tool):
    if tool == "wrk" and not shutil.which("wrk"):
        skip_or_fail("wrk is not installed (Debian package wrk)")
    result = GENERATORS[tool](server + PAGE_URL, 1, 2, FORWARDED_HTTPS, 30)
    assert result.requests > 0
    assert result.errors == 0
    assert list(result.latency_ms) == [50, 75, 90, 99]
    assert 0 < result.latency_ms[50] <= result.latency_ms[99]


@pytest.mark.parametrize("tool", GENERATORS)
def test_load_counts_failed_requests(server, tool):
    if tool == "wrk" and not shutil.which("wrk"):
        skip_or_fail("wrk is not installed (Debian package wrk)")
    result = GENERATORS[tool](server + "/guidance/no-such-page", 1, 2, FORWARDED_HTTPS, 30)
    assert result.requests > 0
    assert result.errors == result.requests


def test_load_goes_to_loopback_addresses_only():
    with pytest.raises(ValueError, match="loopback"):
        load.generate_load("http://192.0.2.1/", 1, 1)
