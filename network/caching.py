"""Whole-page caching for public pages, exact across processes, with conditional requests.

A public page depends only on the content tables and on today's date (memberships start and
end on dates). The database keeps a content version that its own triggers change on every write
to those tables (network/content_version.py), so a page's ETag is (site build, content version,
today, path): one cheap query per request tells every worker, whatever cache it uses, whether its
copy is current. A change from any process is shown on the very next request, and a scheduled
membership date takes effect at midnight because the ETag changes with the day. The same query
reads when the next scheduled change (a draft scheduled to be published) is due: the first request
at or after it makes the change before it is served.

Each page has one cache entry, under its path (never its query string, which no public page
reads), holding the ETag it was built for. A newer version replaces the entry, so old versions
never pile up; and while the database cannot be reached, the entry is the page's last good copy,
served marked as stale.

A repeat request carrying the ETag gets 304 Not Modified without rendering. Responses say
`Cache-Control: no-cache`, so browsers always ask, unless PUBLIC_CACHE_SECONDS lets browsers, a
reverse proxy or a CDN keep the page for that long.
"""

import datetime
import functools
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.views.decorators.http import require_http_methods

from network.content_version import scheduled_change_due
from network.deadline import deadline
from network.models import ContentVersion

logger = logging.getLogger(__name__)

# What a public page answers to. OPTIONS is answered without building the page.
PUBLIC_METHODS = ("GET", "HEAD", "OPTIONS")

# The headers of a conditional request, as Django's request.META names them.
CONDITIONAL_HEADERS = frozenset(
    ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")
)

# How long a page's entry is kept after it was last built: its last good copy for a database
# outage. A current page is rebuilt, and its entry renewed, with every change to the content.
KEEP_SECONDS = 7 * 24 * 3600
# While the database cannot be reached: how long browsers and proxies may keep a stale page, and
# when a client should try again for a page that is not in the cache.
STALE_MAX_AGE = 30
RETRY_AFTER = 30


@functools.cache
def site_build():
    """What the pages' markup depends on besides the content: the release and the static files.

    RELEASE names the deployed code (e.g. its commit); the static manifest maps static files to
    the hashed names that pages link to. Read once per process.
    """
    digest = hashlib.sha256(settings.RELEASE.encode())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def seconds_until_tomorrow(now):
    tomorrow = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(), now.tzinfo)
    return max(1, int((tomorrow - now).total_seconds()))


def public_cache_control(now):
    """Browsers always ask again; or, with PUBLIC_CACHE_SECONDS, anyone may keep the page that long
    (never past midnight, when memberships change)."""
    if settings.PUBLIC_CACHE_SECONDS <= 0:
        return "no-cache"
    return f"public, max-age={min(settings.PUBLIC_CACHE_SECONDS, seconds_until_tomorrow(now))}"


def cached_public_page(view):
    """Mark a view as a public page: PageCacheMiddleware caches its responses and answers conditional
    requests. It answers GET, HEAD and OPTIONS (without building the page), and 405 otherwise."""

    @require_http_methods(PUBLIC_METHODS)
    @functools.wraps(view)
    def public_page(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return HttpResponse(headers={"Allow": ", ".join(PUBLIC_METHODS), "Content-Length": "0"})
        return view(request, *args, **kwargs)

    public_page.is_cached_public_page = True
    return public_page


def is_public_path(path):
    """Whether a path (without the script prefix) is the address of a public page."""
    try:
        return getattr(resolve(path).func, "is_cached_public_page", False)
    except Resolver404:
        return False


def is_public_page(request):
    return is_public_path(request.path_info)


def is_cacheable(response):
    """The same for every visitor: a whole 200 response that sets no cookie and varies by nothing."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Vary")
    )


def service_unavailable(request):
    response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def stale_page(cached):
    """A page's last good copy, served while the database cannot be reached, marked as such."""
    response = HttpResponse(cached[1], headers=cached[2])
    response["Cache-Control"] = f"max-age={STALE_MAX_AGE}"
    response["X-Page-Stale"] = "the database is unavailable; this is the page as last built"
    return response


def make_due_changes(next_change_at):
    """Make the content's scheduled changes if the next is due (`next_change_at`, as the content
    version's row has it), before anything is served: True if it was due.

    So a change scheduled for a minute is seen by the first request at or after it, in every
    process, with no worker or cron job; until then this costs nothing (the moment is read with the
    content version). A database error while the changes are made is logged, and the page is
    served as it stands: the next request tries again.
    """
    if next_change_at is None or next_change_at > timezone.now():
        return False
    try:
        scheduled_change_due.send(sender=ContentVersion)
    except DatabaseError:
        logger.exception("The scheduled changes due at %s could not be made", next_change_at)
    return True


class PageCacheMiddleware:
    """Serves public pages from the cache, ahead of sessions, authentication, CSRF and messages.

    A hit is one query and one cache read. It skips the middleware below this one in MIDDLEWARE,
    which is safe for a page that is the same for everyone:
    - sessions and authentication: a public page shows nothing of the visitor's, and must set no
      cookie (a hit would hand it to everyone);
    - CSRF: it checks unsafe methods only, and a public page answers GET, HEAD and OPTIONS;
    - messages: public pages show none;
    - the audit trail's middleware records who makes a change, and a public page changes nothing;
    - axes: it acts on login attempts only.
    The middleware that makes every response safe sits above this one and runs on hits too: the
    Host check (CommonMiddleware), the security headers, X-Frame-Options and the
    Content-Security-Policy, and the default Cache-Control.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not is_public_page(request):
            return self.get_response(request)
        cache = caches["default"]
        # One entry per page, whatever the query string; the path of a public page is a slug's.
        key = f"page:{site_build()}:{hashlib.sha256(request.path.encode()).hexdigest()[:16]}"
        try:
            # A database that does not answer in time counts as down, even one frozen mid-query.
            with deadline(connections[ContentVersion.objects.db], settings.DATABASE_CONNECT_TIMEOUT):
                version, next_change_at = ContentVersion.objects.current()
        except DatabaseError:
            logger.warning("The content version could not be read: serving %s from the cache", request.path)
            cached = cache.get(key)
            return stale_page(cached) if cached is not None else service_unavailable(request)
        if make_due_changes(next_change_at):
            version = ContentVersion.objects.token()
        if version is None:  # the row is made again by the next write; until then, no caching
            return self.get_response(request)
        # The site's own day (memberships change at UK midnight), whatever zone a request activated.
        now = datetime.datetime.now(timezone.get_default_timezone())
        etag = f'"{site_build()}-{version}-{now:%Y%m%d}"'  # quoted, as an ETag must be
        cached = cache.get(key)
        if cached is not None and cached[0] == etag:
            response = HttpResponse(cached[1], headers=cached[2])
        else:
            response = self.get_response(request)
            if not is_cacheable(response):
                return response  # a missing page stays missing, whatever the request's conditions
            cache.set(key, (etag, response.content, dict(response.headers)), KEEP_SECONDS)
        response["ETag"] = etag
        response["Cache-Control"] = public_cache_control(now)
        if CONDITIONAL_HEADERS.intersection(request.META):
            return get_conditional_response(request, etag=etag, response=response)  # 304, 412 or the page
        return response


def private_unless_public(get_response):
    """Middleware: a response that does not say how it may be kept is kept by no one.

    Public pages say it themselves (PageCacheMiddleware), as do static files; admin pages, error
    pages, redirects and the rest are private and never stored by a browser, proxy or CDN.
    """

    def middleware(request):
        response = get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    return middleware
