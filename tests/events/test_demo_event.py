"""`seed_demo` adds a two-day demo brokerage the organiser and a participant can open."""

from io import StringIO

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from events.demo import DEMO_SLUG
from events.models import Event, Meeting, MeetingRequest
from tests.conftest import STAFF_TOTP_SECRET

pytestmark = pytest.mark.django_db


def test_demo_event_has_participants_requests_and_a_valid_draft(client):
    call_command("seed_demo", "--no-embed", stdout=StringIO(), stderr=StringIO())
    event = Event.objects.get(slug=DEMO_SLUG)
    assert 35 <= event.participants.count() <= 40
    assert event.slots.values("day").distinct().count() == 2
    assert MeetingRequest.objects.filter(event=event, status="accepted").exists()
    drafts = Meeting.objects.filter(event=event, status="draft")
    assert drafts.count() > 20
    for request in MeetingRequest.objects.filter(event=event, status="accepted"):
        low, high = sorted((request.sender_id, request.recipient_id))
        assert drafts.filter(a_id=low, b_id=high).exists()
    organiser = User.objects.get(email="admin@example.org")
    TOTP.activate(organiser, STAFF_TOTP_SECRET)
    client.force_login(organiser)  # staff must have two-factor authentication set up
    assert client.get(reverse("events:schedule", kwargs={"slug": DEMO_SLUG})).status_code == 200
    client.force_login(User.objects.get(email="demo-admin@example.org"))
    assert client.get(reverse("events:participants", kwargs={"slug": DEMO_SLUG})).status_code == 200
    call_command("seed_demo", "--no-embed", stdout=StringIO(), stderr=StringIO())
    assert Event.objects.filter(slug=DEMO_SLUG).count() == 1
