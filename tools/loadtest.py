"""`make loadtest`: the production server under 64 connections for 30 seconds, on this machine.

The server runs with the site's own database and settings (environment or .env), as behind a TLS
proxy. Prints the request rate, the errors and the latency percentiles; fails if any request failed.
Run: python -m tools.loadtest [--connections 64] [--duration 30]
"""

import argparse
import os
import sys

from tools.load import generate_load
from tools.serving import FORWARDED_HTTPS, fetch, production_environment, production_server

PAGE_PATH = "/guidance/what-works-network"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=30, help="seconds")
    options = parser.parse_args()

    site = {name: os.environ[name] for name in ("DATABASE_URL", "CACHE_URL", "SECRET_KEY") if name in os.environ}
    with production_server(production_environment(**site)) as base:
        fetch(base + PAGE_PATH)  # the page is there, and answers 200
        load = generate_load(base + PAGE_PATH, options.duration, options.connections, FORWARDED_HTTPS)

    print(f"\n{PAGE_PATH}: {options.connections} connections for {load.seconds:.0f} s, measured with {load.tool}")
    print(f"requests: {load.requests} ({load.requests_per_second:.0f} per second)")
    print(f"errors:   {load.errors}")
    print("latency:  " + ", ".join(f"p{p} {ms:.1f} ms" for p, ms in load.latency_ms.items()))
    if load.errors:
        sys.exit("Some requests failed.")


if __name__ == "__main__":
    main()
