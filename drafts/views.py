"""Previewing a draft: every public page as it will be once the draft is published, for staff (the
preview) and for someone without an account who checks its facts (a fact-check link)."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, get_script_prefix, resolve, reverse, set_script_prefix
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.views.decorators.http import require_safe

from drafts.models import Draft, FactCheckLink
from drafts.records import ChangeRefused
from drafts.working import does_not_apply


def page_with_draft(request, draft, path, prefix, banner):
    """The public page at `path`, built with the draft applied (and rolled back after).

    The page's links are built by `reverse`, under `prefix` as the script prefix, so that they lead
    to other pages at the same address. `banner` is what base.html's banner says the page is.
    Raises Http404 for an address that is not a public page, and ChangeRefused for a draft the
    database can no longer hold.
    """
    try:
        match = resolve(f"/{path}")
    except Resolver404 as missing:
        raise Http404("No such page") from missing
    if not (getattr(match.func, "is_cached_public_page", False) or match.url_name == "home"):
        raise Http404("Only public pages have previews")

    def build():
        request.preview = banner
        request.public_path = f"/{path}"  # its address once published, for its canonical link
        previous = get_script_prefix()
        set_script_prefix(prefix)
        try:
            response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render"):
                response.render()
            return response
        finally:
            set_script_prefix(previous)

    return draft.run(build)


def kept_by_no_one(response):
    """Private and never stored (Cache-Control: private, no-store), and not for search engines."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


def preview(request, pk, path):
    """A draft's preview, for staff who may edit content."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not (request.user.is_staff and request.user.has_perm("drafts.change_draft")):
        raise PermissionDenied
    draft = get_object_or_404(Draft.objects.unfinished(), pk=pk)
    banner = {"draft": draft, "draft_url": reverse("admin:drafts_draft_change", args=[draft.pk])}
    prefix = reverse("draft-preview", kwargs={"pk": draft.pk, "path": ""})
    try:
        return kept_by_no_one(page_with_draft(request, draft, path, prefix, banner))
    except ChangeRefused as refused:
        return does_not_apply(request, draft, refused)


@require_safe
def fact_check(request, token, path):
    """A draft's preview at a fact-check link, read only, for whoever has the address.

    A link that does not work, whatever the reason (forged, cut short, revoked, expired, its draft
    finished), gets the same answer, which says nothing of the draft. The address is kept by no one
    and never passed on to the sites the page links to (Referrer-Policy, which SecurityMiddleware
    leaves as a view set it).
    """
    # The visitor is no one, whatever session their browser has: the page is built as the public
    # sees it, and nothing (the audit trail's record of who writes, while the draft is applied)
    # reads the session, so the answer neither sets a cookie nor varies by one.
    request.user = AnonymousUser()
    link = FactCheckLink.objects.from_token(token)
    if link is None:
        response = render(request, "drafts/fact_check_link_not_working.html", status=404)
    else:
        banner = {
            "draft": link.draft,
            "fact_check": link,
            "sent_by": link.created_by.get_full_name() or link.created_by.get_username(),
            "works_until": date_format(timezone.localtime(link.expires_at), r"H:i \o\n j F Y"),
        }
        try:
            response = page_with_draft(request, link.draft, path, link.get_absolute_url(), banner)
        except Http404:
            response = render(request, "404.html", status=404)
        except ChangeRefused:
            context = {"no_longer_applies": True}
            response = render(request, "drafts/fact_check_link_not_working.html", context, status=409)
    response["Referrer-Policy"] = "no-referrer"
    return kept_by_no_one(response)


def preview_context(request):
    """Jinja2 context: the draft a public page is a preview of, for its banner (None on the live site)."""
    return {"preview": getattr(request, "preview", None)}
