"""Creating and editing events, their sessions and slots, and opening registration."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User, unique_slug
from events.models import Event, Meeting, OrganiserGrant, Session, Slot
from events.selectors import organiser_organisation_list, user_organises

# The fields organisers edit, in form order (the event form shows them in this order).
EVENT_EDITABLE_FIELDS = (
    "name",
    "description",
    "venue",
    "time_zone",
    "meeting_minutes",
    "tables",
    "max_meetings",
    "request_cap",
    "sme_min_meetings",
    "languages",
    "registration_opens_at",
    "registration_closes_at",
    "self_booking",
)


@transaction.atomic
def organiser_grant(*, organisation: Organisation, actor: User) -> OrganiserGrant:
    """Staff make an organisation an organiser (its admins may then host events)."""
    if not actor.is_staff:
        raise PermissionDenied
    grant, _created = OrganiserGrant.objects.get_or_create(
        organisation=organisation, defaults={"granted_by": actor}
    )
    return grant


@transaction.atomic
def event_organiser_add(*, event: Event, user: User, actor: User) -> None:
    """Staff, or an organiser of the event, make another user an organiser of it."""
    if not (actor.is_staff or user_organises(user=actor, event=event)):
        raise PermissionDenied
    event.organisers.add(user)


@transaction.atomic
def event_create(
    *, actor: User, host: Organisation | None, sessions: list[tuple], **fields
) -> Event:
    """`host` must be an organiser organisation the actor administers; staff may create an
    event without a host and name its organisers."""
    if host is None:
        if not actor.is_staff:
            raise PermissionDenied
    elif not organiser_organisation_list(user=actor).filter(id=host.id).exists():
        raise PermissionDenied
    unknown = set(fields) - set(EVENT_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    event = Event(host=host, created_by=actor, **fields)
    event.slug = unique_slug(Event, event.name)
    event.full_clean()
    event.save()
    event.organisers.add(actor)
    event_sessions_set(event=event, actor=actor, sessions=sessions)
    return event


@transaction.atomic
def event_update(
    *, event: Event, actor: User, sessions: list[tuple] | None = None, **fields
) -> Event:
    _require_organiser(actor=actor, event=event)
    unknown = set(fields) - set(EVENT_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    if sessions is not None or {"meeting_minutes", "time_zone"} & set(fields):
        event_sessions_set(
            event=event,
            actor=actor,
            sessions=sessions
            if sessions is not None
            else [(s.date, s.starts, s.ends) for s in event.sessions.all()],
        )
    return event


@transaction.atomic
def event_registration_set(*, event: Event, actor: User, is_open: bool) -> Event:
    _require_organiser(actor=actor, event=event)
    event.registration_open = is_open
    event.save(update_fields=["registration_open"])
    return event


def _require_organiser(*, actor: User, event: Event) -> None:
    if not user_organises(user=actor, event=event):
        raise PermissionDenied


def event_sessions_set(*, event: Event, actor: User, sessions: list[tuple]) -> list[Slot]:
    """Replaces the event's sessions (date, start, end in the event's time zone) and
    derives its slots: back-to-back meetings of the event's length inside each session.
    Slots that disappear must be free of meetings; availability on kept slots stays."""
    _require_organiser(actor=actor, event=event)
    ordered = sorted(sessions)
    for (date, _starts, ends), (next_date, next_starts, _ends) in zip(
        ordered, ordered[1:], strict=False
    ):
        if date == next_date and next_starts < ends:
            raise ValidationError({"sessions": _("Sessions on one day must not overlap.")})
    event.sessions.all().delete()
    for date, starts, ends in ordered:
        session = Session(event=event, date=date, starts=starts, ends=ends)
        session.full_clean()
        session.save()
    wanted = {}
    length = dt.timedelta(minutes=event.meeting_minutes)
    for date, starts, ends in ordered:
        begin = dt.datetime.combine(date, starts, tzinfo=event.zone)
        finish = dt.datetime.combine(date, ends, tzinfo=event.zone)
        while begin + length <= finish:
            wanted[begin.astimezone(dt.UTC)] = (begin + length, date)
            begin += length
    stale = Slot.objects.filter(event=event).exclude(starts_at__in=list(wanted))
    if Meeting.objects.filter(slot__in=stale).exclude(status=Meeting.Status.CANCELLED).exists():
        raise ValidationError(
            {"sessions": _("Meetings are booked in slots these sessions would remove.")}
        )
    Meeting.objects.filter(slot__in=stale).delete()
    stale.delete()
    existing = set(Slot.objects.filter(event=event).values_list("starts_at", flat=True))
    Slot.objects.bulk_create(
        Slot(event=event, starts_at=starts_at, ends_at=ends_at.astimezone(dt.UTC), day=day)
        for starts_at, (ends_at, day) in wanted.items()
        if starts_at not in existing
    )
    for slot in Slot.objects.filter(event=event):
        ends_at = wanted[slot.starts_at][0].astimezone(dt.UTC)
        if slot.ends_at != ends_at:
            slot.ends_at = ends_at
            slot.save(update_fields=["ends_at"])
    return list(Slot.objects.filter(event=event))
