"""Event pages through real URLs: who sees what (the permission matrix), the CSV import,
the agenda as iCalendar, and the organiser's grid and export."""

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from events.models import Meeting, MeetingRequest, Participant, ScheduleRun
from events.services.requests import meeting_request_send
from events.services.schedule import (
    meeting_cancel,
    meeting_move,
    schedule_generate,
    schedule_publish,
)
from matchmaking.models import Visibility
from tests.events.conftest import score_pair
from tests.factories import CapabilityFactory

pytestmark = pytest.mark.django_db

ORGANISER_PAGES = [
    "events:organise",
    "events:pairs",
    "events:schedule",
    "events:schedule_csv",
    "events:edit",
]
PARTICIPANT_PAGES = ["events:participants", "events:requests", "events:agenda", "events:agenda_ics"]


def url(name, event, **kwargs):
    return reverse(name, kwargs={"slug": event.slug, **kwargs})


def published_meeting(event, olga, a, b) -> Meeting:
    score_pair(a, b, 0.9)
    schedule_generate(run=ScheduleRun.objects.create(event=event, started_by=olga, time_limit=2))
    schedule_publish(event=event, actor=olga)
    return Meeting.objects.get(event=event)


@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_pages_open_for_the_event_organiser(client, olga, event, name):
    client.force_login(olga)
    assert client.get(url(name, event)).status_code == 200


@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_pages_are_404_for_participants_and_outsiders(
    client, alice_p, carol, event, name
):
    for user in (alice_p.user, carol):
        client.force_login(user)
        assert client.get(url(name, event)).status_code == 404


def test_organiser_of_another_event_cannot_curate_this_one(client, event, staff, dave):
    event.organisers.remove(*event.organisers.all())
    client.force_login(dave)
    assert client.get(url("events:pairs", event)).status_code == 404


def test_outsider_cannot_generate_a_schedule(client, event, mallory):
    client.force_login(mallory)
    response = client.post(url("events:schedule_generate", event))
    assert response.status_code == 404
    assert not ScheduleRun.objects.exists()


@pytest.mark.parametrize("name", PARTICIPANT_PAGES)
def test_participant_pages_open_for_participants_only(client, alice_p, mallory, event, name):
    client.force_login(alice_p.user)
    assert client.get(url(name, event)).status_code == 200
    client.force_login(mallory)
    assert client.get(url(name, event)).status_code == 404


def test_a_participant_never_sees_anothers_agenda_or_requests(
    client, event, olga, alice_p, carol_p, dave_p
):
    published_meeting(event, olga, alice_p, carol_p)
    meeting_request_send(sender=alice_p, recipient=carol_p, message="Private note to Carol")
    client.force_login(dave_p.user)
    assert "Private note" not in client.get(url("events:requests", event)).content.decode()
    ics = Calendar.from_ical(client.get(url("events:agenda_ics", event)).content)
    assert not ics.walk("VEVENT")
    request = MeetingRequest.objects.get()
    response = client.post(
        url("events:request_respond", event, request_id=request.id, action="accept")
    )
    assert response.status_code == 404
    assert MeetingRequest.objects.get().status == "pending"


def test_hidden_posting_stays_hidden_inside_the_event(client, event, alice_p, carol_p):
    hidden = CapabilityFactory(
        organisation=carol_p.organisation, title="Secret weld lab", visibility=Visibility.HIDDEN
    )
    public = CapabilityFactory(organisation=carol_p.organisation, title="Open weld lab")
    carol_p.capabilities.set([hidden, public])
    client.force_login(alice_p.user)
    page = client.get(url("events:participant", event, participant_id=carol_p.id)).content.decode()
    assert "Open weld lab" in page
    assert "Secret weld lab" not in page


def test_participant_sends_a_request_from_the_partner_page(client, event, alice_p, carol_p):
    client.force_login(alice_p.user)
    response = client.post(
        url("events:participant", event, participant_id=carol_p.id), {"message": "Hello Carol"}
    )
    assert response.status_code == 302
    assert MeetingRequest.objects.get().message == "Hello Carol"


def test_suggested_partners_show_the_engine_reasons(client, event, alice_p, carol_p):
    score_pair(alice_p, carol_p, 0.8)
    client.force_login(alice_p.user)
    page = client.get(url("events:participants", event)).content.decode()
    assert carol_p.full_name in page
    assert "Complementary kind of organisation" in page


def test_agenda_ics_parses_back_with_stable_uid_and_sequence(client, event, olga, alice_p, carol_p):
    meeting = published_meeting(event, olga, alice_p, carol_p)
    client.force_login(alice_p.user)
    first = Calendar.from_ical(client.get(url("events:agenda_ics", event)).content)
    [entry] = first.walk("VEVENT")
    assert entry["STATUS"] == "CONFIRMED"
    assert entry.decoded("DTSTART") == meeting.slot.starts_at
    assert carol_p.full_name in str(entry["SUMMARY"])
    later = event.slots.order_by("starts_at").last()
    meeting_move(meeting=meeting, actor=olga, slot=later, table=2)
    meeting_cancel(meeting=Meeting.objects.get(id=meeting.id), actor=olga)
    [again] = Calendar.from_ical(client.get(url("events:agenda_ics", event)).content).walk("VEVENT")
    assert again["UID"] == entry["UID"]
    assert int(again["SEQUENCE"]) == int(entry["SEQUENCE"]) + 2
    assert again["STATUS"] == "CANCELLED"
    assert again.decoded("DTSTART") == later.starts_at


def test_agenda_page_shows_times_in_the_event_time_zone(client, event, olga, alice_p, carol_p):
    meeting = published_meeting(event, olga, alice_p, carol_p)
    client.force_login(alice_p.user)
    page = client.get(url("events:agenda", event)).content.decode()
    local = meeting.slot.starts_at.astimezone(event.zone).strftime("%H:%M")
    assert local in page
    assert client.get(url("events:agenda_print", event)).status_code == 200


def test_schedule_csv_lists_meetings_in_local_time(client, event, olga, alice_p, carol_p):
    meeting = published_meeting(event, olga, alice_p, carol_p)
    client.force_login(olga)
    rows = client.get(url("events:schedule_csv", event)).content.decode().splitlines()
    assert rows[0].startswith("start,end,table")
    assert rows[1].startswith(
        meeting.slot.starts_at.astimezone(event.zone).strftime("%Y-%m-%d %H:%M")
    )


def test_csv_import_lists_every_bad_row_and_imports_nothing(client, event, olga, sme):
    text = (
        "email,full_name,organisation,max_meetings,available\n"
        f"ok@example.org,Ok Person,{sme.slug},2,1-2\n"
        f"not-an-address,Bad Mail,{sme.slug},,\n"
        "x@example.org,,no-such-org,99,9\n"
    )
    client.force_login(olga)
    response = client.post(url("events:organise", event), {"file": _upload(text)})
    page = response.content.decode()
    assert response.status_code == 200
    for expected in (
        "Line 3, email",
        "Line 4, full_name",
        "Line 4, organisation",
        "Line 4, max_meetings",
        "Line 4, available",
    ):
        assert expected in page
    assert not Participant.objects.filter(event=event).exists()


def test_csv_import_of_valid_rows_registers_and_links_accounts(client, event, olga, sme, bob):
    text = (
        "email,full_name,organisation,role,available\n"
        f"bob@example.org,Bob,{sme.slug},CTO,1;3\n"
        f"new@example.org,New,{sme.slug},,all\n"
    )
    client.force_login(olga)
    assert client.post(url("events:organise", event), {"file": _upload(text)}).status_code == 302
    imported = Participant.objects.get(email="bob@example.org")
    assert imported.user == bob
    assert imported.available_slots.count() == 2
    assert Participant.objects.get(email="new@example.org").available_slots.count() == 4


def test_organiser_creates_an_event_through_the_form(client, olga, cluster):
    client.force_login(olga)
    response = client.post(
        reverse("events:create"),
        {
            "host": cluster.id,
            "name": "TransformIT Europe",
            "venue": "Karlsruhe",
            "time_zone": "Europe/Berlin",
            "sessions": "2030-06-01 09:00-12:00\n2030-06-01 13:00-15:00",
            "meeting_minutes": 20,
            "tables": 10,
            "max_meetings": 6,
            "request_cap": 10,
            "sme_min_meetings": 2,
            "languages": ["de", "en"],
        },
    )
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
    assert olga.organised_events.get().slots.count() == 15


def test_bad_sessions_are_a_form_error(client, olga, cluster):
    client.force_login(olga)
    response = client.post(
        reverse("events:create"), {"host": cluster.id, "name": "X", "sessions": "tomorrow morning"}
    )
    assert response.status_code == 200
    assert "2026-10-14 09:00-12:30" in response.content.decode()


def test_request_accept_and_book_through_pages(client, event, alice_p, carol_p):
    request = meeting_request_send(sender=alice_p, recipient=carol_p)
    client.force_login(carol_p.user)
    client.post(url("events:request_respond", event, request_id=request.id, action="accept"))
    page = client.get(url("events:requests", event)).content.decode()
    assert "Book" in page
    slot = event.slots.order_by("starts_at").first()
    client.post(
        url("events:request_book", event, request_id=request.id), {f"r{request.id}-slot": slot.id}
    )
    assert Meeting.objects.get().status == "confirmed"


def _upload(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("participants.csv", text.encode(), content_type="text/csv")


def test_participant_pages_speak_german(client, event, alice_p):
    client.force_login(alice_p.user)
    # The middleware activates German for the thread; override() puts English back after.
    with translation.override("de"):
        page = client.get(url("events:participants", event), HTTP_ACCEPT_LANGUAGE="de")
    page = page.content.decode()
    assert "Wen sollten Sie treffen?" in page


def test_organisation_admin_registers_a_colleague_with_an_own_agenda(client, event, alice, bob):
    client.force_login(alice)
    response = client.post(
        url("events:register_colleague", event), {"colleague": bob.id, "role": "CTO"}
    )
    assert response.status_code == 302
    registered = Participant.objects.get(event=event)
    assert (registered.user, registered.role) == (bob, "CTO")
    client.force_login(bob)
    assert client.get(url("events:agenda", event)).status_code == 200


def test_a_member_cannot_register_the_admin(client, event, alice, bob):
    client.force_login(bob)
    response = client.post(url("events:register_colleague", event), {"colleague": alice.id})
    assert response.status_code == 200
    assert not Participant.objects.exists()
