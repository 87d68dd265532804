"""gunicorn's settings for production, read from the working directory by default: `gunicorn network.wsgi`."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# gevent workers: each connection is a greenlet until its request has arrived, so clients that send
# their request slowly hold a little memory each, never a worker (docs/deploy.md, "Slow clients").
worker_class = "gevent"
# Open connections per worker, slow ones included.
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", 1000))
# Two per core, and one more: a page build is work for a core, and a spare worker keeps serving
# while another runs a long request. The cores are those this process may run on (taskset,
# container CPU sets), not all the machine has.
cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY", cores * 2 + 1))
# Each worker loads the app itself, after gevent has made the standard library cooperative, so that
# psycopg waits for the database without blocking the worker's other connections.
preload_app = False
accesslog = os.environ.get("ACCESS_LOG", "-") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
