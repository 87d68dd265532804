"""The public guidance page, composed from the page's text, the network's members and its history."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static

from network.composition import compose_sections
from network.models import Page
from updates.models import PageUpdate


def guidance_page(request, slug):
    try:
        page = Page.objects.get_for_display(slug)
    except Page.DoesNotExist as missing:
        raise Http404(missing) from None
    updates = PageUpdate.objects.change_notes(page)
    return render(
        request,
        "network/guidance_page.html",
        {
            "page": page,
            "sections": compose_sections(page),
            "updates": updates,
            "first_published": updates[-1]["date"] if updates else None,
            "last_updated": updates[0]["date"] if updates else None,
        },
    )


def favicon(request):
    """/favicon.ico, which browsers ask for on pages that name no icon: the site's icon."""
    return redirect(static("images/favicon.svg"))
