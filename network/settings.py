"""Settings for the What Works Network site, read from the environment (see .env.example)."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file (or the file named by ENV_FILE) is optional; the process environment wins over it.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Only a development machine may run on the published, insecure key.
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set it in the environment or in .env (see .env.example)."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "network",
    "centres",
    "updates",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "network.caching.PageCacheMiddleware",  # see the caching block below
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "network.urls"

# Messages (the admin's "saved" notices) live in the session the admin already has. The default
# also makes a signed-cookie store on every request that reaches it, public page builds included.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Two engines, each finding only its own files. The public pages, error pages included, are
# Jinja2 templates in templates/: Jinja2 renders them in about half the time Django's template
# language takes, which matters for a page built without a cache (network/jinja2.py). The admin
# needs Django's template language: that engine reads the apps' templates/ folders only (the
# admin's, and updates/templates/ for this project's override), never the project's templates/.
# Jinja2 comes first as its templates are the ones looked up on every uncached request.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {"environment": "network.jinja2.environment"},
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "network.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging: the server's several worker processes read while one writes, instead
    # of waiting on its lock, and each read skips the rollback journal's checks (on every query).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("init_command", "PRAGMA journal_mode=WAL")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The site is written in British English only, as its pages say (lang="en-GB"); dates and
# numbers are still formatted the en-GB way. With no translations, Django's translation machinery
# is off: asking it for the active language cost about 4 µs, some 25 times a page build.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# build/static: the compiled stylesheet and GOV.UK Frontend's files, which `make` builds from npm.
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Audit trail: django-simple-history keeps every version of the content; its middleware lets
# each version record the signed-in user who made it.
INSTALLED_APPS += ["simple_history"]
MIDDLEWARE += ["simple_history.middleware.HistoryRequestMiddleware"]

# --- Production hardening: security headers, HTTPS, login throttling, database reliability ---
INSTALLED_APPS += ["csp", "axes"]
# django-csp's middleware, building the site's policy once (network/content_security.py); axes
# last, as it asks.
MIDDLEWARE += ["network.content_security.SitePolicyCSPMiddleware", "axes.middleware.AxesMiddleware"]

# Safe by default: with DEBUG off the site assumes it is served over HTTPS. HTTPS=false turns off
# the redirect, secure cookies and HSTS for a production-mode run on plain http on this machine.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe over plain http; the health check must answer them, not redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy, e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https.
# Only set it when the proxy always sets or strips that header: clients could forge it otherwise.
SECURE_PROXY_SSL_HEADER = env.tuple("SECURE_PROXY_SSL_HEADER", default=None)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): the site's own files only; no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Admin login throttling (django-axes): failed attempts are recorded in the database, so every
# app server sees them. A user name is locked out from one client address after AXES_FAILURE_LIMIT
# failures in a row, for AXES_COOLOFF_TIME; other addresses can still log in to it, and an
# administrator can unlock it (Axes › Access attempts › "Unlock").
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# The client's address is the connection's own by default: a header can be forged by anyone. Behind
# a load balancer every connection comes from the balancer, so name the header in which it passes on
# the client's address (CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR) and how many addresses the proxies
# in front of it add after the client's (CLIENT_IP_PROXY_COUNT: 0 for one load balancer that
# appends the address it received the request from). The address is counted from the right, so
# what a client puts in the header itself is never taken for its address (django-ipware).
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")
if CLIENT_IP_HEADER:
    AXES_IPWARE_META_PRECEDENCE_ORDER = (CLIENT_IP_HEADER,)
    AXES_IPWARE_PROXY_COUNT = env.int("CLIENT_IP_PROXY_COUNT", default=0)
    # Extra addresses to the left of the trusted ones are the client's own writing: ignore them.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Keep each worker's database connection between requests (opening one costs more than serving
# a cached page), checked before reuse so a restarted database is reconnected to instead of
# failing the request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
# On PostgreSQL each process shares a pool of at most DATABASE_POOL_SIZE connections among its
# requests (Django's pooling, psycopg-pool): a gevent worker serves many clients at once, and
# without a pool each of them would hold a database connection of its own. A request waits at most
# DATABASE_POOL_TIMEOUT seconds for one. 0 turns pooling off (e.g. behind PgBouncer): connections
# are then kept for CONN_MAX_AGE seconds, one per client being served.
DATABASE_POOL_SIZE = env.int("DATABASE_POOL_SIZE", default=4)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_POOL_SIZE:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=5),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # connections go back to the pool after each request

# --- Caching (issue 5) ---
# Whole public pages are cached (network/caching.py) under the database's content version, so the
# cache may be per process (locmem, the default) or shared (Redis in production:
# redis://HOST:6379/DB?key_prefix=NAME, via django-redis) and still never serve a stale page.
# CACHE_URL=dummycache:// turns page caching off.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # A Redis that does not answer costs a request a second at most; the page is then built without it.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("SOCKET_CONNECT_TIMEOUT", 1)
    CACHES["default"]["OPTIONS"].setdefault("SOCKET_TIMEOUT", 1)
# Each process also keeps the pages it serves in its own memory, up to this many megabytes, in
# front of that cache (network/caching.py).
PAGE_CACHE_PROCESS_MB = env.int("PAGE_CACHE_PROCESS_MB", default=32)
# If Redis is unreachable, pages are built afresh (and the failure logged) rather than failing.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Where collectstatic gathers static files; the benchmark (network/benchmark.py) uses its own.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(STATIC_ROOT)))
