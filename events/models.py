"""Events, their participants, meeting requests, organiser rules on pairs and meetings.

Times are stored in UTC; each event names its own time zone, in which its sessions are
entered and its agendas shown. Slots are derived from the sessions (see services) so that
availability and meetings refer to one row each."""

import zoneinfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from matchmaking.models import Capability, Need
from matchmaking.taxonomy import Language


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value})


class OrganiserGrant(models.Model):
    """Staff make an organisation an event organiser: its admins may create events hosted
    by it and organise all of them. Per-event organisers are `Event.organisers`."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="organiser_grant"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organiser organisation")
        verbose_name_plural = _("organiser organisations")

    def __str__(self) -> str:
        return str(self.organisation)


class Event(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[validate_time_zone]
    )
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_events",
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    tables = models.PositiveSmallIntegerField(
        _("tables"), default=10, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("maximum meetings per participant"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    request_cap = models.PositiveSmallIntegerField(
        _("maximum open requests a participant receives"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_("Keeps popular participants from being flooded."),
    )
    sme_min_meetings = models.PositiveSmallIntegerField(
        _("target meetings per SME"),
        default=2,
        help_text=_("The optimiser gives up some score so that every SME gets this many."),
    )
    languages = ArrayField(
        models.CharField(max_length=2, choices=Language.choices),
        verbose_name=_("languages"),
        default=list,
        blank=True,
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    registration_open = models.BooleanField(_("registration open"), default=False)
    self_booking = models.BooleanField(
        _("participants book slots themselves"),
        default=True,
        help_text=_("When a request is accepted, the two may book a free common slot."),
    )
    schedule_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Session(models.Model):
    """A window of back-to-back meeting slots on one day; breaks are the gaps between
    sessions (e.g. 09:00–12:30 and 13:30–17:00 leave a lunch break)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))

    class Meta:
        ordering = ["date", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="session_ends_after_start"
            )
        ]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.date} {self.starts:%H:%M}–{self.ends:%H:%M}"


class Slot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    day = models.DateField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="slot_unique_start")
        ]

    def __str__(self) -> str:
        local = self.starts_at.astimezone(self.event.zone)
        return f"{local:%a %d %b %H:%M}"


class Participant(models.Model):
    """A person registered for an event on behalf of an organisation, with their own
    agenda. Imported participants may have no account yet: the row is claimed by the
    user with the same e-mail address when they sign in."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="event_participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_participations",
    )
    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role / position"), max_length=150, blank=True)
    needs = models.ManyToManyField(Need, verbose_name=_("needs brought"), blank=True)
    capabilities = models.ManyToManyField(
        Capability, verbose_name=_("capabilities brought"), blank=True
    )
    available_slots = models.ManyToManyField(Slot, verbose_name=_("available"), blank=True)
    max_meetings = models.PositiveSmallIntegerField(
        _("maximum meetings"), null=True, blank=True, help_text=_("Empty: the event's maximum.")
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REGISTERED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="participant_unique_email")
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.organisation})"


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests")
    sender = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sent_requests")
    recipient = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="received_requests"
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "recipient"], name="meeting_request_unique_direction"
            ),
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("recipient")), name="meeting_request_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient}"


class PairRule(models.Model):
    """What is decided about a pair beyond the engine's score: an organiser's pin (must
    meet) or veto (never), or a participant's "met before" (no need to meet here).
    Stored once per unordered pair: `low` has the smaller id."""

    class Rule(models.TextChoices):
        PIN = "pin", _("Pinned: must meet")
        VETO = "veto", _("Vetoed")
        MET_BEFORE = "met_before", _("Met before")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pair_rules")
    low = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=16, choices=Rule.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="pair_rule_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(low__lt=models.F("high")), name="pair_rule_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.low} × {self.high}"


class Meeting(models.Model):
    """A 1:1 meeting at a slot and table. Drafts are the optimiser's proposal, seen only
    by organisers; confirmed meetings (self-booked, or published) are locked: later
    optimiser runs never move them. `sequence` counts changes for calendar clients."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        REQUEST = "request", _("Accepted request")
        PIN = "pin", _("Organiser pin")
        SUGGESTION = "suggestion", _("Suggested pair")
        SELF_BOOKED = "self_booked", _("Booked by participants")
        ORGANISER = "organiser", _("Added by organiser")

    class Outcome(models.TextChoices):
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    a = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="meetings")
    table = models.PositiveSmallIntegerField(_("table"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=16, choices=Source.choices)
    score = models.FloatField(default=0.0)
    sequence = models.PositiveIntegerField(default=0)
    # Set when participants first see the meeting (self-booked, or published); a meeting
    # cancelled after that stays on their agenda and calendar as cancelled.
    announced_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    no_show = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slot__starts_at", "table"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=~models.Q(status="cancelled"),
                name="meeting_one_per_table",
            ),
            models.UniqueConstraint(
                fields=["event", "a", "b"],
                condition=~models.Q(status="cancelled"),
                name="meeting_pair_once",
            ),
            models.CheckConstraint(condition=models.Q(a__lt=models.F("b")), name="meeting_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.a} × {self.b} @ {self.slot} T{self.table}"

    def other(self, participant: Participant) -> Participant:
        return self.b if participant.id == self.a_id else self.a


class MeetingFeedback(models.Model):
    """One side's view after the meeting: a rating and the follow-up agreed."""

    class FollowUp(models.TextChoices):
        NONE = "none", _("None")
        PARTNERSHIP = "partnership", _("Partnership")
        PROPOSAL = "proposal", _("Project proposal")
        CONTRACT = "contract", _("Contract")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    follow_up = models.CharField(
        _("follow-up"), max_length=16, choices=FollowUp.choices, default=FollowUp.NONE
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="meeting_feedback_once_per_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.rating}/5 on {self.meeting}"


class PairScore(models.Model):
    """The matching engine's verdict on two participants of an event, kept so that
    lists, curation and the optimiser need not re-run the engine on every page.
    `score` is normalised to [0, 1] within the event; `reasons` are the engine's words."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pair_scores")
    low = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    raw_score = models.FloatField()
    reasons = models.JSONField(default=list)
    # (kind, id) of the postings behind the best match, shown only where visible.
    postings = models.JSONField(default=list)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="pair_score_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(low__lt=models.F("high")), name="pair_score_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.low} × {self.high}: {self.score:.2f}"


class ScheduleRun(models.Model):
    """One optimiser run, for the organiser's progress bar and its report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_runs")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    time_limit = models.FloatField(default=20.0)
    meetings_added = models.PositiveIntegerField(default=0)
    score = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    unscheduled_required = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} run {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def gap(self) -> float | None:
        if self.score is None or not self.bound:
            return None
        return max(0.0, 1 - self.score / self.bound)
