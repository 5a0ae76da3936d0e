"""Background work of events: pair scoring, the optimiser run, e-mails and reminders.
Tasks take ids and call one service."""

import datetime as dt

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from events.models import Event, Meeting, ScheduleRun

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "max_retries": 3,
}
REMINDER_LEAD = dt.timedelta(minutes=60)


@shared_task(**RETRY)
def event_pairs_score(event_id: int) -> int:
    from events.matching import event_pairs_score as score

    event = Event.objects.filter(id=event_id).first()
    return 0 if event is None else score(event=event)


@shared_task
def schedule_generate(run_id: int) -> int:
    """The optimiser's time limit is the run's; a failure marks the run failed."""
    from events.services.schedule import schedule_generate as generate

    run = ScheduleRun.objects.select_related("event").get(id=run_id)
    try:
        return generate(run=run).meetings_added
    except Exception as error:
        ScheduleRun.objects.filter(id=run_id).update(
            status=ScheduleRun.Status.FAILED, message=str(error)[:500], finished_at=timezone.now()
        )
        raise


@shared_task(**RETRY)
def event_notify(kind: str, ids: dict[str, int]) -> int:
    from events.notifications import notification_send

    return notification_send(kind, ids)


@shared_task(**RETRY)
def meeting_reminders_send() -> int:
    """Beat, every few minutes: remind both sides of confirmed meetings starting within
    REMINDER_LEAD, once per meeting (a moved meeting is reminded again)."""
    now = timezone.now()
    due = Meeting.objects.filter(
        status=Meeting.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + REMINDER_LEAD,
    )
    sent = 0
    for meeting_id in list(due.values_list("id", flat=True)):
        if Meeting.objects.filter(id=meeting_id, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        ):
            event_notify.delay("meeting_reminder", {"meeting_id": meeting_id})
            sent += 1
    return sent
