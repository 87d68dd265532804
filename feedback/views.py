"""The feedback form's posts, answered with a thank-you page (Post/Redirect/Get), and their refusals.

No CSRF token: the form is part of public pages that are cached whole and shared by every reader,
so it can carry nothing of one visitor's, and public pages set no cookies. A CSRF token protects
a signed-in user's session from a post another site makes in their name; a feedback post involves
no session, cookie or account, so a forged one can do no more than any post could: add one answer
about a page of this site. What limits that: a browser says where a post comes from (the Origin
header, or Sec-Fetch-Site), and posts another site's page makes are refused; and every client,
however it posts, is rate limited by its address, so forged or automated answers are few.
"""

from urllib.parse import urlencode, urlsplit

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django_ratelimit.core import get_usage

from feedback.forms import FeedbackForm
from feedback.models import REPORT_TEXT_LIMIT
from network.caching import is_public_path

# Posts a client may send in a window: a reader answers once or twice a page.
RATE = "20/h"
TOO_BIG_MESSAGE = f"Your report is too long: each answer must be {REPORT_TEXT_LIMIT:,} characters or fewer."


def client_address(request):
    """The client's address as django-axes determines it (CLIENT_IP_HEADER in settings), for
    django-ratelimit's count; kept in that count only. A request with none shares one count."""
    return get_client_ip_address(request) or "0.0.0.0"


def site_origins():
    """The origins this site's pages are served from: SITE_URL's, and any other trusted for forms."""
    return {
        f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
        for url in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]
    }


def from_this_site(request):
    """Whether the browser says the post was made by one of this site's pages. A client that sends
    neither header (an old browser, a script) is not a browser tricked by another site's page."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin in site_origins()
    return request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"


def declared_length(request):
    """The body's length as the client gives it (0 when it gives none the server can read)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def not_sent(request, status, heading, message):
    return render(request, "feedback/not_sent.html", {"heading": heading, "message": message}, status=status)


@csrf_exempt
def send_feedback(request):
    if request.method != "POST":
        response = not_sent(
            request,
            405,
            "This address only receives feedback",
            "Send yours with “Is this page useful?” or “Report a problem with this page” at the foot of a page.",
        )
        response["Allow"] = "POST"
        return response
    # Before counting: another site's page posting in a reader's name uses none of their allowance.
    if not from_this_site(request):
        return not_sent(
            request,
            403,
            "Sorry, your feedback could not be sent",
            "It was sent from a page that is not part of this site. Nothing you sent was saved.",
        )
    usage = get_usage(request, group="feedback", key="ip", rate=RATE, increment=True)
    if usage is not None and usage["should_limit"]:  # None: no count, the cache being down (settings)
        response = not_sent(
            request,
            429,
            "Sorry, there have been too many messages from your connection",
            "Please try again later. Nothing you sent was saved.",
        )
        response["Retry-After"] = str(usage["time_left"])
        return response
    try:
        # Django's own limit on form data counts no file's part: a body bigger than it is refused unread.
        if declared_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise RequestDataTooBig
        data = request.POST
    except RequestDataTooBig:
        return render(request, "feedback/report.html", {"too_big": TOO_BIG_MESSAGE}, status=400)
    form = FeedbackForm(data)
    if not form.is_valid():
        return render(request, "feedback/report.html", {"form": form}, status=400)
    feedback = form.save()
    thank_you = f"{reverse('feedback-thank-you')}?{urlencode({'page': feedback.path})}"
    return HttpResponseRedirect(thank_you, status=303)  # See Other: reloading the thank-you sends nothing again


@require_GET
def thank_you(request):
    page = request.GET.get("page", "")
    return render(request, "feedback/thank_you.html", {"page": page if is_public_path(page) else None})
