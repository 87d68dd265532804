"""Ordering records by a position: a new one goes last, and one moves a place up or down without
anyone typing numbers."""

from django.db import router, transaction
from django.db.models import F, Max


def position_after(siblings):
    """The position that puts a new record after each of `siblings` (a queryset): 1 for the first."""
    return (siblings.aggregate(last=Max("position"))["last"] or 0) + 1


def move(item, siblings, step, change_reason):
    """Move `item` one place (step -1: up, +1: down) among `siblings`, a queryset in display order that holds it.

    The siblings are numbered 1, 2, 3… in their new order, and each one whose position changes
    is saved (so the audit trail records it, with `change_reason`). Returns False when the item
    is already first (or last) and nothing moved.
    """
    model = type(item)
    with transaction.atomic(using=router.db_for_write(model)):
        ordered = list(siblings.select_for_update())
        index = next(index for index, sibling in enumerate(ordered) if sibling.pk == item.pk)
        target = index + step
        if not 0 <= target < len(ordered):
            return False
        ordered[index], ordered[target] = ordered[target], ordered[index]
        changed = [(sibling, number) for number, sibling in enumerate(ordered, start=1) if sibling.position != number]
        # Positions may be unique (a page's sections): those that change step aside, past every
        # number in use, before each takes its new one.
        aside = siblings.aggregate(last=Max("position"))["last"] + 1
        model.objects.filter(pk__in=[sibling.pk for sibling, _ in changed]).update(position=F("position") + aside)
        for sibling, number in changed:
            sibling.position = number
            sibling._change_reason = change_reason
            sibling.save(update_fields=["position"])
        return True
