"""Addresses of pages and static files, memoised: a page build asks for the same few each time.

Each costs about 25 µs to work out (reverse() walks the URLconf; a static file's address is
looked up in the manifest and joined to STATIC_URL), and each depends only on its arguments and
on configuration that is fixed while a process serves: so memoising is exact. Tests that change
that configuration clear the memos through Django's setting_changed signal.
"""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse


def page_addresses():
    """A function giving reverse(name, kwargs=kwargs), memoised, for the script prefix and URLconf now in force.

    Finding those two costs more than the memo does: ask for this once for many addresses (a
    table's rows).
    """
    script_prefix, urlconf = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF

    def page_address(name, **kwargs):
        return _page_address(name, tuple(sorted(kwargs.items())), script_prefix, urlconf)

    return page_address


def page_address(name, **kwargs):
    """reverse(name, kwargs=kwargs), memoised."""
    return page_addresses()(name, **kwargs)


@functools.lru_cache(maxsize=4096)
def _page_address(name, kwargs, script_prefix, urlconf):
    return reverse(name, urlconf=urlconf, kwargs=dict(kwargs))


@functools.lru_cache(maxsize=256)
def static_address(path):
    """The address of a static file, as `{% static %}` gives it (with its hashed name in production)."""
    return static(path)


@receiver(setting_changed)
def forget_addresses(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "STATIC_URL", "STATIC_ROOT", "STORAGES", "FORCE_SCRIPT_NAME"}:
        _page_address.cache_clear()
        static_address.cache_clear()
