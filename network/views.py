"""The public guidance page, composed from the page's text, the network's members and its history."""

from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static

from network.composition import compose_sections
from network.models import Page


def guidance_page(request, slug):
    page = get_object_or_404(Page, slug=slug)
    updates = list(page.updates.published().newest_first())
    return render(
        request,
        "network/guidance_page.html",
        {
            "page": page,
            "sections": compose_sections(page),
            "related_links": page.related_links.in_order(),
            "updates": updates,
            "first_published": updates[-1].date if updates else None,
            "last_updated": updates[0].date if updates else None,
        },
    )


def favicon(request):
    """/favicon.ico, which browsers ask for on pages that name no icon: the site's icon."""
    return redirect(static("images/favicon.svg"))
