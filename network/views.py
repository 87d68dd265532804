"""The public guidance page, composed from the page's text, the network's members and its history;
and the site's help pages."""

from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone

from network.composition import compose_sections
from network.models import HelpPage, Page


def guidance_page(request, slug):
    page = get_object_or_404(Page, slug=slug)
    updates = list(page.updates.published().newest_first())
    return render(
        request,
        "network/guidance_page.html",
        {
            "page": page,
            "sections": compose_sections(page),
            "updates": updates,
            "first_published": updates[-1].date if updates else None,
            "last_updated": updates[0].date if updates else None,
        },
    )


def help_page(request, slug):
    page = get_object_or_404(HelpPage.objects.with_last_updated(), slug=slug)
    last_updated = timezone.localdate(page.last_updated) if page.last_updated else None
    return render(request, "network/help_page.html", {"page": page, "last_updated": last_updated})


def support_links(request):
    """Jinja2 context: the help pages the footer links to, on every public page.

    A query not yet run: an error page that must not touch the database (503.html, while it is
    down) never reads it.
    """
    return {"support_links": HelpPage.objects.in_footer()}


def favicon(request):
    """/favicon.ico, which browsers ask for on pages that name no icon: the site's icon."""
    return redirect(static("images/favicon.svg"))
