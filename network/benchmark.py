"""`make bench`: the public page against its static ceiling, at each size, under the production server.

For each size (network/bench_content.py) it builds a separate SQLite database under .bench/ (never
the site's own database), then measures with gunicorn (network/gunicorn.py) on a loopback address:

  (a) a static file holding the page's exact bytes, served by the same server: the ceiling;
  (b) the page with its cache (CACHE_URL, default locmemcache://);
  (c) the page with caching off (CACHE_URL=dummycache://).

Load comes from wrk when it is installed, otherwise from a small Python load generator.
Run: python -m network.benchmark [--bind 127.0.0.1:8090] [--duration 3] [--rounds 3]
"""

import argparse
import contextlib
import http.client
import ipaddress
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
WORK = PROJECT / ".bench"
PAGE_PATH = "/guidance/what-works-network"
# The sizes build_bench_database builds (network/bench_content.py), named here because this
# module runs outside Django.
SIZES = ("demo", "long-history", "large-network")
WRK_REPORT = PROJECT / "bench" / "report.lua"


def production_environment(database, static_root, cache_url, bind, **extra):
    """The environment `make serve` gives gunicorn, pointed at one database, one cache and one address."""
    return {
        "PATH": os.environ["PATH"],
        "ENV_FILE": os.devnull,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{database}",
        "STATIC_ROOT": str(static_root),
        "CACHE_URL": cache_url,
        "BIND": bind,
        "ACCESS_LOG": "",
        **extra,
    }


def manage(environment, *arguments):
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=PROJECT, env=environment, check=True, timeout=300)


@contextlib.contextmanager
def production_server(environment, timeout=30):
    """gunicorn with network/gunicorn.py, stopped on leaving; yields its base URL once it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "network/gunicorn.py", "network.wsgi"],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://{environment['BIND']}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{base}/", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def load_with_wrk(url, duration, connections):
    result = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(WRK_REPORT),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if report["errors"]:
        raise RuntimeError(f"{url}: {report['errors']} errors or non-2xx responses under load")
    return report["requests_per_second"], report["p50_ms"], report["p99_ms"]


def load_with_python(url, duration, connections):
    """Keep-alive clients in threads, each sending one request after another for `duration` seconds."""
    parsed = urllib.request.urlparse(url)
    latencies, errors = [], []
    stop_at = time.monotonic() + duration

    def client():
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        mine = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", parsed.path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(response.status)
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                errors.append(error)
                connection.close()
            mine.append(time.perf_counter() - started)
        latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if errors:
        raise RuntimeError(f"{url}: {len(errors)} errors, e.g. {errors[0]}")
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kb = int(
        next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory_kb / 1024 / 1024:.0f} GiB memory, Python {platform.python_version()}"
    )


def loopback_only(bind):
    host = bind.rsplit(":", 1)[0].strip("[]")
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise SystemExit(f"The benchmark only targets loopback addresses, not {host}")


def run(bind, duration, rounds, connections, cache_url):
    loopback_only(bind)
    load = load_with_wrk if shutil.which("wrk") else load_with_python
    shutil.rmtree(WORK, ignore_errors=True)
    static_root = WORK / "static"
    ceiling_dir = static_root / "bench"
    ceiling_dir.mkdir(parents=True)
    databases = {size: WORK / f"{size}.sqlite3" for size in SIZES}

    def environment(size, cache):
        return production_environment(databases[size], static_root, cache, bind)

    manage(environment("demo", cache_url), "collectstatic", "--no-input", "--verbosity", "0")
    for size in SIZES:
        manage(environment(size, cache_url), "build_bench_database", size, str(databases[size]))
        # The ceiling: the page's exact bytes as a static file (whitenoise finds files at start-up).
        with production_server(environment(size, "dummycache://")) as base:
            (ceiling_dir / f"{size}.html").write_bytes(fetch(base + PAGE_PATH))

    def measure(base, size, case, path):
        """Alternate short runs of the static file and the page in this server; the machine's noise hits both alike."""
        static_path = f"/static/bench/{size}.html"
        load(base + static_path, 1, connections)  # warm every worker
        load(base + path, 1, connections)  # and its cache
        for _ in range(rounds):
            runs[size, "static"].append(load(base + static_path, duration, connections))
            runs[size, case].append(load(base + path, duration, connections))
            ratios[size, case].append(runs[size, case][-1][0] / runs[size, "static"][-1][0])

    runs, ratios = defaultdict(list), defaultdict(list)
    for size in SIZES:
        with production_server(environment(size, cache_url)) as base:
            assert fetch(base + PAGE_PATH) == (ceiling_dir / f"{size}.html").read_bytes()
            measure(base, size, "cached", PAGE_PATH)
        with production_server(environment(size, "dummycache://")) as base:
            measure(base, size, "uncached", PAGE_PATH)
    page_bytes = {size: (ceiling_dir / f"{size}.html").stat().st_size for size in SIZES}
    return runs, ratios, load.__name__, page_bytes


def median_run(runs):
    return tuple(statistics.median(run[measure] for run in runs) for measure in range(3))


def report(runs, ratios, loader, page_bytes, duration, rounds, connections, cache_url):
    lines = [
        f"Machine: {machine()}. Load: {loader.removeprefix('load_with_')}, {connections} connections; "
        f"{rounds} rounds of {duration} s per case, each page round right after a static round in the same "
        f"server. Medians shown; the ratio is the median of each round's page/static ratio. "
        f"Page cache: {cache_url.split('?')[0]}. Workers: gunicorn's default for this machine.",
        "",
        "| size | page bytes | case | requests/s | p50 ms | p99 ms | ratio to static |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for size in SIZES:
        for case in ("static", "cached", "uncached"):
            rps, p50, p99 = median_run(runs[size, case])
            ratio = f"{statistics.median(ratios[size, case]):.2f}" if case != "static" else "1"
            lines.append(f"| {size} | {page_bytes[size]:,} | {case} | {rps:,.0f} | {p50:.1f} | {p99:.1f} | {ratio} |")
    demo, history, large = (median_run(runs[size, "uncached"]) for size in SIZES)
    # Both pages are the same bytes, so their ceilings are the same file: comparing each to its own
    # ceiling, measured beside it, cancels load from elsewhere on the machine.
    history_to_demo = statistics.median(ratios["long-history", "uncached"]) / statistics.median(
        ratios["demo", "uncached"]
    )
    lines += [
        "",
        f"Uncached long-history page / uncached demo page: {history_to_demo:.2f} "
        f"(each as a ratio to its ceiling; raw requests/s: {history[0] / demo[0]:.2f}).",
        f"Uncached large-network page: p50 {large[1]:.0f} ms against the demo's {demo[1]:.0f} ms, "
        "for 988 more table rows and 981 more updates.",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", default=os.environ.get("BENCH_BIND", "127.0.0.1:8090"))
    parser.add_argument("--duration", type=int, default=3, help="seconds of load per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per case, each paired with a static run")
    parser.add_argument("--connections", type=int, default=8)
    arguments = parser.parse_args()
    cache_url = os.environ.get("CACHE_URL", "locmemcache://")
    runs, ratios, loader, page_bytes = run(
        arguments.bind, arguments.duration, arguments.rounds, arguments.connections, cache_url
    )
    text = report(
        runs, ratios, loader, page_bytes, arguments.duration, arguments.rounds, arguments.connections, cache_url
    )
    (WORK / "results.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
