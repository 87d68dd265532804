"""Previewing a draft: every public page as it will be once the draft is published."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, get_script_prefix, resolve, reverse, set_script_prefix
from django.utils.cache import add_never_cache_headers

from drafts.models import Draft
from drafts.records import ChangeRefused
from drafts.working import does_not_apply


def preview(request, pk, path):
    """The public page at `path`, built with the draft applied (and rolled back after).

    The page's links are built by `reverse`, under this preview's address as the script prefix, so
    that they lead to other pages of the same preview. A preview is for staff who may edit content,
    is never cached, and asks search engines not to index it.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not (request.user.is_staff and request.user.has_perm("drafts.change_draft")):
        raise PermissionDenied
    draft = get_object_or_404(Draft.objects.unfinished(), pk=pk)
    try:
        match = resolve(f"/{path}")
    except Resolver404 as missing:
        raise Http404("No such page") from missing
    if not (getattr(match.func, "is_cached_public_page", False) or match.url_name == "home"):
        raise Http404("Only public pages have previews")

    request.preview = {"draft": draft, "draft_url": reverse("admin:drafts_draft_change", args=[draft.pk])}

    def build():
        prefix = get_script_prefix()
        set_script_prefix(reverse("draft-preview", kwargs={"pk": draft.pk, "path": ""}))
        try:
            response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render"):
                response.render()
            return response
        finally:
            set_script_prefix(prefix)

    try:
        response = draft.run(build)
    except ChangeRefused as refused:
        return does_not_apply(request, draft, refused)
    add_never_cache_headers(response)  # private, no-store
    response["X-Robots-Tag"] = "noindex"
    return response


def preview_context(request):
    """Jinja2 context: the draft a public page is a preview of, for its banner (None on the live site)."""
    return {"preview": getattr(request, "preview", None)}
