"""Settings for the What Works Network site, read from the environment (see .env.example)."""

import ipaddress
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
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Redirects from addresses that a changed slug left behind (network/addresses.py), kept under the
    # one site, SITE_ID. Before network, which names that site after Django has made it.
    "django.contrib.sites",
    "django.contrib.redirects",
    # After auth, whose permissions its roles grant (network/roles.py); before the admin, whose
    # templates network/templates/admin/ extends (the favicon).
    "network",
    "network.admin_site.NetworkAdminConfig",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "centres",
    "updates",
    "drafts",
    "feedback",
    "links",
]

# Top to bottom for a request. Everything above the page cache runs for every response, pages
# served from the cache included: the Host check (CommonMiddleware, against ALLOWED_HOSTS), the
# security headers, X-Frame-Options and the Content-Security-Policy, and private caching for
# whatever does not say otherwise. Error responses made by any middleware below them get them too.
# Below the page cache is what a cached public page does not need (network/caching.py says why).
MIDDLEWARE = [
    "network.caching.private_unless_public",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "network.caching.PageCacheMiddleware",
    # Turns a 404 at an address that a changed slug left behind into a 301 to the new one
    # (network/addresses.py). It acts on 404s only, and a page from the cache never reaches it.
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The audit trail (django-simple-history) records the signed-in user who made each version.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Admin login throttling; last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "network.urls"

# The one site, whose redirects the fallback middleware reads.
SITE_ID = 1

# Messages (the admin's "saved" notices) live in the session the admin already has. The default
# also makes a signed-cookie store on every request that reaches it, public page builds included.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Two engines, each finding only its own files. The public pages, error pages included, are
# Jinja2 templates in templates/ (network/jinja2.py). The admin needs Django's template language:
# that engine reads the apps' templates/ folders only (the admin's, and this project's admin
# templates in network/templates/ and updates/templates/), never the project's templates/.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "environment": "network.jinja2.environment",
            # A draft's preview shows its banner (drafts/views.py); every page names its address; the
            # footer links to the help pages.
            "context_processors": [
                "drafts.views.preview_context",
                "network.jinja2.page_address",
                "network.views.support_links",
            ],
        },
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The site is written in British English only, as its pages say (lang="en-GB"), and has no
# translations, so Django's translation machinery is off; dates and numbers are still formatted
# the en-GB way.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
# The admin's date fields accept dates written the ways network/formats/ lists.
FORMAT_MODULE_PATH = "network.formats"
USE_TZ = True

# From the root: a draft's preview serves pages under a script prefix of its own (drafts/views.py),
# and their static files are the site's.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# build/static: the compiled stylesheet and GOV.UK Frontend's files, which `make` builds from npm.
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Audit trail: django-simple-history keeps every version of the content.
INSTALLED_APPS += ["simple_history"]
# A version's reason holds its whole change note ("Major change: …"), which can be longer than
# the 100 characters simple-history allows by default.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Production hardening: security headers, HTTPS, login throttling, database reliability ---
INSTALLED_APPS += ["csp", "axes"]

# Safe by default: with DEBUG off the site assumes it is served over HTTPS. HTTPS=false turns off
# the redirect, secure cookies and HSTS for a production-mode run on plain http on this machine.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe over plain http; the health check must answer them, not redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy, e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https.
# Only set it when the proxy always sets or strips that header: clients could forge it otherwise.
SECURE_PROXY_SSL_HEADER = env.tuple("SECURE_PROXY_SSL_HEADER", default=None)
# The site's canonical origin, for every absolute URL it writes (the Atom feed, the content API):
# never taken from a request, whose Host a cached response would hand to every later reader.
if DEBUG:
    DEFAULT_SITE_URL = "http://127.0.0.1:8000"
elif ALLOWED_HOSTS and ALLOWED_HOSTS[0] not in ("*", "") and not ALLOWED_HOSTS[0].startswith("."):
    DEFAULT_SITE_URL = f"{'https' if HTTPS else 'http'}://{ALLOWED_HOSTS[0]}"
else:
    DEFAULT_SITE_URL = None
SITE_URL = env.str("SITE_URL", default=DEFAULT_SITE_URL)
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL must be set when the first of ALLOWED_HOSTS is not a host name.")
SITE_URL = SITE_URL.rstrip("/")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading commits the domain and every subdomain to HTTPS in browsers for years: opt in only.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# check --deploy warns when preload is off; off is the deliberate default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
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
# Nothing waits long on a database that is down or frozen: while the content version cannot be
# read, public pages are served from the cache or answer 503 (network/caching.py). Seconds to wait
# for a connection, and for the content version (network/deadline.py). Options given in
# DATABASE_URL's query string win.
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=2)
DATABASE_STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", default=5)
database_options = DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    database_options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    # Seconds a statement may run; 0 for none (e.g. a migration that rebuilds a large index).
    database_options.setdefault("options", f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Seconds a statement waits for another process's write lock before giving up.
    database_options.setdefault("timeout", DATABASE_STATEMENT_TIMEOUT)
# A gevent worker serves each client connection in a greenlet of its own, with a database connection
# of its own, opened at its first request and kept for the requests that follow on that client
# connection. DATABASE_POOL_SIZE above 0 makes each process on PostgreSQL share a pool of that many
# connections instead (Django's pooling, psycopg-pool), waiting at most DATABASE_POOL_TIMEOUT
# seconds for one. Off by default: with the pool, the drills with a stopped
# or frozen database (tests/test_reliability.py) served stale pages for as long as the pool's
# reconnection back-off lasted after the database came back; PgBouncer in front of PostgreSQL
# keeps connections cheap without it (docs/deploy.md).
DATABASE_POOL_SIZE = env.int("DATABASE_POOL_SIZE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_POOL_SIZE:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=DATABASE_CONNECT_TIMEOUT),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # connections go back to the pool after each request
    # The pool's own check of a connection it hands out would wait, with no deadline, on a frozen
    # server; without it a broken connection fails its first query, which has one (network/deadline.py).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False

# --- Caching ---
# Whole public pages are cached (network/caching.py) under the database's content version, so the
# cache may be per process (locmem, the default) or shared (Redis in production:
# redis://HOST:6379/DB?key_prefix=NAME, via django-redis) and still never serve a stale page.
# CACHE_URL=dummycache:// turns page caching off.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# The deployed code's name (e.g. its commit): part of every cached page's key, with the static
# manifest, so a release never serves the previous one's markup.
RELEASE = env.str("RELEASE", default="")
# Seconds browsers, a reverse proxy or a CDN may keep a public page (Cache-Control: public,
# max-age). 0: they must ask every time (Cache-Control: no-cache), and a repeat gets 304.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=0)
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # A Redis that does not answer costs a request a second at most; the page is then built without it.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("SOCKET_CONNECT_TIMEOUT", 1)
    CACHES["default"]["OPTIONS"].setdefault("SOCKET_TIMEOUT", 1)
# If Redis is unreachable, pages are built afresh (and the failure logged) rather than failing.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Where collectstatic gathers static files; the benchmark (tools/benchmark.py) uses its own.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(STATIC_ROOT)))

# --- Readers' feedback ---
# Feedback posts are counted per client by django-ratelimit in the default cache (shared through Redis
# in production), the client being the address django-axes determines (CLIENT_IP_HEADER above); the
# address lives only in that count, hashed into its key (feedback/views.py). django-ratelimit's app is
# not installed: all it adds is a system check, which refuses the per-process locmem cache that
# development uses by default.
RATELIMIT_IP_META_KEY = "feedback.views.client_address"
# A cache that cannot be reached (Redis down) counts nothing: posts are then kept unlimited, as pages are
# built without it, rather than every reader being told they sent too many.
RATELIMIT_FAIL_OPEN = True

# --- Drafts ---
# Days a draft's fact-check link works for unless whoever makes it says otherwise, and the most
# they may give it (drafts/models.py): it also stops when the draft is published or discarded.
FACT_CHECK_LINK_DAYS = env.int("FACT_CHECK_LINK_DAYS", default=30)
FACT_CHECK_LINK_MAX_DAYS = env.int("FACT_CHECK_LINK_MAX_DAYS", default=90)
if not 1 <= FACT_CHECK_LINK_DAYS <= FACT_CHECK_LINK_MAX_DAYS:
    raise ImproperlyConfigured("FACT_CHECK_LINK_DAYS must be at least 1 and at most FACT_CHECK_LINK_MAX_DAYS.")

# --- Link checks ---
# Checking the links to other sites (links/checking.py): seconds each link may take in all, links
# checked at once, links checked at once on any one server, and redirects followed before giving up.
LINK_CHECK_TIMEOUT = env.float("LINK_CHECK_TIMEOUT", default=5.0)
LINK_CHECK_CONCURRENCY = env.int("LINK_CHECK_CONCURRENCY", default=10)
LINK_CHECK_PER_HOST = env.int("LINK_CHECK_PER_HOST", default=2)
LINK_CHECK_MAX_REDIRECTS = env.int("LINK_CHECK_MAX_REDIRECTS", default=10)
# A link whose host is, or resolves to, an address off the public internet (private, loopback,
# link-local) is listed as broken without being asked: the public cannot follow it, and asking
# would let anyone who edits content probe the servers' own network. Networks listed here (e.g.
# an intranet the site links to, comma-separated, "10.1.0.0/16") are asked all the same.
try:
    LINK_CHECK_PRIVATE_NETWORKS = [
        ipaddress.ip_network(network) for network in env.list("LINK_CHECK_PRIVATE_NETWORKS", default=[])
    ]
except ValueError as error:
    raise ImproperlyConfigured(f"LINK_CHECK_PRIVATE_NETWORKS: {error}") from error
# A limit of 0 would leave every check waiting for a turn that never comes.
if LINK_CHECK_TIMEOUT <= 0 or min(LINK_CHECK_CONCURRENCY, LINK_CHECK_PER_HOST) < 1 or LINK_CHECK_MAX_REDIRECTS < 0:
    raise ImproperlyConfigured(
        "LINK_CHECK_TIMEOUT must be more than 0, LINK_CHECK_CONCURRENCY and LINK_CHECK_PER_HOST at least 1, "
        "and LINK_CHECK_MAX_REDIRECTS 0 or more."
    )
