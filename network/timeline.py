"""The network over time: members in each year as a chart and a table, and every change by date."""

import math
from dataclasses import dataclass

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from centres.models import Kind, Membership
from centres.timeline import members_by_year, membership_changes
from network.models import Page

FIRST_YEAR = 2013  # the network was launched in March 2013

# The chart's drawing area, in SVG user units; the SVG scales to its column's width.
CHART_WIDTH, CHART_HEIGHT = 640, 360
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 40, 10, 50, 36
# Colours from GOV.UK's analysis palette, each at least 3:1 against white; one per kind.
KIND_COLOURS = {Kind.WHAT_WORKS_CENTRE: "#12436d", Kind.AFFILIATE: "#28a197", Kind.ASSOCIATE: "#801650"}


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str


def stacked_bar_chart(rows):
    """Geometry for a stacked bar chart of members by kind in each year: rows of (year, [count per kind]).

    Returns the bars (one segment per kind and year), the year labels and the value axis's
    grid lines, in the SVG's coordinates (y grows downwards).
    """
    plot_width = CHART_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    bottom = MARGIN_TOP + plot_height
    largest = max((sum(counts) for _, counts in rows), default=0)
    step = 5 if largest > 10 else 2
    top_value = max(step, math.ceil(largest / step) * step)
    scale = plot_height / top_value
    slot = plot_width / max(len(rows), 1)
    bars, labels = [], []
    for index, (year, counts) in enumerate(rows):
        x = MARGIN_LEFT + index * slot + slot * 0.2
        stacked = 0
        for count, colour in zip(counts, KIND_COLOURS.values(), strict=True):
            height = count * scale
            if height:
                bars.append(Bar(*(round(n, 1) for n in (x, bottom - stacked - height, slot * 0.6, height)), colour))
            stacked += height
        labels.append((round(x + slot * 0.3, 1), year))
    grid = [(value, bottom - value * scale) for value in range(0, top_value + 1, step)]
    return {"bars": bars, "year_labels": labels, "grid": grid, "baseline": bottom}


def network_timeline(request, slug):
    page = get_object_or_404(Page, slug=slug)
    today = timezone.localdate()
    memberships = list(Membership.objects.with_centres())
    rows = [
        (year, [counts[kind] for kind in Kind]) for year, _, counts in members_by_year(memberships, FIRST_YEAR, today)
    ]
    changes = [change for change in membership_changes(memberships) if change.date <= today]
    return render(
        request,
        "network/timeline.html",
        {
            "page": page,
            "today": today,
            "rows": rows,
            "first_year": FIRST_YEAR,
            "chart": stacked_bar_chart(rows),
            "chart_size": (CHART_WIDTH, CHART_HEIGHT),
            # Each kind's name, colour and place in the legend (side by side above the plot).
            "kinds": [
                (f"{kind.label}s", colour, MARGIN_LEFT + index * 200)
                for index, (kind, colour) in enumerate(KIND_COLOURS.items())
            ],
            "chart_left": MARGIN_LEFT,
            "chart_right": CHART_WIDTH - MARGIN_RIGHT,
            "changes": changes,
        },
    )
