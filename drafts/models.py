"""Drafts: changes to any of the site's content records, kept apart from the live site until they
are published together (drafts/records.py says how a draft is applied)."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from drafts.records import ChangeRefused, apply_changes, differences, follow_new_keys, recording_writes, snapshot
from drafts.times import uk_time
from network.content_version import content_models
from network.models import ContentVersion


class DraftQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Draft.Status.OPEN)

    def unfinished(self):
        """Drafts not yet published or discarded: open, waiting for review, reviewed or scheduled."""
        return self.exclude(status__in=[Draft.Status.PUBLISHED, Draft.Status.DISCARDED])

    def waiting_for_review(self):
        return self.filter(status=Draft.Status.SUBMITTED).order_by("submitted_at", "pk")

    def scheduled(self):
        return self.filter(status=Draft.Status.SCHEDULED).order_by("scheduled_for", "pk")

    def due(self, now):
        """Scheduled drafts whose time has come, the earliest first."""
        return self.scheduled().filter(scheduled_for__lte=now)

    def next_scheduled_for(self):
        """When the next scheduled draft is due, or None."""
        return self.filter(status=Draft.Status.SCHEDULED).aggregate(next=models.Min("scheduled_for"))["next"]

    def failed_to_go_live(self):
        return self.filter(status=Draft.Status.FAILED).order_by("scheduled_for", "pk")

    def force_published_not_reviewed(self):
        return self.filter(status=Draft.Status.PUBLISHED, force_publish_reason__gt="", reviewed_by=None)

    def newest_first(self):
        return self.order_by("-changed_at", "-pk")


class Draft(models.Model):
    """A named set of changes to content records, published as one or discarded."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SUBMITTED = "submitted", "Waiting for review"
        REVIEWED = "reviewed", "Reviewed"
        SCHEDULED = "scheduled", "Scheduled"
        FAILED = "failed", "Could not go live"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"

    name = models.CharField(
        max_length=200,
        help_text="What the changes are for, as a colleague would recognise them: "
        "“Youth Endowment Fund becomes a What Works Centre”.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafts_started", verbose_name="author"
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafts_changed", null=True, blank=True
    )
    changed_at = models.DateTimeField("last change", default=timezone.now)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="drafts_finished",
        null=True,
        blank=True,
        help_text="Who published or discarded it.",
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    change_note = models.TextField(blank=True, help_text="The change note it was published with, if a major change.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="drafts_reviewed",
        null=True,
        blank=True,
        help_text="The second person who read it: its publisher, or who reviewed it after it was force published.",
    )
    force_publish_reason = models.TextField(blank=True, help_text="Why it was published without a review.")
    scheduled_for = models.DateTimeField(
        null=True, blank=True, help_text="When it goes live by itself, as its reviewer scheduled it."
    )
    failure = models.TextField(blank=True, help_text="Why it could not go live at its scheduled time.")

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        permissions = [("publish_draft", "Can publish a draft")]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_waiting_for_review(self):
        return self.status == self.Status.SUBMITTED

    @property
    def is_scheduled(self):
        return self.status == self.Status.SCHEDULED

    @property
    def scheduled_time(self):
        """When it is scheduled to go live, in words: "9:30am on 1 December 2026 (UK time, GMT)"."""
        return uk_time(self.scheduled_for) if self.scheduled_for else ""

    @property
    def needs_review(self):
        """Force published, and not yet reviewed by a second person."""
        return self.status == self.Status.PUBLISHED and bool(self.force_publish_reason) and self.reviewed_by is None

    def authors(self):
        """Everyone who wrote any of it: none of them can be its reviewer."""
        return {self.created_by_id, *self.changes.values_list("changed_by", flat=True)}

    def is_author(self, user):
        return user.pk in self.authors()

    def record(self, action, user, comment=""):
        return self.events.create(action=action, user=user, comment=comment)

    def move(self, user, action, allowed, to, comment="", **fields):
        """Change the draft's status from one of `allowed` to `to`, with the event that says who did it,
        in one transaction; NotOpen if someone else moved it first.

        The draft is claimed with one conditional update, the first write of the transaction: of two
        people or processes taking a step at once, on any database and any machine, exactly one
        changes it, and the other waits for it and finds it moved.
        """
        with transaction.atomic():
            if not Draft.objects.filter(pk=self.pk, status__in=allowed).update(status=to, **fields):
                raise NotOpen(self)
            self.record(action, user, comment)
        self.status = to
        for name, value in fields.items():
            setattr(self, name, value)

    # Where a draft waits once reviewed: to be published or scheduled, by hand or (again) by itself.
    REVIEWED_STATES = [Status.REVIEWED, Status.FAILED]
    # Where its author may withdraw it, or a reviewer send it back, to change it again.
    AWAITING_PUBLICATION = [Status.SUBMITTED, *REVIEWED_STATES]
    # Not yet published or discarded.
    UNFINISHED = [Status.OPEN, *AWAITING_PUBLICATION, Status.SCHEDULED]
    # Back to its author: nothing of a review or a schedule is kept.
    REOPENED = {"submitted_at": None, "reviewed_by": None, "scheduled_for": None, "failure": ""}

    def submit(self, user):
        self.move(
            user, DraftEvent.Action.SUBMITTED, [self.Status.OPEN], self.Status.SUBMITTED, submitted_at=timezone.now()
        )

    def withdraw_submission(self, user):
        self.move(user, DraftEvent.Action.WITHDRAWN, self.AWAITING_PUBLICATION, self.Status.OPEN, **self.REOPENED)

    def send_back(self, user, comment):
        self.move(
            user, DraftEvent.Action.SENT_BACK, self.AWAITING_PUBLICATION, self.Status.OPEN, comment, **self.REOPENED
        )

    def schedule(self, user, moment, change_note):
        """Review the draft and schedule it to go live at `moment` with `change_note` ("" for a minor
        change), published then by `user`. Raises Conflicts while the live site has changed a record
        since the draft did."""
        try:
            with transaction.atomic():
                self.move(
                    user,
                    DraftEvent.Action.SCHEDULED,
                    self.AWAITING_PUBLICATION,
                    self.Status.SCHEDULED,
                    f"For {uk_time(moment)}.",
                    reviewed_by=user,
                    scheduled_for=moment,
                    change_note=change_note,
                    failure="",
                )
                conflicts = self.conflicts()
                if conflicts:
                    raise Conflicts(conflicts)
                ContentVersion.objects.note_next_change(Draft.objects.next_scheduled_for)
        except Conflicts:
            self.refresh_from_db()  # as the rolled back transaction left it
            raise

    def unschedule(self, user):
        with transaction.atomic():
            self.move(user, DraftEvent.Action.UNSCHEDULED, [self.Status.SCHEDULED], self.Status.REVIEWED)
            ContentVersion.objects.note_next_change(Draft.objects.next_scheduled_for)

    def mark_failed(self, reason):
        """The draft could not go live at its scheduled time: it waits, reviewed, with the reason, and is
        not tried again by itself. False if it was no longer scheduled (unscheduled, or published)."""
        try:
            self.move(
                self.reviewed_by,
                DraftEvent.Action.FAILED,
                [self.Status.SCHEDULED],
                self.Status.FAILED,
                reason,
                failure=reason,
            )
        except NotOpen:
            return False
        return True

    def mark_reviewed(self, user):
        with transaction.atomic():
            if not Draft.objects.force_published_not_reviewed().filter(pk=self.pk).update(reviewed_by=user):
                raise NotOpen(self)
            self.reviewed_by = user
            self.record(DraftEvent.Action.REVIEWED, user)

    def run(self, work, user=None):
        """Run `work()` with this draft applied and leave the live site as it was; returns what `work`
        returns. With a `user`, what `work` writes to content records is kept in the draft as theirs."""
        with transaction.atomic():
            new_keys = apply_changes(self.change_list())
            with recording_writes() as written:
                result = work()
            records = {(model, pk): model._default_manager.filter(pk=pk).first() for model, pk in written}
            transaction.set_rollback(True)
        with transaction.atomic():
            for change in self.change_list() if new_keys else []:
                change.follow_new_keys(new_keys)
            if user is not None:
                for (model, pk), record in records.items():
                    self.keep(model, pk, record and snapshot(record), user)
        return result

    def last_change(self, records, since):
        """Who last changed, in this draft, any of `records` ([(model, {attname: value})]) at or after
        `since`, and when: as `history_user` and `history_date`, as an audit trail's version says it."""
        changes = self.changes.select_related("content_type", "changed_by").order_by("-changed_at")
        if since is not None:
            changes = changes.filter(changed_at__gte=since)
        for change in changes:
            if any(change.model is model and change.matches(lookup) for model, lookup in records):
                return SimpleNamespace(history_user=change.changed_by, history_date=change.changed_at)
        return None

    def change_list(self):
        return list(self.changes.select_related("content_type")) if self.pk else []

    def conflicts(self):
        """What the live site has done since this draft changed its records, that publishing would
        undo unseen: [Conflict], for records changed or deleted there, and for records added there
        that a deletion in the draft would take with it (a membership of a centre the draft deletes)."""
        found = []
        changes = self.change_list()
        deleted = {(change.model, change.object_pk) for change in changes if change.state is None}
        for change in changes:
            if change.base is None:
                continue
            live = change.model._default_manager.filter(pk=change.object_pk).first()
            if live is None:
                found.append(Conflict(change, Conflict.DELETED))
                continue
            fields = differences(change.base, snapshot(live))
            if fields:
                found.append(Conflict(change, Conflict.CHANGED, tuple(fields)))
            if change.state is None:
                found += [
                    Conflict(DraftChange.deleting(self, record), Conflict.TAKEN_WITH)
                    for record in cascaded(live)
                    if (type(record), record.pk) not in deleted
                ]
        return found

    def bring_up_to_date(self, user):
        """Take the live site's changes into the draft: a field the draft has not changed takes the live
        value, one both have changed keeps the draft's; a record deleted on the live site leaves the
        draft, and one added there that a deletion in the draft takes with it joins the draft's
        deletions. Returns the conflicts it resolved."""
        conflicts = self.conflicts()
        with transaction.atomic():
            for conflict in conflicts:
                change = conflict.change
                if conflict.kind == Conflict.TAKEN_WITH:
                    change.changed_by = user
                    change.save()
                    continue
                live = change.model._default_manager.filter(pk=change.object_pk).first()
                if live is None:
                    change.delete()
                    continue
                live_state = snapshot(live)
                if change.state is not None:
                    change.state = {
                        name: live_state[name] if change.state.get(name) == change.base.get(name) else value
                        for name, value in change.state.items()
                    }
                change.base = live_state
                if differences(change.base, change.state):
                    change.save()
                else:
                    change.delete()
        return conflicts

    def publish(self, user, reason, also=None, force_reason="", as_scheduled=False):
        """Make every change of this draft live in one transaction, or none of them.

        A draft waiting for review, or reviewed, is published by its reviewer; with `force_reason`, an
        open or waiting draft is published at once by anyone allowed to, and waits for a review
        afterwards; `as_scheduled`, a scheduled draft is published by whoever scheduled it.
        `reason(change)` is the audit trail's reason for each record's new version; `also()` runs in the
        same transaction after the changes (to publish a change note). Raises NotOpen if the draft is
        no longer where this needs it (another publisher, or another process, got there first),
        Conflicts while the live site has changed a record since the draft did, and ChangeRefused if
        the database refuses one.
        """
        if as_scheduled:
            allowed, action = [self.Status.SCHEDULED], DraftEvent.Action.PUBLISHED_AS_SCHEDULED
        elif force_reason:
            allowed, action = [self.Status.OPEN, self.Status.SUBMITTED], DraftEvent.Action.FORCE_PUBLISHED
        else:
            allowed, action = self.AWAITING_PUBLICATION, DraftEvent.Action.PUBLISHED
        try:
            with transaction.atomic():
                self.move(
                    user,
                    action,
                    allowed,
                    self.Status.PUBLISHED,
                    force_reason,
                    finished_by=user,
                    finished_at=timezone.now(),
                    change_note=self.change_note,
                    force_publish_reason=force_reason,
                    reviewed_by=None if force_reason else user,
                    failure="",
                )
                conflicts = self.conflicts()
                if conflicts:
                    raise Conflicts(conflicts)
                apply_changes(self.change_list(), reason)
                if also is not None:
                    also()
        except (Conflicts, ChangeRefused):
            self.refresh_from_db()  # as the rolled back transaction left it
            raise

    def discard(self, user):
        self.move(
            user,
            DraftEvent.Action.DISCARDED,
            self.UNFINISHED,
            self.Status.DISCARDED,
            finished_by=user,
            finished_at=timezone.now(),
        )

    def keep(self, model, pk, state, user):
        """Record `state` as this draft's version of a record (None: deleted), against what is live."""
        content_type = ContentType.objects.get_for_model(model)
        change = self.changes.filter(content_type=content_type, object_pk=pk).first() if self.pk else None
        if change is None:
            live = model._default_manager.filter(pk=pk).first()
            change = DraftChange(draft=self, content_type=content_type, object_pk=pk, base=live and snapshot(live))
        change.state = state
        if not differences(change.base, change.state):
            if change.pk:  # back as the live site has it (or added and deleted again): nothing to publish
                change.delete()
            return
        change.changed_by = user
        change.changed_at = timezone.now()
        if self.pk is None:  # a new draft, saved with its first change
            self.save()
            change.draft = self
        change.save()
        Draft.objects.filter(pk=self.pk).update(changed_by=user, changed_at=change.changed_at)


def cascaded(record):
    """The content records that deleting `record` would delete with it, as the database holds them now."""
    return [
        related
        for relation in record._meta.related_objects
        if relation.on_delete is models.CASCADE and relation.related_model in content_models()
        for related in relation.related_model._default_manager.filter(**{relation.field.name: record})
    ]


@dataclass
class Conflict:
    """Something the live site did since the draft changed a record, that publishing would undo unseen."""

    CHANGED = "changed"  # changed on the live site: `fields` names what
    DELETED = "deleted"  # deleted on the live site
    TAKEN_WITH = "taken with"  # added on the live site, and a deletion in the draft would delete it too

    change: "DraftChange"
    kind: str
    fields: tuple = ()


class NotOpen(Exception):
    """The draft is no longer where the step needs it (someone else submitted, published or discarded it)."""


class DraftEvent(models.Model):
    """A step in a draft's life: who took it, when, and what they wrote with it."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        WITHDRAWN = "withdrawn", "Withdrew the submission"
        SENT_BACK = "sent_back", "Sent back"
        PUBLISHED = "published", "Reviewed and published"
        FORCE_PUBLISHED = "force_published", "Force published, without a review"
        REVIEWED = "reviewed", "Reviewed after it was force published"
        SCHEDULED = "scheduled", "Reviewed and scheduled"
        UNSCHEDULED = "unscheduled", "Unscheduled"
        PUBLISHED_AS_SCHEDULED = "published_as_scheduled", "Published at its scheduled time"
        FAILED = "failed", "Could not go live at its scheduled time"
        DISCARDED = "discarded", "Discarded"

    draft = models.ForeignKey("Draft", on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(
        blank=True,
        help_text="A reviewer's comment, why it was force published, when it is scheduled for, or why it "
        "could not go live then.",
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} by {self.user} at {self.at:%Y-%m-%d %H:%M}"


class Conflicts(Exception):
    def __init__(self, conflicts):
        self.conflicts = conflicts
        super().__init__(f"{len(conflicts)} records changed on the live site since the draft changed them")


class DraftChange(models.Model):
    """One record as a draft has it: added (no base), changed, or deleted (no state)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="changes")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_pk = models.PositiveBigIntegerField()
    base = models.JSONField(
        null=True, encoder=DjangoJSONEncoder, help_text="The record as the live site had it when the draft changed it."
    )
    state = models.JSONField(null=True, encoder=DjangoJSONEncoder, help_text="The record as the draft has it.")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "content_type", "object_pk"], name="one_change_per_record"),
            models.CheckConstraint(
                condition=models.Q(base__isnull=False) | models.Q(state__isnull=False), name="change_has_a_version"
            ),
        ]

    def __str__(self):
        return f"{self.content_type}: {self.object_pk}"

    @classmethod
    def deleting(cls, draft, record):
        """A change (not yet saved) that deletes `record`, as the live site has it, in `draft`."""
        content_type = ContentType.objects.get_for_model(record)
        return cls(draft=draft, content_type=content_type, object_pk=record.pk, base=snapshot(record), state=None)

    @property
    def model(self):
        return self.content_type.model_class()

    @property
    def is_addition(self):
        return self.base is None

    @property
    def is_deletion(self):
        return self.state is None

    def matches(self, lookup):
        """Whether the record, as the draft or the live site has it, has the values of `lookup` ({attname: value})."""
        fields = {field.attname: field.name for field in self.model._meta.concrete_fields}
        record = {self.model._meta.pk.attname: self.object_pk, **(self.base or {}), **(self.state or {})}
        return all(
            record.get(fields.get(attname, attname), record.get(attname)) == value for attname, value in lookup.items()
        )

    def follow_new_keys(self, new_keys):
        """Take the primary keys that records the draft adds were given when it was last applied."""
        object_pk = new_keys.get((self.model, self.object_pk), self.object_pk)
        state = self.state and follow_new_keys(self.model, self.state, new_keys)
        if (object_pk, state) != (self.object_pk, self.state):
            self.object_pk, self.state = object_pk, state
            self.save()


class FactCheckLinkQuerySet(models.QuerySet):
    def working(self):
        """Links that still show their draft: not revoked, not expired, the draft neither published nor discarded."""
        return self.filter(
            revoked_at=None,
            expires_at__gt=timezone.now(),
            draft__status__in=Draft.UNFINISHED,
        )

    def from_token(self, token):
        """The working link a token names, or None: for a forged, altered or cut token as for a dead link."""
        try:
            pk = signing.Signer(salt=FactCheckLink.SALT).unsign(token)
        except signing.BadSignature:
            return None
        return self.working().select_related("draft", "created_by").filter(pk=int(pk)).first()


class FactCheckLink(models.Model):
    """An address at which someone without an account (an expert at a centre, say) reads a draft's
    preview to check its facts, until it expires, is revoked, or the draft is published or discarded.

    The address carries the link's primary key signed with the site's secret key, so it can be
    neither guessed nor forged; this row decides whether it still works.
    """

    SALT = "drafts.FactCheckLink"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="fact_check_links")
    shared_with = models.CharField(
        "for", max_length=200, help_text="Who it is for, as you would name them: “Dr Ada Lovelace, TASO”."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = FactCheckLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "fact-check link"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="fact_check_link_expires_after_made"
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at=None, revoked_by=None)
                | models.Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="fact_check_link_revoked_by_someone",
            ),
        ]

    def __str__(self):
        return f"Fact-check link for {self.shared_with}"

    def get_absolute_url(self):
        return reverse("fact-check", kwargs={"token": self.token, "path": ""})

    @property
    def token(self):
        return signing.Signer(salt=self.SALT).sign(str(self.pk))

    @property
    def address(self):
        """The whole address to send, on the site's own origin (never a request's)."""
        return f"{settings.SITE_URL}{self.get_absolute_url()}"

    def status(self):
        """Why the link works or not, in a few words."""
        if self.revoked_at is not None:
            return "Revoked"
        if self.draft.status not in Draft.UNFINISHED:
            return f"Stopped: the draft was {self.draft.get_status_display().lower()}"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Working"

    @property
    def is_working(self):
        return self.status() == "Working"

    def revoke(self, user):
        """Stop the link now; a link already revoked keeps who revoked it first."""
        FactCheckLink.objects.filter(pk=self.pk, revoked_at=None).update(revoked_by=user, revoked_at=timezone.now())
        self.refresh_from_db()
