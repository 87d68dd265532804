"""The public guidance page, composed from the page's text, the network's members and its history."""

from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from centres.models import Kind, MemberCounts, Membership
from network.models import Page
from network.placeholders import fill_placeholders
from network.rendering import render_markdown

# Placeholder name -> the member kind it counts.
COUNT_PLACEHOLDERS = {
    "what_works_centres": Kind.WHAT_WORKS_CENTRE,
    "affiliate_members": Kind.AFFILIATE,
    "associate_members": Kind.ASSOCIATE,
}


def guidance_page(request, slug):
    page = get_object_or_404(Page, slug=slug)
    current = Membership.objects.current(timezone.localdate())
    memberships = current.in_table_order()
    counts = MemberCounts.of(memberships)
    updates = list(page.updates.newest_first())

    values = {
        "centres_table": render_to_string("centres/membership_table.html", {"page": page, "memberships": memberships}),
        "network_members": escape(counts.network_phrase()),
        **{name: escape(counts.phrase(kind)) for name, kind in COUNT_PLACEHOLDERS.items()},
    }
    # Staff Markdown is sanitised before the generated values go in; the values are escaped.
    sections = [
        (section, mark_safe(fill_placeholders(render_markdown(section.body), values)))
        for section in page.sections.all()
    ]
    return render(
        request,
        "network/guidance_page.html",
        {
            "page": page,
            "sections": sections,
            "updates": updates,
            "first_published": updates[-1].date if updates else None,
            "last_updated": updates[0].date if updates else None,
        },
    )
