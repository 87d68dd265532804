"""The page as JSON, shaped like GOV.UK's content API (/api/content/<base path>)."""

from itertools import groupby

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string

from centres.models import Membership
from network.composition import compose_sections
from network.models import Page, start_of_day


def absolute_url(path):
    """The site's own address for a path: from SITE_URL, never from the request (whose Host and
    scheme a cached response would hand to every later reader)."""
    return f"{settings.SITE_URL}{path}"


def centre_data(centre, memberships):
    return {
        "title": centre.name,
        "base_path": centre.get_absolute_url(),
        "web_url": absolute_url(centre.get_absolute_url()),
        "website": centre.website,
        "memberships": [
            {
                "kind": membership.kind,
                "kind_label": membership.get_kind_display(),
                "policy_area": membership.policy_area.name if membership.policy_area else None,
                "start_date": membership.start_date.isoformat(),
                "end_date": membership.end_date.isoformat() if membership.end_date else None,
            }
            for membership in memberships
        ],
    }


def page_content(request, slug):
    page = get_object_or_404(Page, slug=slug)
    updates = list(page.updates.published().newest_first())
    body = render_to_string("network/body.html", {"sections": compose_sections(page)})
    # Every membership with its centre, in one query, grouped by centre in order.
    centres = groupby(Membership.objects.with_centres(), key=lambda membership: membership.centre)
    return JsonResponse(
        {
            "base_path": page.get_absolute_url(),
            "title": page.title,
            "description": page.summary,
            "document_type": "detailed_guide",
            "schema_name": "detailed_guide",
            "locale": "en",
            "first_published_at": updates[-1].public_timestamp.isoformat() if updates else None,
            "public_updated_at": updates[0].public_timestamp.isoformat() if updates else None,
            "details": {
                "body": body,
                "change_history": [
                    {"public_timestamp": update.public_timestamp.isoformat(), "note": update.note} for update in updates
                ],
                "centres": [centre_data(centre, memberships) for centre, memberships in centres],
                # As GOV.UK gives links to pages outside GOV.UK in a page's related content.
                "external_related_links": [
                    {"title": link.title, "url": link.address} for link in page.related_links.in_order()
                ],
            },
            "links": {"organisations": [{"title": page.organisation_name, "web_url": page.organisation_url}]},
            # As GOV.UK's content store: empty unless the page is withdrawn; the explanation is HTML.
            "withdrawn_notice": (
                {
                    "explanation": page.withdrawal_explanation_html(),
                    "withdrawn_at": start_of_day(page.withdrawn_on).isoformat(),
                }
                if page.withdrawn_on
                else {}
            ),
        },
        json_dumps_params={"ensure_ascii": False},
    )
