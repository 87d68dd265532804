"""The page's body: its sections' text with the placeholders filled from the network's records.

The public page and its JSON both show this body, so both compose it here.
"""

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from centres.models import Kind, MemberCounts, Membership
from network.placeholders import fill_placeholders
from network.rendering import render_markdown

# Placeholder name -> the member kind it counts.
COUNT_PLACEHOLDERS = {
    "what_works_centres": Kind.WHAT_WORKS_CENTRE,
    "affiliate_members": Kind.AFFILIATE,
    "associate_members": Kind.ASSOCIATE,
}


def compose_sections(page):
    """[(section, its HTML)] for the page, with today's members in the table and counts."""
    memberships = Membership.objects.current().in_table_order()
    counts = MemberCounts.of(membership.kind for membership in memberships)
    values = {
        "centres_table": render_to_string("centres/membership_table.html", {"page": page, "memberships": memberships}),
        "network_members": escape(counts.network_phrase()),
        **{name: escape(counts.phrase(kind)) for name, kind in COUNT_PLACEHOLDERS.items()},
    }
    # Staff Markdown is sanitised before the generated values go in; the values are escaped.
    return [
        (section, mark_safe(fill_placeholders(render_markdown(section.body), values)))
        for section in page.sections.all()
    ]
