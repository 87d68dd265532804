"""Whole-page caching for public pages, exact across processes, with conditional requests.

A public page depends only on the content tables and on today's date (memberships start and
end on dates). The database keeps a content version that its own triggers change on every write
to those tables (network/content_version.py), so a page is cached under
(site build, content version, today, URL): one cheap query per request tells every worker,
whatever cache it uses, whether its copy is current. A change from any process is shown on the
very next request, and a scheduled membership date takes effect at midnight because the key
changes with the day. Entries expire at the end of their day, so no cache keeps dead ones.

Each process also keeps the pages it served most recently in its own memory, as they are
(`ProcessPages`), in front of the configured cache: a hit then neither fetches the page from
Redis nor unpickles a copy of it.

The same key is the page's ETag: a repeat request carrying it gets 304 Not Modified after that
one query, without rendering. Responses say `Cache-Control: no-cache`, so browsers always ask.
"""

import datetime
import functools
import hashlib
import threading
from pathlib import Path

import cachetools
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control

from network.models import ContentVersion


@functools.cache
def site_build():
    """A fingerprint of the code and templates that render pages, so a deploy never serves old markup.

    Computed once per process, at its first public request.
    """
    digest = hashlib.sha256()
    sources = sorted(
        path
        for folder in ("network", "centres", "updates", "templates")
        for path in (settings.BASE_DIR / folder).rglob("*")
        if path.suffix in (".py", ".html") and "migrations" not in path.parts
    )
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"  # hashed static names appear in pages
    for path in [*sources, manifest]:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# The headers of a conditional request, as Django's request.META names them.
CONDITIONAL_HEADERS = frozenset(
    ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")
)


def seconds_until_tomorrow(now):
    tomorrow = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(), now.tzinfo)
    return max(1, int((tomorrow - now).total_seconds()))


def cached_public_page(view):
    """Mark a view as a public page: PageCacheMiddleware caches its responses and answers conditional requests."""

    @functools.wraps(view)
    def public_page(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    public_page.is_cached_public_page = True
    return public_page


def is_public_page(request):
    return is_public_path(request.path_info, get_urlconf() or settings.ROOT_URLCONF)


# Asked on every request; the answer depends only on the path and the URLconf, so memoising by
# both is exact (and saves resolving the URL, about 15 µs, on a cache hit).
@functools.lru_cache(maxsize=1024)
def is_public_path(path, urlconf):
    try:
        return getattr(resolve(path, urlconf).func, "is_cached_public_page", False)
    except Resolver404:
        return False


class ProcessPages:
    """The pages this process served most recently, up to a number of bytes, kept as they are.

    Django's caches pickle what they store, so each hit from them makes a fresh copy of the page
    (657 KB for the large network), and from Redis fetches it first. Kept here, a hit hands the
    server the very bytes it stored. Exact for the same reason as the shared cache: keys carry the
    content version. The day in the key retires old pages; the byte budget evicts them.
    """

    def __init__(self, max_bytes):
        self._pages = cachetools.LRUCache(max_bytes, getsizeof=lambda page: len(page[0]))
        self._lock = threading.Lock()  # the development server and threaded workers share it

    def get(self, key):
        with self._lock:
            return self._pages.get(key)

    def set(self, key, page, timeout=None):
        with self._lock:
            if self._pages.getsizeof(page) <= self._pages.maxsize:
                self._pages[key] = page

    def clear(self):
        with self._lock:
            self._pages.clear()


process_pages = ProcessPages(settings.PAGE_CACHE_PROCESS_MB * 2**20)


@functools.lru_cache(maxsize=1024)
def address_key(path, query_string):
    """A short fingerprint of a request's address, for cache keys; memoised, as it is asked on every request."""
    return hashlib.sha256(f"{path}?{query_string}".encode()).hexdigest()[:16]


def page_caches():
    """The caches a page is kept in, nearest first: none when CACHE_URL turns caching off."""
    shared = caches["default"]
    if isinstance(shared, DummyCache):
        return []
    return [process_pages, shared]


def is_cacheable(response):
    """The same for every visitor: a whole 200 response that sets no cookie and varies by nothing."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Vary")
    )


class PageCacheMiddleware:
    """Serves public pages from the cache, ahead of sessions, authentication, CSRF and messages.

    A hit is one query and one cache read: it skips the rest of the middleware stack, which does
    nothing for a page that is the same for everyone. What it would add on a miss (headers such
    as X-Frame-Options) is stored with the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not is_public_page(request):
            return self.get_response(request)
        version = ContentVersion.objects.token()
        if version is None:  # the row is made again by the next write; until then, no caching
            return self.get_response(request)
        # The site's own day (memberships change at UK midnight), whatever zone a request activated.
        now = datetime.datetime.now(timezone.get_default_timezone())
        # Quoted as an ETag must be; none of its parts can hold a quote.
        etag = (
            f'"{site_build()}-{version}-{now:%Y%m%d}-{address_key(request.path, request.META.get("QUERY_STRING", ""))}"'
        )
        if CONDITIONAL_HEADERS.intersection(request.META):  # most requests ask nothing of the kind
            response = get_conditional_response(request, etag=etag)  # 304 or 412, or None
            if response is not None:
                response["ETag"] = etag
                return response
        key = f"page:{etag}"
        tiers = page_caches()
        for nearer, cache in enumerate(tiers):
            cached = cache.get(key)
            if cached is not None:
                for tier in tiers[:nearer]:
                    tier.set(key, cached, seconds_until_tomorrow(now))
                content, headers = cached
                return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if is_cacheable(response):
            response["ETag"] = etag
            patch_cache_control(response, no_cache=True)
            for cache in tiers:
                cache.set(key, (response.content, dict(response.headers)), seconds_until_tomorrow(now))
        return response
