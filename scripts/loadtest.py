"""Load test: the production server (gunicorn, production settings, HTTPS as behind a TLS proxy)
under 64 concurrent connections for 30 seconds, on this machine only. Prints the request rate,
the errors and the latency percentiles, and fails when any request failed.

Uses wrk when installed, otherwise a load generator written here. Run with `make loadtest`.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PAGE = "/guidance/what-works-network"
PERCENTILES = (50, 75, 90, 99)
# The TLS proxy's header: the server treats the request as HTTPS, as in production.
FORWARDED = ("X-Forwarded-Proto", "https")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "BIND": f"127.0.0.1:{port}",
        "ACCESS_LOG": "",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "network/gunicorn.py", "network.wsgi"], cwd=PROJECT, env=env
    )
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers=dict([FORWARDED]))
    for _attempt in range(300):
        try:
            urllib.request.urlopen(request, timeout=5)
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit("The server did not start.")
            time.sleep(0.2)
    server.terminate()
    sys.exit("The server did not answer.")


def run_wrk(url, connections, duration):
    output = subprocess.run(
        # A request counts as failed after 30 s, as gunicorn's worker timeout does; wrk's default is 2 s.
        [
            "wrk",
            f"-c{connections}",
            "-t2",
            f"-d{duration}s",
            "--timeout=30s",
            "--latency",
            "-H",
            ": ".join(FORWARDED),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    latencies = dict(re.findall(r"^\s+(\d+)%\s+(\S+)\s*$", output, re.MULTILINE))
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    http_errors = int(re.search(r"Non-2xx or 3xx responses: (\d+)", output).group(1)) if "Non-2xx" in output else 0
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": socket_errors + http_errors,
        "latency": {int(p): latencies[str(p)] for p in PERCENTILES},
        "tool": "wrk",
    }


def run_python(url, connections, duration):
    """The same measurement without wrk: one keep-alive connection per thread."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    deadline = time.monotonic() + duration
    timings, errors, lock = [], [0], threading.Lock()

    def client():
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        mine, failed = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", PAGE, headers=dict([FORWARDED]))
                response = connection.getresponse()
                response.read()
                failed += response.status >= 400
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
            mine.append(time.perf_counter() - started)
        with lock:
            timings.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.sort()
    return {
        "requests": len(timings),
        "errors": errors[0],
        "latency": {p: f"{timings[min(len(timings) - 1, len(timings) * p // 100)] * 1000:.2f}ms" for p in PERCENTILES},
        "tool": "a Python load generator (wrk is not installed)",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=30, help="seconds")
    options = parser.parse_args()

    port = free_port()
    server = start_server(port)
    url = f"http://127.0.0.1:{port}{PAGE}"
    try:
        measure = run_wrk if shutil.which("wrk") else run_python
        result = measure(url, options.connections, options.duration)
    finally:
        server.terminate()
        server.wait()

    print(f"\n{PAGE}: {options.connections} connections for {options.duration} s, measured with {result['tool']}")
    print(f"requests: {result['requests']} ({result['requests'] / options.duration:.0f} per second)")
    print(f"errors:   {result['errors']}")
    print("latency:  " + ", ".join(f"p{p} {value}" for p, value in result["latency"].items()))
    if result["errors"]:
        sys.exit("Some requests failed.")


if __name__ == "__main__":
    main()
