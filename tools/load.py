"""Load on a server on this machine, for the benchmark and the load test: wrk when it is installed,
otherwise threads of keep-alive clients. Loopback addresses only; every run is bounded in time."""

import dataclasses
import http.client
import ipaddress
import json
import shutil
import statistics
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

PERCENTILES = (50, 75, 90, 99)
WRK_REPORT = Path(__file__).with_name("wrk_report.lua")


@dataclasses.dataclass
class Load:
    tool: str
    requests: int
    seconds: float
    errors: int
    latency_ms: dict  # percentile -> milliseconds

    @property
    def requests_per_second(self):
        return self.requests / self.seconds


def generate_load(url, duration, connections, headers=None, timeout=30):
    """`connections` clients requesting `url` one request after another for `duration` seconds."""
    host = urllib.parse.urlsplit(url).hostname
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"Load is only sent to loopback addresses, not {host}")
    generate = with_wrk if shutil.which("wrk") else with_python
    return generate(url, duration, connections, headers or {}, timeout)


def with_wrk(url, duration, connections, headers, timeout):
    header_options = [option for name, value in headers.items() for option in ("-H", f"{name}: {value}")]
    output = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", f"--timeout={timeout}s"]
        + ["-s", str(WRK_REPORT), *header_options, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + timeout + 30,
    ).stdout
    report = json.loads(output.strip().splitlines()[-1])
    latency = {int(percentile): milliseconds for percentile, milliseconds in report["latency_ms"].items()}
    return Load("wrk", report["requests"], report["seconds"], report["errors"], latency)


def with_python(url, duration, connections, headers, timeout):
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, errors, lock = [], [0], threading.Lock()
    stop_at = time.monotonic() + duration

    def client():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                failed += response.status >= 400
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(latencies, n=100)
    latency = {percentile: cuts[percentile - 1] * 1000 for percentile in PERCENTILES}
    return Load("a Python load generator", len(latencies), time.monotonic() - started, errors[0], latency)
