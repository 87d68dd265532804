"""Centres and memberships as CSV, for staff to download from the admin, that a spreadsheet opens cleanly."""

import csv

from django.http import HttpResponse
from django.utils import timezone

from centres.models import long_date

HEADER = [
    "centre",
    "slug",
    "website",
    "text after link",
    "kind",
    "policy area",
    "start date",
    "end date (the first day it no longer applies)",
    "status",
    "position",
]
# A cell that starts with one of these is a formula to a spreadsheet; a leading ' keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value):
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def status(membership, today):
    if membership.start_date > today:
        return "starts later"
    return "current" if membership.is_current(today) else "ended"


def row(centre, membership=None):
    """One line: a membership with its centre's details, or a centre that has no memberships."""
    membership_cells = (
        [
            membership.get_kind_display(),
            membership.policy_area,
            long_date(membership.start_date),
            long_date(membership.end_date) if membership.end_date else "",
            status(membership, timezone.localdate()),
            membership.position,
        ]
        if membership
        else [""] * 6
    )
    return [
        as_text(cell) for cell in [centre.name, centre.slug, centre.website, centre.text_after_link, *membership_cells]
    ]


def csv_download(filename, rows, header=HEADER):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The byte-order mark tells a spreadsheet the file is UTF-8, so names like "Ageing Better’s" read right.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
