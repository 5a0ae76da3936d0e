"""The events API: the same rules as the pages, JSON errors naming the field."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from events.models import Meeting, MeetingRequest
from tests.events.conftest import score_pair

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_organiser_creates_an_event_with_sessions(olga, cluster):
    response = api(olga).post(
        reverse("api:event-list"),
        {
            "host": cluster.slug,
            "name": "TransformIT Europe",
            "time_zone": "Europe/Berlin",
            "meeting_minutes": 30,
            "sessions": [{"date": "2030-06-01", "starts": "09:00", "ends": "12:00"}],
        },
        format="json",
    )
    assert response.status_code == 201
    slots = api().get(reverse("api:event-slots", kwargs={"slug": response.data["slug"]})).json()
    assert len(slots) == 6


def test_bad_time_zone_is_a_400_naming_the_field(olga, cluster):
    response = api(olga).post(
        reverse("api:event-list"),
        {"host": cluster.slug, "name": "X", "time_zone": "Mars/Olympus", "sessions": []},
        format="json",
    )
    assert response.status_code == 400
    assert "time_zone" in response.json()


def test_member_without_grant_cannot_create_events(alice, sme):
    response = api(alice).post(
        reverse("api:event-list"), {"host": sme.slug, "name": "X", "sessions": []}, format="json"
    )
    assert response.status_code == 403


def test_register_request_accept_and_book_through_the_api(event, alice, sme, carol_p):
    slug = event.slug
    response = api(alice).post(
        reverse("api:event-registrations", kwargs={"slug": slug}),
        {"organisation": sme.slug},
        format="json",
    )
    assert response.status_code == 201
    sent = api(alice).post(
        reverse("api:event-requests", kwargs={"slug": slug}),
        {"recipient": carol_p.id, "message": "Hi"},
        format="json",
    )
    assert sent.status_code == 201
    request_id = sent.data["id"]
    accepted = api(carol_p.user).post(
        reverse(
            "api:event-request-action",
            kwargs={"slug": slug, "request_id": request_id, "action": "accept"},
        )
    )
    assert accepted.data["status"] == "accepted"
    slot = event.slots.order_by("starts_at").first()
    booked = api(alice).post(
        reverse("api:event-request-book", kwargs={"slug": slug, "request_id": request_id}),
        {"slot": slot.id},
        format="json",
    )
    assert booked.status_code == 201
    agenda = api(carol_p.user).get(reverse("api:event-agenda", kwargs={"slug": slug})).json()
    assert [m["slot"]["id"] for m in agenda] == [slot.id]


def test_registration_list_shows_only_ones_own(event, alice_p, carol_p, olga):
    own = (
        api(alice_p.user)
        .get(reverse("api:event-registrations", kwargs={"slug": event.slug}))
        .json()
    )
    assert [r["id"] for r in own["results"]] == [alice_p.id]
    everyone = api(olga).get(reverse("api:event-registrations", kwargs={"slug": event.slug})).json()
    assert everyone["count"] == 2


def test_participants_cannot_answer_others_requests(event, alice_p, carol_p, dave_p):
    request = MeetingRequest.objects.create(event=event, sender=alice_p, recipient=carol_p)
    response = api(dave_p.user).post(
        reverse(
            "api:event-request-action",
            kwargs={"slug": event.slug, "request_id": request.id, "action": "accept"},
        )
    )
    assert response.status_code == 404


def test_organiser_generates_and_publishes(
    event, olga, alice_p, carol_p, django_capture_on_commit_callbacks
):
    score_pair(alice_p, carol_p, 0.9)
    with django_capture_on_commit_callbacks(execute=True):
        run = api(olga).post(reverse("api:event-schedule-runs", kwargs={"slug": event.slug}))
    assert run.status_code == 202
    runs = api(olga).get(reverse("api:event-schedule-runs", kwargs={"slug": event.slug})).json()
    assert runs[0]["status"] == "done"
    published = api(olga).post(reverse("api:event-schedule-publish", kwargs={"slug": event.slug}))
    assert published.json() == {"published": 1}
    assert Meeting.objects.get().status == "confirmed"


def test_participants_get_404_on_organiser_endpoints(event, alice_p):
    for name in ("api:event-meetings", "api:event-schedule-runs"):
        assert api(alice_p.user).get(reverse(name, kwargs={"slug": event.slug})).status_code == 404


def test_anonymous_gets_401_on_participant_endpoints(event):
    assert api().get(reverse("api:event-agenda", kwargs={"slug": event.slug})).status_code == 401
