"""Content for the page at the benchmark's sizes, added on top of the demo content.

- long history: 2,000 centres that have left the network, with 5,000 ended memberships;
- large network: 1,000 current memberships in all and 1,000 page updates in all.

Used by tools/build_bench_database.py and by the query-count tests.
"""

import datetime

from centres.models import Centre, Kind, Membership, PolicyArea
from network.models import Page
from updates.models import PageUpdate

SIZES = ("demo", "long-history", "large-network")
PAGE_SLUG = "what-works-network"
FORMER_CENTRES = 2_000
ENDED_MEMBERSHIPS = 5_000
CURRENT_MEMBERSHIPS = 1_000
PAGE_UPDATES = 1_000
POLICY_AREAS = 50


def add_long_history(using="default"):
    """Centres that joined and left, each holding two or three memberships in turn, all ended."""
    centres = Centre.objects.using(using).bulk_create(
        Centre(name=f"Former centre {n}", slug=f"former-centre-{n}", website=f"https://former-{n}.example")
        for n in range(FORMER_CENTRES)
    )
    kinds = list(Kind)
    memberships = []
    for n, centre in enumerate(centres):
        terms = 3 if n < ENDED_MEMBERSHIPS - 2 * FORMER_CENTRES else 2
        for term in range(terms):
            start = datetime.date(2000 + 2 * term, 1, 1) + datetime.timedelta(days=n)
            memberships.append(
                Membership(
                    centre=centre,
                    kind=kinds[term % len(kinds)],
                    start_date=start,
                    end_date=start + datetime.timedelta(days=365),
                )
            )
    Membership.objects.using(using).bulk_create(memberships)


def add_large_network(using="default"):
    """More current members and more updates, up to the large network's totals."""
    areas = PolicyArea.objects.using(using).bulk_create(
        PolicyArea(name=f"Policy area {n}", slug=f"policy-area-{n}") for n in range(POLICY_AREAS)
    )
    new_members = CURRENT_MEMBERSHIPS - Membership.objects.db_manager(using).current().count()
    centres = Centre.objects.using(using).bulk_create(
        Centre(name=f"Member centre {n}", slug=f"member-centre-{n}", website=f"https://member-{n}.example")
        for n in range(new_members)
    )
    kinds = list(Kind)
    Membership.objects.using(using).bulk_create(
        Membership(
            centre=centre,
            kind=kinds[n % len(kinds)],
            policy_area=areas[n % len(areas)],
            start_date=datetime.date(2020, 1, 1),
            position=n,
        )
        for n, centre in enumerate(centres)
    )
    page = Page.objects.using(using).get(slug=PAGE_SLUG)
    new_updates = PAGE_UPDATES - page.updates.using(using).count()
    PageUpdate.objects.using(using).bulk_create(
        PageUpdate(page=page, date=datetime.date(2013, 3, 5) + datetime.timedelta(days=n), note=f"Change note {n}.")
        for n in range(new_updates)
    )


ADD_CONTENT = {"demo": None, "long-history": add_long_history, "large-network": add_large_network}
