"""Organisers create events; sessions become slots in the event's time zone."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from events.models import Meeting
from events.services.events import event_create, event_sessions_set
from events.services.registration import participant_register
from tests.events.conftest import EVENT_DAY

pytestmark = pytest.mark.django_db


def test_sessions_become_slots_in_the_event_time_zone(event):
    starts = [s.starts_at for s in event.slots.order_by("starts_at")]
    assert len(starts) == 4
    # 09:00 in Berlin summer time is 07:00 UTC; the lunch gap 10:00–10:30 has no slot.
    assert starts[0] == dt.datetime(2030, 10, 14, 7, 0, tzinfo=dt.UTC)
    assert starts[2] == dt.datetime(2030, 10, 14, 8, 30, tzinfo=dt.UTC)


def test_only_admins_of_an_organiser_organisation_create_events(alice, sme):
    with pytest.raises(PermissionDenied):
        event_create(actor=alice, host=sme, sessions=[], name="Not mine")


def test_overlapping_sessions_are_refused(event, olga):
    with pytest.raises(ValidationError, match="overlap"):
        event_sessions_set(
            event=event,
            actor=olga,
            sessions=[
                (EVENT_DAY, dt.time(9, 0), dt.time(11, 0)),
                (EVENT_DAY, dt.time(10, 0), dt.time(12, 0)),
            ],
        )


def test_removing_a_slot_with_a_meeting_is_refused(event, olga, alice_p, carol_p):
    first = event.slots.order_by("starts_at").first()
    Meeting.objects.create(
        event=event,
        a=min(alice_p, carol_p, key=lambda p: p.id),
        b=max(alice_p, carol_p, key=lambda p: p.id),
        slot=first,
        table=1,
        source=Meeting.Source.ORGANISER,
    )
    with pytest.raises(ValidationError, match="booked"):
        event_sessions_set(
            event=event, actor=olga, sessions=[(EVENT_DAY, dt.time(13, 0), dt.time(14, 0))]
        )


def test_registration_refused_while_closed(event, olga, alice, sme):
    event.registration_open = False
    event.save()
    with pytest.raises(ValidationError, match="closed"):
        participant_register(event=event, user=alice, organisation=sme)


def test_registration_only_for_own_organisation(event, mallory, sme):
    with pytest.raises(PermissionDenied):
        participant_register(event=event, user=mallory, organisation=sme)


def test_registration_without_slots_means_available_throughout(alice_p, event):
    assert alice_p.available_slots.count() == event.slots.count()


def test_only_an_admin_registers_someone_else(event, alice, bob, sme):
    with pytest.raises(PermissionDenied):
        participant_register(event=event, user=alice, organisation=sme, actor=bob)
    registered = participant_register(event=event, user=bob, organisation=sme, actor=alice)
    assert registered.user == bob
