"""gunicorn's settings for production, read from the working directory by default: `gunicorn network.wsgi`."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# gunicorn's rule of thumb for synchronous workers: two per core, and one more. The cores are
# those this process may run on (taskset, container CPU sets), not all the machine has.
cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY", cores * 2 + 1))
# Load the app once, before forking, so every worker starts ready and shares memory.
preload_app = True
accesslog = os.environ.get("ACCESS_LOG", "-") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
