"""Drills against the production server: slow clients cannot starve it, and its health checks stay
honest when many run at once. Loopback only; every loop is bounded in time and count."""

import json
import os
import socket
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers import PAGE_URL
from tests.servers import new_database, prepare_demo_database, server_environment
from tools.serving import FORWARDED_HTTPS, production_server

pytestmark = pytest.mark.drill

SLOW_CLIENTS = 50
DRILL_SECONDS = 60
# A test Redis database of this module's own, with a key prefix of its own.
REDIS_CACHE = "redis://127.0.0.1:6379/7?key_prefix=wwn-staying-up"


@pytest.fixture(scope="module")
def site_database(tmp_path_factory):
    """The demo site's database, on PostgreSQL when the suite runs on it, else in an SQLite file."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        with new_database() as database_url:
            prepare_demo_database(database_url)
            yield database_url
    else:
        database_url = f"sqlite:///{tmp_path_factory.mktemp('drill') / 'site.sqlite3'}"
        prepare_demo_database(database_url)
        yield database_url


def timed_get(url):
    """(status, seconds) for one request; a request that gets no answer in 3 seconds counts as 0."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=FORWARDED_HTTPS), timeout=3) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return status, time.monotonic() - started


class SlowClients:
    """Connections that send a request's headers a byte at a time, a byte every few seconds; one the
    server closes is opened again at once, as an attacker would."""

    def __init__(self, address, count):
        host, port = address.rsplit(":", 1)
        self.address = (host, int(port))
        self.header = b"GET " + PAGE_URL.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"x" * 1000
        self.connections = [self.connect() for _ in range(count)]
        self.reopened = 0

    def connect(self):
        connection = socket.create_connection(self.address, timeout=5)
        connection.setblocking(False)
        return [connection, 0]

    @staticmethod
    def closed_by_server(connection):
        try:
            return connection.recv(1) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def send_byte(self):
        """One more byte on every connection, reopening those the server closed."""
        for slot in self.connections:
            if self.closed_by_server(slot[0]):
                self.reopen(slot)
            connection, sent = slot
            try:
                connection.send(self.header[sent : sent + 1])
            except OSError:  # closed since the look
                self.reopen(slot)
                slot[0].send(self.header[:1])
            slot[1] += 1

    def reopen(self, slot):
        slot[0].close()
        slot[:] = self.connect()
        self.reopened += 1

    def close(self):
        for connection, _sent in self.connections:
            connection.close()


def test_slow_clients_do_not_starve_the_server(site_database):
    """50 connections trickling their headers for a minute while the page is requested every second."""
    environment = server_environment(site_database, WEB_CONCURRENCY="2")
    with production_server(environment) as base:
        slow = SlowClients(environment["BIND"], SLOW_CLIENTS)
        answers = []
        try:
            started = time.monotonic()
            for second in range(DRILL_SECONDS):
                if second % 5 == 0:
                    slow.send_byte()
                answers.append(timed_get(base + PAGE_URL))
                time.sleep(max(0, started + second + 1 - time.monotonic()))
        finally:
            slow.close()
    slowest = max(seconds for _status, seconds in answers)
    print(
        f"\n{len(answers)} requests beside {SLOW_CLIENTS} slow clients (reopened {slow.reopened} times); "
        f"slowest {slowest * 1000:.0f} ms"
    )
    assert [status for status, _seconds in answers] == [200] * DRILL_SECONDS
    assert slowest < 1


def test_concurrent_health_checks_all_pass(site_database):
    """200 checks, 8 at a time, against two workers sharing one Redis cache."""
    environment = server_environment(site_database, WEB_CONCURRENCY="2", CACHE_URL=REDIS_CACHE)
    with production_server(environment) as base:

        def check(_number):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as error:
                return error.code, json.loads(error.read())

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(check, range(200)))
    failures = [body for status, body in results if status != 200]
    assert failures == []
    assert {body["checks"]["cache"] for _status, body in results} == {"ok"}
