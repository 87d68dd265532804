"""Checking the site's links to other sites: does each still answer, and where?

Checks run concurrently (LINK_CHECK_CONCURRENCY at once), at most LINK_CHECK_PER_HOST at once to
any one server (host and port), so that no site is hammered; each link gets LINK_CHECK_TIMEOUT
seconds in all, redirects and a second try included. They run only from `manage.py check_links`
and the admin's "Check links now", never in a public request. No server off the public internet
is asked, at a link's address or any it redirects to, unless LINK_CHECK_PRIVATE_NETWORKS has it.
"""

import asyncio
import collections
import dataclasses
import ipaddress
import socket
import ssl
import urllib.parse
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx
from django.conf import settings
from django.utils import timezone

from links.models import ADDRESS_LIMIT, ERROR_LIMIT, CheckedLink, Status

# Servers that refuse HEAD say so with one of these; the link is then asked for with GET.
HEAD_REFUSED = {405, 501}


class PrivateAddress(Exception):
    """A host with an address off the public internet, on no network LINK_CHECK_PRIVATE_NETWORKS lists."""


@dataclasses.dataclass(frozen=True)
class Result:
    status: Status
    http_status: int | None = None
    final_address: str = ""
    error: str = ""


def user_agent():
    return f"WhatWorksNetworkLinkChecker/1.0 (+{settings.SITE_URL})"


def server(address):
    """What the per-host limit counts by: one server, its host and port."""
    parts = urllib.parse.urlsplit(address)
    return (parts.hostname, parts.port)


def causes(error):
    """The error and what caused it, outermost first (httpx wraps the socket's or TLS's error)."""
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def describe(error):
    """A request's failure in words staff can act on."""
    for cause in causes(error):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"Certificate not trusted: {cause.verify_message}"
        if isinstance(cause, ssl.SSLError):
            return f"Secure connection failed: {cause.reason or cause}"
        if isinstance(cause, socket.gaierror):
            return f"Host not found: {cause.strerror}"
        if isinstance(cause, ConnectionRefusedError):
            return "Connection refused"
    return str(error) or type(error).__name__


def result_of(response, redirected):
    """The result of the last answer, after any redirects."""
    # Cut to fit, if ever longer: it is there for staff to read.
    final_address = str(response.url)[:ADDRESS_LIMIT] if redirected else ""
    if not response.is_success:
        return Result(Status.BROKEN, response.status_code, final_address)
    return Result(Status.REDIRECT if redirected else Status.WORKING, response.status_code, final_address)


async def ensure_public(url):
    """Raise PrivateAddress if any address of `url`'s host is off the public internet and on no
    network the settings allow: a host with one such address among others could be reached at it."""
    port = url.port or {"http": 80, "https": 443}[url.scheme]
    found = await asyncio.get_running_loop().getaddrinfo(url.raw_host.decode("ascii"), port, type=socket.SOCK_STREAM)
    for *_, socket_address in found:
        address = ipaddress.ip_address(socket_address[0])
        if not address.is_global and not any(address in network for network in settings.LINK_CHECK_PRIVATE_NETWORKS):
            raise PrivateAddress(f"Not asked: {url.host} is at {address}, off the public internet")


async def answer(client, method, address):
    """The last answer, after any redirects, and whether there were any.

    Each answer is streamed and closed unread: the status is all a check needs, not the page. Redirects
    are followed here rather than by httpx, which reads each redirect's body in full first, however
    long it goes on.
    """
    request = client.build_request(method, address)
    for redirects in range(settings.LINK_CHECK_MAX_REDIRECTS + 1):
        await ensure_public(request.url)
        response = await client.send(request, stream=True)
        await response.aclose()
        if response.next_request is None:
            return response, redirects > 0
        request = response.next_request
    raise httpx.TooManyRedirects("Too many redirects", request=request)


async def check(client, address, timeout, limits):
    try:
        host = server(address)
    except ValueError as error:  # e.g. a port above 65535: there is nowhere to ask
        return Result(Status.BROKEN, error=f"Not a valid address: {error}"[:ERROR_LIMIT])
    async with limits.per_server[host], limits.overall:
        try:
            async with asyncio.timeout(timeout):
                response, redirected = await answer(client, "HEAD", address)
                if response.status_code in HEAD_REFUSED:
                    response, redirected = await answer(client, "GET", address)
        except (TimeoutError, httpx.TimeoutException):
            return Result(Status.TIMED_OUT, error=f"No answer within {timeout:g} seconds")
        except httpx.TooManyRedirects:
            return Result(Status.BROKEN, error=f"More than {settings.LINK_CHECK_MAX_REDIRECTS} redirects (a loop?)")
        # UnicodeError: a host name that IDNA refuses, which httpx passes on as it is. OSError: a
        # host name that does not resolve, found before httpx asks (ensure_public).
        except (httpx.HTTPError, httpx.InvalidURL, UnicodeError, OSError, PrivateAddress) as error:
            return Result(Status.BROKEN, error=describe(error)[:ERROR_LIMIT])
    return result_of(response, redirected)


@dataclasses.dataclass
class Limits:
    overall: asyncio.Semaphore
    per_server: collections.defaultdict


async def check_all(addresses):
    timeout = settings.LINK_CHECK_TIMEOUT
    limits = Limits(
        overall=asyncio.Semaphore(settings.LINK_CHECK_CONCURRENCY),
        per_server=collections.defaultdict(lambda: asyncio.Semaphore(settings.LINK_CHECK_PER_HOST)),
    )
    async with httpx.AsyncClient(
        headers={"User-Agent": user_agent()},
        # A jar that keeps nothing: no site's cookie is ever sent back, not even along its redirects.
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        timeout=timeout,
    ) as client:
        results = await asyncio.gather(*(check(client, address, timeout, limits) for address in addresses))
    return dict(zip(addresses, results, strict=True))


def check_links():
    """Refresh the list of the site's links, check each, and record the results; returns how many
    links ended in each status."""
    links = CheckedLink.objects.refresh_from_site()
    results = asyncio.run(check_all([link.address for link in links]))
    checked_at = timezone.now()
    for link in links:
        result = results[link.address]
        link.status, link.http_status = result.status, result.http_status
        link.final_address, link.error, link.checked_at = result.final_address, result.error, checked_at
    CheckedLink.objects.bulk_update(links, ["status", "http_status", "final_address", "error", "checked_at"])
    return collections.Counter(link.status for link in links)


def summary(counts):
    """How a check went, in one sentence: "12 links checked: 9 working, 1 redirect, 1 broken, 1 timed out."."""
    total = sum(counts.values())
    each = ", ".join(
        f"{counts[status]} {status.label.lower()}"
        for status in [Status.WORKING, Status.REDIRECT, Status.BROKEN, Status.TIMED_OUT]
    )
    return f"{total} link{'' if total == 1 else 's'} checked: {each}."
