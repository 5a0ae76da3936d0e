"""The site's scheduling: drafts from requests, pins and scores; locks; publish; booking."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Meeting, PairRule, Participant, ScheduleRun
from events.scheduling.board import schedule_violations
from events.selectors import agenda_for, pair_key
from events.services.curation import pair_rule_set
from events.services.events import event_create
from events.services.requests import meeting_request_accept, meeting_request_send
from events.services.schedule import (
    meeting_book,
    meeting_move,
    schedule_generate,
    schedule_instance,
    schedule_publish,
    schedule_run_start,
)
from tests.events.conftest import score_pair

pytestmark = pytest.mark.django_db

FAST = 2.0


def generate(event, olga):
    run = ScheduleRun.objects.create(event=event, started_by=olga, time_limit=FAST)
    return schedule_generate(run=run)


def pairs_of(event, **filters):
    return {(m.a_id, m.b_id) for m in Meeting.objects.filter(event=event, **filters)}


def test_draft_holds_accepted_requests_and_best_pairs(event, olga, alice_p, carol_p, dave_p):
    request = meeting_request_send(sender=alice_p, recipient=dave_p)
    meeting_request_accept(request=request, participant=dave_p)
    score_pair(alice_p, carol_p, 0.9)
    run = generate(event, olga)
    assert run.status == "done"
    assert run.unscheduled_required == 0
    drafts = Meeting.objects.filter(event=event, status="draft")
    assert {m.source for m in drafts} == {"request", "suggestion"}
    assert len(drafts) == 2
    instance, _required = schedule_instance(event)
    assert schedule_violations(instance, [*instance.locked]) == []


def test_participants_do_not_see_drafts(event, olga, alice_p, carol_p):
    score_pair(alice_p, carol_p, 0.9)
    generate(event, olga)
    assert not agenda_for(participant=alice_p).exists()


def test_vetoed_pair_is_never_scheduled(event, olga, alice_p, carol_p):
    score_pair(alice_p, carol_p, 0.9)
    pair_rule_set(a=alice_p, b=carol_p, rule=PairRule.Rule.VETO, actor=olga)
    generate(event, olga)
    assert not Meeting.objects.filter(event=event).exists()


def test_pinned_pair_is_scheduled_without_a_score(event, olga, alice_p, dave_p):
    pair_rule_set(a=alice_p, b=dave_p, rule=PairRule.Rule.PIN, actor=olga)
    generate(event, olga)
    assert Meeting.objects.get(event=event).source == "pin"


def test_publish_confirms_and_e_mails_and_rerun_keeps_published(
    event, olga, alice_p, carol_p, dave_p, django_capture_on_commit_callbacks
):
    score_pair(alice_p, carol_p, 0.9)
    generate(event, olga)
    with django_capture_on_commit_callbacks(execute=True):
        assert schedule_publish(event=event, actor=olga) == 1
    assert {m.to[0] for m in mail.outbox} == {"alice@example.org", "carol@example.org"}
    published = Meeting.objects.get(event=event)
    seat = (published.slot_id, published.table)
    score_pair(alice_p, dave_p, 0.8)
    score_pair(carol_p, dave_p, 0.7)
    generate(event, olga)
    published.refresh_from_db()
    assert published.status == "confirmed"
    assert (published.slot_id, published.table) == seat
    assert len(pairs_of(event, status="draft")) == 2
    taken = {(m.slot_id, m.table) for m in Meeting.objects.filter(event=event)}
    assert len(taken) == 3


def test_move_refuses_a_slot_where_one_side_is_busy(event, olga, alice_p, carol_p, dave_p):
    score_pair(alice_p, carol_p, 0.9)
    score_pair(alice_p, dave_p, 0.8)
    generate(event, olga)
    first, second = Meeting.objects.filter(event=event).order_by("slot__starts_at")
    with pytest.raises(ValidationError, match="already has a meeting"):
        meeting_move(meeting=second, actor=olga, slot=first.slot, table=2)


def test_move_refuses_a_slot_someone_is_not_available(event, olga, alice_p, carol_p):
    score_pair(alice_p, carol_p, 0.9)
    generate(event, olga)
    meeting = Meeting.objects.get(event=event)
    last = event.slots.order_by("starts_at").last()
    carol_p.available_slots.remove(last)
    with pytest.raises(ValidationError, match="not available"):
        meeting_move(meeting=meeting, actor=olga, slot=last, table=1)


def test_self_booking_takes_a_free_common_slot_and_locks_it(event, olga, alice_p, carol_p):
    request = meeting_request_send(sender=alice_p, recipient=carol_p)
    meeting_request_accept(request=request, participant=carol_p)
    slot = event.slots.order_by("starts_at").last()
    meeting = meeting_book(request=request, participant=alice_p, slot=slot)
    assert meeting.status == "confirmed"
    assert agenda_for(participant=carol_p).count() == 1
    generate(event, olga)
    assert Meeting.objects.get(id=meeting.id).slot == slot
    assert not Meeting.objects.filter(event=event, status="draft").exists()


def test_booking_needs_an_accepted_request(event, alice_p, carol_p):
    request = meeting_request_send(sender=alice_p, recipient=carol_p)
    with pytest.raises(ValidationError, match="accepted"):
        meeting_book(request=request, participant=alice_p, slot=event.slots.first())


def test_only_one_run_at_a_time(event, olga, django_capture_on_commit_callbacks):
    ScheduleRun.objects.create(event=event, status=ScheduleRun.Status.RUNNING)
    with pytest.raises(ValidationError, match="already"):
        schedule_run_start(event=event, actor=olga)


def test_run_through_celery_reports_bound(
    event, olga, alice_p, carol_p, django_capture_on_commit_callbacks
):
    score_pair(alice_p, carol_p, 0.9)
    with django_capture_on_commit_callbacks(execute=True):
        run = schedule_run_start(event=event, actor=olga, time_limit=FAST)
    run.refresh_from_db()
    assert run.status == "done"
    assert run.bound == pytest.approx(0.9)
    assert run.score == pytest.approx(0.9)


def test_no_shows_at_an_earlier_event_lower_priority(event, olga, alice_p, carol_p, dave_p):
    earlier = event_create(
        actor=olga,
        host=event.host,
        sessions=[(dt.date(2029, 5, 1), dt.time(9, 0), dt.time(10, 0))],
        name="Weld Days 2029",
    )
    before = [
        Participant.objects.create(
            event=earlier, organisation=p.organisation, email=p.email, full_name=p.full_name
        )
        for p in (alice_p, dave_p)
    ]
    Meeting.objects.create(
        event=earlier,
        a=min(before, key=lambda p: p.id),
        b=max(before, key=lambda p: p.id),
        slot=earlier.slots.first(),
        table=1,
        status="confirmed",
        source="organiser",
        outcome="no_show",
        no_show=before[1],
    )
    score_pair(carol_p, dave_p, 0.8)
    score_pair(alice_p, carol_p, 0.8)
    instance, _required = schedule_instance(event)
    scores = {(p.a, p.b): p.score for p in instance.pairs}
    assert scores[pair_key(carol_p, dave_p)] == pytest.approx(0.4)
    assert scores[pair_key(alice_p, carol_p)] == pytest.approx(0.8)


def test_reminder_goes_out_once_before_a_confirmed_meeting(event, olga, alice_p, carol_p):
    from events.tasks import meeting_reminders_send

    slot = event.slots.first()
    slot.starts_at = timezone.now() + dt.timedelta(minutes=30)
    slot.save()
    Meeting.objects.create(
        event=event,
        a=min(alice_p, carol_p, key=lambda p: p.id),
        b=max(alice_p, carol_p, key=lambda p: p.id),
        slot=slot,
        table=1,
        status="confirmed",
        source="organiser",
        announced_at=timezone.now(),
    )
    assert meeting_reminders_send() == 1
    assert meeting_reminders_send() == 0
    assert len(mail.outbox) == 2
