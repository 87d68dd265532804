"""Public pages for one centre and for one policy area, with their membership over time."""

from itertools import groupby

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from centres.models import Centre, PolicyArea
from centres.timeline import membership_changes


def centre_page(request, slug):
    centre = get_object_or_404(Centre.objects.with_memberships(), slug=slug)
    today = timezone.localdate()
    memberships = centre.memberships.all()
    return render(
        request,
        "centres/centre.html",
        {
            "centre": centre,
            "current": next((m for m in memberships if m.is_current(today)), None),
            "history": [change.describe_for_centre(today) for change in membership_changes(memberships)],
        },
    )


def policy_area_page(request, slug):
    area = get_object_or_404(PolicyArea, slug=slug)
    today = timezone.localdate()
    current, joining, former = [], [], []
    for centre, memberships in groupby(area.memberships.with_centres(), key=lambda m: m.centre):
        memberships = list(memberships)
        if any(m.is_current(today) for m in memberships):
            group = current
        elif any(m.start_date > today for m in memberships):
            group = joining
        else:
            group = former
        group.append((centre, [m.describe_history(today) for m in memberships]))
    groups = [("Current members", current), ("Joining soon", joining), ("Former members", former)]
    return render(
        request,
        "centres/policy_area.html",
        {"area": area, "groups": groups, "has_members": any(group for _, group in groups)},
    )
