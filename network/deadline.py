"""A deadline for queries on a database server that does not answer at all.

PostgreSQL's statement_timeout is kept by the server: a server that is frozen (a hung machine, a
stopped process) never fires it, and its kernel still acknowledges what is sent, so a query on a
kept connection would wait for ever, and with it a server worker. Within `deadline(connection,
seconds)`, a thread of the process's own shuts the connection's socket once the time is up: the
waiting query fails at once with a database error, and Django replaces the connection on its next
use (a new connection waits no longer than the connect_timeout option).
"""

import contextlib
import logging
import os
import socket
import threading
import time

logger = logging.getLogger(__name__)


class Watcher:
    """One thread per process, asleep until the earliest deadline in force."""

    def __init__(self):
        self.condition = threading.Condition()
        self.deadlines = {}  # a key of each deadline's own -> (when, Django's connection)
        self.started_in = None  # the process the thread runs in (gunicorn forks after loading)

    def watch(self):
        with self.condition:
            while True:
                now = time.monotonic()
                for key, (when, connection) in list(self.deadlines.items()):
                    if when <= now:
                        del self.deadlines[key]
                        try:
                            cut(connection)
                        except Exception:  # the watcher must outlive any one connection's trouble
                            logger.exception("Could not cut off a database connection past its deadline")
                earliest = min((when for when, _connection in self.deadlines.values()), default=None)
                self.condition.wait(None if earliest is None else earliest - now)

    @contextlib.contextmanager
    def deadline(self, connection, seconds):
        if connection.vendor != "postgresql":  # a database file cannot freeze the way a server can
            yield
            return
        key = object()
        with self.condition:
            if self.started_in != os.getpid():
                self.started_in = os.getpid()
                threading.Thread(target=self.watch, name="database deadline", daemon=True).start()
            self.deadlines[key] = (time.monotonic() + seconds, connection)
            self.condition.notify()
        try:
            yield
        finally:
            with self.condition:
                self.deadlines.pop(key, None)


def cut(connection):
    """Shut the socket of a PostgreSQL connection, if it has one open."""
    driver_connection = connection.connection
    if driver_connection is None or driver_connection.closed:
        return
    with socket.socket(fileno=os.dup(driver_connection.fileno())) as shared:
        shared.shutdown(socket.SHUT_RDWR)


deadline = Watcher().deadline
