"""Content for the page at the benchmark's sizes, added on top of the demo content.

- long history: 2,000 centres that have left the network, with 5,000 ended memberships;
- large network: 1,000 current memberships in all and 1,000 page updates in all;
- at every size, 200 open drafts, each changing every record of the demo content: the public pages
  never read drafts, so they must cost the same with them as without.

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
OPEN_DRAFTS = 200


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
                    position=0,
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


def add_open_drafts(using="default"):
    """Open drafts, each changing every record of the demo content (at the larger sizes, the first
    100 records of each kind, which include the demo's)."""
    # Imported here: tools/benchmark.py imports SIZES before Django is set up.
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from drafts.models import Draft, DraftChange
    from drafts.records import snapshot
    from network.content_version import content_models

    author, _ = get_user_model().objects.db_manager(using).get_or_create(username="bench-author")
    records = [
        (ContentType.objects.db_manager(using).get_for_model(model), record)
        for model in content_models()
        for record in model._default_manager.using(using).order_by("pk")[:100]
    ]
    drafts = Draft.objects.using(using).bulk_create(
        Draft(name=f"Open draft {n}", created_by=author, changed_by=author) for n in range(OPEN_DRAFTS)
    )
    for draft in drafts:
        DraftChange.objects.using(using).bulk_create(
            DraftChange(
                draft=draft,
                content_type=content_type,
                object_pk=record.pk,
                base=snapshot(record),
                state=drafted(snapshot(record), draft),
                changed_by=author,
            )
            for content_type, record in records
        )


def drafted(state, draft):
    """A record's fields as a draft might change them: its first text field says which draft."""
    name = next(name for name, value in state.items() if isinstance(value, str))
    return {**state, name: f"{state[name]} ({draft.name})"}
