"""Centres and memberships as CSV, for staff to download from the admin."""

import csv

from django.http import HttpResponse

HEADER = [
    "centre",
    "slug",
    "website",
    "text after link",
    "kind",
    "policy area",
    "start date",
    "end date",
    "position",
]
# A cell that starts with one of these is a formula to a spreadsheet; a leading ' keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value):
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def row(centre, membership=None):
    """One line: a membership with its centre's details, or a centre that has no memberships."""
    membership_cells = (
        [
            membership.get_kind_display(),
            membership.policy_area,
            membership.start_date.isoformat(),
            membership.end_date.isoformat() if membership.end_date else "",
            membership.position,
        ]
        if membership
        else [""] * 5
    )
    return [
        as_text(cell) for cell in [centre.name, centre.slug, centre.website, centre.text_after_link, *membership_cells]
    ]


def csv_download(filename, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return response
