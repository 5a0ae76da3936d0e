"""E-mails to participants: a request received or accepted, a meeting booked, changed or
cancelled, the schedule published, and a reminder before each meeting. Sent by a Celery
task after the write commits, with Django's mail backend; the text names the meeting in
the event's time zone and links to the agenda."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.models import Event, Meeting, MeetingRequest, Participant

SUBJECTS = {
    "request_received": _("New meeting request from %(other)s"),
    "request_accepted": _("%(other)s accepted your meeting request"),
    "meeting_booked": _("Meeting with %(other)s booked"),
    "meeting_changed": _("Your meeting with %(other)s has changed"),
    "meeting_cancelled": _("Your meeting with %(other)s was cancelled"),
    "meeting_reminder": _("Soon: your meeting with %(other)s"),
    "schedule_published": _("Your meeting schedule for %(event)s"),
}


def notify_after_commit(kind: str, **ids: int) -> None:
    from events.tasks import event_notify as event_notify_task

    transaction.on_commit(lambda: event_notify_task.delay(kind, ids))


def _link(event: Event, name: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs={"slug": event.slug})


def _message(kind: str, to: Participant, other: Participant | None, **context) -> tuple:
    event = to.event
    subject = str(SUBJECTS[kind]) % {"other": other.full_name if other else "", "event": event.name}
    body = render_to_string(
        "events/email/notification.txt",
        {
            "kind": kind,
            "event": event,
            "to": to,
            "other": other,
            "agenda_url": _link(event, "events:agenda"),
            "requests_url": _link(event, "events:requests"),
            **context,
        },
    )
    return (subject, body, None, [to.email])


def notification_send(kind: str, ids: dict[str, int]) -> int:
    """Builds and sends the e-mails of one notification; returns how many were sent."""
    messages = []
    if kind in {"request_received", "request_accepted"}:
        request = (
            MeetingRequest.objects.select_related("sender__event", "recipient__event")
            .filter(id=ids["request_id"])
            .first()
        )
        if request is None:
            return 0
        to, other = (
            (request.recipient, request.sender)
            if kind == "request_received"
            else (request.sender, request.recipient)
        )
        messages.append(_message(kind, to, other, request=request))
    elif kind == "schedule_published":
        event = Event.objects.get(id=ids["event_id"])
        for participant in Participant.objects.filter(event=event).select_related("event"):
            meetings = [
                m
                for m in Meeting.objects.filter(
                    event=event, status=Meeting.Status.CONFIRMED
                ).select_related("slot", "a__organisation", "b__organisation")
                if participant.id in (m.a_id, m.b_id)
            ]
            if meetings:
                messages.append(
                    _message(
                        kind,
                        participant,
                        None,
                        meetings=[(m, m.other(participant)) for m in meetings],
                    )
                )
    else:
        meeting = (
            Meeting.objects.select_related("slot", "event", "a__event", "b__event")
            .filter(id=ids["meeting_id"])
            .first()
        )
        if meeting is None:
            return 0
        for side in (meeting.a, meeting.b):
            messages.append(_message(kind, side, meeting.other(side), meeting=meeting))
    return send_mass_mail(messages)
