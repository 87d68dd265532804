"""The network's story, worked out from memberships: who joined, changed kind or left, and when."""

import datetime
from dataclasses import dataclass
from itertools import groupby

from centres.models import Kind, MemberCounts, long_date

JOINED, CHANGED, LEFT = "joined", "changed", "left"


@dataclass(frozen=True)
class MembershipChange:
    """One event in a centre's membership: it joined, moved to another membership, or left."""

    date: datetime.date
    event: str
    membership: object  # the membership that starts (joined, changed) or ends (left)
    previous: object = None  # for a change: the membership it replaces

    @property
    def centre(self):
        return self.membership.centre

    def describe(self):
        """The event in a sentence, for the network's history."""
        kind = Kind(self.membership.kind)
        if self.event == JOINED:
            return f"{self.centre.name} joined as {kind.with_article}."
        if self.event == LEFT:
            return f"{self.centre.name} left the network."
        if self.previous.kind != self.membership.kind:
            return f"{self.centre.name} became {kind.with_article}."
        area = self.membership.policy_area.name if self.membership.policy_area else "none"
        return f"{self.centre.name}’s policy area changed to {area}."

    def describe_for_centre(self, on):
        """The event in the centre's own history, as seen on a day: "Affiliate from … to …", "Left on …"."""
        if self.event == LEFT:
            return f"{'Left' if self.date <= on else 'Leaves'} the network on {long_date(self.date)}"
        return self.membership.describe_history(on)


def membership_changes(memberships):
    """Every join, change and departure in these memberships (of any centres), oldest first.

    A membership that starts on the day the centre's previous one ends is a change, not a
    departure and a join; one that ends with no membership following at once is a departure.
    """
    changes = []
    ordered = sorted(memberships, key=lambda m: (m.centre_id, m.start_date))
    for _, own in groupby(ordered, key=lambda m: m.centre_id):
        own = list(own)
        for previous, membership, following in zip([None, *own[:-1]], own, [*own[1:], None], strict=True):
            if previous and previous.end_date == membership.start_date:
                changes.append(MembershipChange(membership.start_date, CHANGED, membership, previous))
            else:
                changes.append(MembershipChange(membership.start_date, JOINED, membership))
            if membership.end_date and not (following and following.start_date == membership.end_date):
                changes.append(MembershipChange(membership.end_date, LEFT, membership))
    return sorted(changes, key=lambda change: (change.date, change.centre.name))


def year_end(year, today):
    """The day that stands for a year in the network's history: 31 December, or today for this year."""
    return min(datetime.date(year, 12, 31), today)


def members_by_year(memberships, first_year, today):
    """[(year, day, MemberCounts)] for each year from `first_year` to this one, counted on `year_end`."""
    memberships = list(memberships)
    rows = []
    for year in range(first_year, today.year + 1):
        day = year_end(year, today)
        counts = MemberCounts({kind.value: 0 for kind in Kind})
        for membership in memberships:
            if membership.is_current(day):
                counts[membership.kind] += 1
        rows.append((year, day, counts))
    return rows
