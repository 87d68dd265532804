"""The production server on this machine: gunicorn with gunicorn.conf.py on a free loopback
address, for the benchmark, the load test and the tests that need real server processes."""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# What a TLS-terminating proxy adds: with SECURE_PROXY_SSL_HEADER set to match, the site treats the
# request as HTTPS, as it does behind the load balancer in production.
FORWARDED_HTTPS = {"X-Forwarded-Proto": "https"}


def free_loopback_address():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def production_environment(**settings):
    """The environment `make serve` gives gunicorn, behind a TLS proxy, on a free loopback address."""
    return {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "BIND": free_loopback_address(),
        "ACCESS_LOG": "",
        **settings,
    }


def fetch(url, headers=FORWARDED_HTTPS):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        return response.read()


@contextlib.contextmanager
def production_server(environment, timeout=60):
    """gunicorn in the given environment, stopped on leaving; yields its base URL once it answers."""
    # A file, not a pipe, for gunicorn's log: a full pipe would block the server.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "network.wsgi"],
            cwd=PROJECT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        base = f"http://{environment['BIND']}"
        try:
            wait_until_answering(base, process, log, timeout)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_answering(base, process, log, timeout):
    deadline = time.monotonic() + timeout
    while True:
        try:
            fetch(f"{base}/healthz")
            return
        except urllib.error.HTTPError:
            return  # it answers, even if unhealthy
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"gunicorn did not start: {log.read().decode()[-2000:]}") from None
            time.sleep(0.2)
