"""From the event's data to the optimiser and back: drafts, moves, cancellations,
publication and self-booking. Confirmed meetings (self-booked or published) are locked:
a new optimiser run replaces only drafts and fills the free seats around them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import (
    Event,
    Meeting,
    MeetingRequest,
    PairRule,
    PairScore,
    Participant,
    ScheduleRun,
    Slot,
)
from events.notifications import notify_after_commit
from events.scheduling import types as plan
from events.scheduling.optimiser import schedule_optimal
from events.selectors import (
    no_show_count,
    pair_key,
    participant_list,
    ruled_out_pairs,
    user_organises,
)

# A participant who missed meetings at earlier events: their suggested pairs count for
# less (accepted requests and pins stay required).
NO_SHOW_DISCOUNT = 0.5
NO_SHOWS_BEFORE_DISCOUNT = 1
DEFAULT_TIME_LIMIT = 20.0


def _require_organiser(actor: User, event: Event) -> None:
    if not user_organises(user=actor, event=event):
        raise PermissionDenied


def schedule_instance(event: Event) -> tuple[plan.Instance, dict[tuple[int, int], str]]:
    """The event as the optimiser's plain data, and why each required pair is required."""
    participants = list(participant_list(event=event).prefetch_related("available_slots"))
    registered = {p.id for p in participants}
    slots = list(event.slots.order_by("starts_at"))
    days = {slot.id: slot.day.toordinal() for slot in slots}
    people = tuple(
        plan.Participant(
            id=p.id,
            kind=p.organisation.kind,
            available=frozenset(s.id for s in p.available_slots.all()),
            max_meetings=p.max_meetings or event.max_meetings,
        )
        for p in participants
    )
    ruled_out = ruled_out_pairs(event=event)
    required: dict[tuple[int, int], str] = {}
    for sender, recipient in MeetingRequest.objects.filter(
        event=event, status=MeetingRequest.Status.ACCEPTED
    ).values_list("sender_id", "recipient_id"):
        required[pair_key(sender, recipient)] = Meeting.Source.REQUEST
    for low, high in PairRule.objects.filter(event=event, rule=PairRule.Rule.PIN).values_list(
        "low_id", "high_id"
    ):
        required.setdefault((low, high), Meeting.Source.PIN)
    discounted = {
        p.id
        for p in participants
        if no_show_count(email=p.email, exclude_event=event) >= NO_SHOWS_BEFORE_DISCOUNT
    }
    scores = dict(
        ((low, high), score)
        for low, high, score in PairScore.objects.filter(event=event).values_list(
            "low_id", "high_id", "score"
        )
    )
    pairs = []
    for key in set(scores) | set(required):
        low, high = key
        if key in ruled_out or low not in registered or high not in registered:
            continue
        score = scores.get(key, 0.0)
        if low in discounted or high in discounted:
            score *= NO_SHOW_DISCOUNT
        if score > 0 or key in required:
            pairs.append(plan.Pair(low, high, round(score, 4), required=key in required))
    locked = tuple(
        plan.Meeting(m.a_id, m.b_id, m.slot_id, m.table)
        for m in Meeting.objects.filter(event=event, status=Meeting.Status.CONFIRMED)
    )
    instance = plan.Instance(
        slots=tuple(s.id for s in slots),
        tables=event.tables,
        participants=people,
        pairs=tuple(sorted(pairs, key=lambda p: (p.a, p.b))),
        locked=locked,
        day_of_slot=days,
        fairness_target=event.sme_min_meetings,
    )
    return instance, required


@transaction.atomic
def schedule_run_start(
    *, event: Event, actor: User, time_limit: float = DEFAULT_TIME_LIMIT
) -> ScheduleRun:
    """Queues an optimiser run (Celery); its progress shows on the organiser's page."""
    _require_organiser(actor, event)
    if ScheduleRun.objects.filter(
        event=event, status__in=[ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING]
    ).exists():
        raise ValidationError(_("A schedule is already being generated for this event."))
    run = ScheduleRun.objects.create(event=event, started_by=actor, time_limit=time_limit)
    from events.tasks import schedule_generate as schedule_generate_task

    transaction.on_commit(lambda: schedule_generate_task.delay(run.id))
    return run


def schedule_generate(*, run: ScheduleRun) -> ScheduleRun:
    """Runs the optimiser for a queued run and replaces the event's drafts with its result."""
    event = run.event
    ScheduleRun.objects.filter(id=run.id).update(status=ScheduleRun.Status.RUNNING)
    instance, required = schedule_instance(event)

    def progress(fraction: float, _objective: float) -> None:
        ScheduleRun.objects.filter(id=run.id).update(progress=round(fraction, 3))

    result = schedule_optimal(instance, time_limit=run.time_limit, progress=progress)
    scores = {pair_key(p.a, p.b): p.score for p in instance.pairs}
    with transaction.atomic():
        Meeting.objects.filter(event=event, status=Meeting.Status.DRAFT).delete()
        locked = set(instance.locked)
        Meeting.objects.bulk_create(
            Meeting(
                event=event,
                a_id=m.a if m.a < m.b else m.b,
                b_id=m.b if m.a < m.b else m.a,
                slot_id=m.slot,
                table=m.table,
                status=Meeting.Status.DRAFT,
                source=required.get(pair_key(m.a, m.b), Meeting.Source.SUGGESTION),
                score=scores.get(pair_key(m.a, m.b), 0.0),
            )
            for m in result.meetings
            if m not in locked
        )
        run.status = ScheduleRun.Status.DONE
        run.progress = 1.0
        run.meetings_added = len(result.meetings) - len(locked)
        run.score = result.score
        run.bound = result.bound
        run.unscheduled_required = len(result.unscheduled_required)
        run.message = result.status
        run.finished_at = timezone.now()
        run.save()
    return run


def _check_seat(meeting: Meeting, slot: Slot, table: int) -> None:
    """The rules the optimiser keeps, for a meeting placed by hand."""
    event = meeting.event
    if slot.event_id != event.id:
        raise ValidationError({"slot": _("Not a slot of this event.")})
    if not 1 <= table <= event.tables:
        raise ValidationError({"table": _("Tables are numbered 1 to %(n)d.") % {"n": event.tables}})
    live = Meeting.objects.filter(event=event, slot=slot).exclude(
        Q(status=Meeting.Status.CANCELLED) | Q(id=meeting.id)
    )
    if live.filter(table=table).exists():
        raise ValidationError({"table": _("That table is taken in this slot.")})
    if live.filter(Q(a__in=[meeting.a, meeting.b]) | Q(b__in=[meeting.a, meeting.b])).exists():
        raise ValidationError({"slot": _("One of the two already has a meeting in this slot.")})
    for side in (meeting.a, meeting.b):
        if not side.available_slots.filter(id=slot.id).exists():
            raise ValidationError(
                {"slot": _("%(name)s is not available in this slot.") % {"name": side.full_name}}
            )


@transaction.atomic
def meeting_move(*, meeting: Meeting, actor: User, slot: Slot, table: int) -> Meeting:
    _require_organiser(actor, meeting.event)
    _check_seat(meeting, slot, table)
    meeting.slot, meeting.table = slot, table
    meeting.sequence += 1
    meeting.reminder_sent_at = None
    meeting.save()
    if meeting.announced_at:
        notify_after_commit("meeting_changed", meeting_id=meeting.id)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User) -> Meeting:
    """By an organiser, or by either side once the meeting was announced."""
    is_side = actor.is_authenticated and actor.id in (meeting.a.user_id, meeting.b.user_id)
    if not (user_organises(user=actor, event=meeting.event) or (is_side and meeting.announced_at)):
        raise PermissionDenied
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save()
    if meeting.announced_at:
        notify_after_commit("meeting_cancelled", meeting_id=meeting.id)
    return meeting


@transaction.atomic
def schedule_publish(*, event: Event, actor: User) -> int:
    """Drafts become confirmed meetings that participants see; they are locked for later
    runs. Returns how many were published."""
    _require_organiser(actor, event)
    now = timezone.now()
    drafts = Meeting.objects.filter(event=event, status=Meeting.Status.DRAFT)
    count = drafts.update(status=Meeting.Status.CONFIRMED, announced_at=now)
    event.schedule_published_at = now
    event.save(update_fields=["schedule_published_at"])
    notify_after_commit("schedule_published", event_id=event.id)
    return count


def free_common_slots(*, a: Participant, b: Participant) -> list[Slot]:
    """Slots both marked available, both idle, with a free table: what self-booking offers."""
    event = a.event
    busy = Meeting.objects.filter(Q(a__in=[a, b]) | Q(b__in=[a, b])).exclude(
        status=Meeting.Status.CANCELLED
    )
    slots = (
        event.slots.filter(id__in=a.available_slots.values("id"))
        .filter(id__in=b.available_slots.values("id"))
        .exclude(id__in=busy.values("slot_id"))
        .filter(starts_at__gt=timezone.now())
        .order_by("starts_at")
    )
    taken = _tables_taken(event)
    return [s for s in slots if len(taken.get(s.id, ())) < event.tables]


def _tables_taken(event: Event) -> dict[int, set[int]]:
    taken: dict[int, set[int]] = {}
    for slot_id, table in (
        Meeting.objects.filter(event=event)
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list("slot_id", "table")
    ):
        taken.setdefault(slot_id, set()).add(table)
    return taken


def _meeting_count(participant: Participant) -> int:
    return (
        Meeting.objects.filter(Q(a=participant) | Q(b=participant))
        .exclude(status=Meeting.Status.CANCELLED)
        .count()
    )


@transaction.atomic
def meeting_book(*, request: MeetingRequest, participant: Participant, slot: Slot) -> Meeting:
    """Either side of an accepted request books a free common slot; the meeting is
    confirmed at once (and so locked for the organiser's optimiser)."""
    event = request.event
    if participant.id not in (request.sender_id, request.recipient_id):
        raise PermissionDenied
    if not event.self_booking:
        raise ValidationError(_("The organiser schedules this event's meetings."))
    if request.status != MeetingRequest.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted request can be booked."))
    # Serialise bookings of one event so that two cannot take the last table together.
    Event.objects.select_for_update().filter(id=event.id).first()
    low, high = pair_key(request.sender, request.recipient)
    existing = Meeting.objects.filter(event=event, a_id=low, b_id=high).exclude(
        status=Meeting.Status.CANCELLED
    )
    if existing.filter(status=Meeting.Status.CONFIRMED).exists():
        raise ValidationError(_("You two already have a meeting."))
    if slot not in free_common_slots(a=request.sender, b=request.recipient):
        raise ValidationError({"slot": _("This slot is no longer free for both of you.")})
    for side in (request.sender, request.recipient):
        if _meeting_count(side) - existing.count() >= (side.max_meetings or event.max_meetings):
            raise ValidationError(_("%(name)s has no meetings left.") % {"name": side.full_name})
    existing.delete()  # a draft of the pair gives way to the booking
    taken = _tables_taken(event).get(slot.id, set())
    table = next(t for t in range(1, event.tables + 1) if t not in taken)
    meeting = Meeting(
        event=event,
        a_id=low,
        b_id=high,
        slot=slot,
        table=table,
        status=Meeting.Status.CONFIRMED,
        source=Meeting.Source.SELF_BOOKED,
        announced_at=timezone.now(),
    )
    meeting.full_clean()
    meeting.save()
    notify_after_commit("meeting_booked", meeting_id=meeting.id)
    return meeting
