"""Tools for developers, outside the site: the benchmark, the load test, screenshots and their helpers."""
