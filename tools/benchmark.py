"""`make bench`: the public page against its static ceiling, at each size, under the production server.

For each size (tools/bench_content.py) it builds a separate SQLite database under .bench/ (never
the site's own database), then measures with gunicorn (gunicorn.conf.py) on a loopback address:

  (a) a static file holding the page's exact bytes, served by the same server: the ceiling;
  (b) the page with its cache (CACHE_URL, default locmemcache://);
  (c) the page with caching off (CACHE_URL=dummycache://).

Load comes from wrk when it is installed, otherwise from a small Python load generator.
Run: python -m tools.benchmark [--duration 3] [--rounds 3] [--connections 8]
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from tools.load import generate_load
from tools.serving import FORWARDED_HTTPS, PROJECT, fetch, production_environment, production_server

WORK = PROJECT / ".bench"
PAGE_PATH = "/guidance/what-works-network"
# The sizes tools/build_bench_database.py builds (tools/bench_content.py), named here because this
# module runs outside Django.
SIZES = ("demo", "long-history", "large-network")


def run_python(environment, *arguments):
    subprocess.run([sys.executable, *arguments], cwd=PROJECT, env=environment, check=True, timeout=300)


def load(url, duration, connections):
    """`url` under load; any failed request stops the benchmark."""
    result = generate_load(url, duration, connections, FORWARDED_HTTPS, timeout=10)
    if result.errors:
        raise RuntimeError(f"{url}: {result.errors} errors or non-2xx responses under load")
    return result


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


def run(duration, rounds, connections, cache_url):
    shutil.rmtree(WORK, ignore_errors=True)
    static_root = WORK / "static"
    ceiling_dir = static_root / "bench"
    ceiling_dir.mkdir(parents=True)
    databases = {size: WORK / f"{size}.sqlite3" for size in SIZES}

    def environment(size, cache):
        # Its own database and static files, and no .env: never the site's own.
        return production_environment(
            ENV_FILE=os.devnull,
            DATABASE_URL=f"sqlite:///{databases[size]}",
            STATIC_ROOT=str(static_root),
            CACHE_URL=cache,
        )

    run_python(environment("demo", cache_url), "manage.py", "collectstatic", "--no-input", "--verbosity", "0")
    for size in SIZES:
        run_python(environment(size, cache_url), "-m", "tools.build_bench_database", size, str(databases[size]))
        # The ceiling: the page's exact bytes as a static file (whitenoise finds files at start-up).
        with production_server(environment(size, "dummycache://")) as base:
            (ceiling_dir / f"{size}.html").write_bytes(fetch(base + PAGE_PATH))

    def measure(base, size, case, path):
        """Alternate short runs of the static file and the page in this server; the machine's noise hits both alike."""
        static_path = f"/static/bench/{size}.html"
        load(base + static_path, 1, connections)  # warm every worker
        load(base + path, 1, connections)  # and its cache
        for _ in range(rounds):
            static = load(base + static_path, duration, connections)
            page = load(base + path, duration, connections)
            tools.add(page.tool)
            for name, result in (("static", static), (case, page)):
                runs[size, name].append((result.requests_per_second, result.latency_ms[50], result.latency_ms[99]))
            ratios[size, case].append(page.requests_per_second / static.requests_per_second)

    runs, ratios, tools = defaultdict(list), defaultdict(list), set()
    for size in SIZES:
        with production_server(environment(size, cache_url)) as base:
            assert fetch(base + PAGE_PATH) == (ceiling_dir / f"{size}.html").read_bytes()
            measure(base, size, "cached", PAGE_PATH)
        with production_server(environment(size, "dummycache://")) as base:
            measure(base, size, "uncached", PAGE_PATH)
    page_bytes = {size: (ceiling_dir / f"{size}.html").stat().st_size for size in SIZES}
    return runs, ratios, " and ".join(sorted(tools)), page_bytes


def median_run(runs):
    return tuple(statistics.median(run[measure] for run in runs) for measure in range(3))


def report(runs, ratios, loader, page_bytes, duration, rounds, connections, cache_url):
    lines = [
        f"Machine: {machine()}. Load: {loader}, {connections} connections; "
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
    parser.add_argument("--duration", type=int, default=3, help="seconds of load per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per case, each paired with a static run")
    parser.add_argument("--connections", type=int, default=8)
    arguments = parser.parse_args()
    cache_url = os.environ.get("CACHE_URL", "locmemcache://")
    runs, ratios, loader, page_bytes = run(arguments.duration, arguments.rounds, arguments.connections, cache_url)
    text = report(
        runs, ratios, loader, page_bytes, arguments.duration, arguments.rounds, arguments.connections, cache_url
    )
    (WORK / "results.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
