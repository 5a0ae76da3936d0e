"""The demo brokerage `manage.py seed_demo` adds: a TransformIT-style two-day event a month
ahead, about 40 organisations of the demo world each with one participant (their contact)
bringing their open postings, some meeting requests, engine-scored pairs and an optimiser
draft, so `make run` shows both the organiser's and a participant's view.

Idempotent: an existing event with the demo slug is left alone. Deterministic: the same
world gives the same participants, availability and requests."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from events.matching import event_pairs_score
from events.models import Event, MeetingRequest, PairScore, Participant, ScheduleRun
from events.services.events import event_sessions_set
from events.services.schedule import schedule_generate
from matchmaking.models import Capability, Need

DEMO_SLUG = "transformit-europe-demo"
PARTICIPANTS = 40
REQUESTS = 16
SCHEDULE_SECONDS = 3.0


def demo_event_seed(*, organiser: User, participant_user: User | None) -> Event | None:
    """Creates the demo event unless it exists; `organiser` (staff) organises it and
    `participant_user`'s organisation is among the participants."""
    if Event.objects.filter(slug=DEMO_SLUG).exists():
        return None
    rng = random.Random(2026)  # noqa: S311 -- a reproducible demo, not a secret
    with transaction.atomic():
        event = Event.objects.create(
            slug=DEMO_SLUG,
            name="TransformIT Europe 2026: AI Partnering",
            description=(
                "Two days of pre-arranged 1:1 meetings between SMEs, research institutes, "
                "universities and AI startups. Ask for meetings, or let the organiser's "
                "optimiser propose the best ones."
            ),
            venue="Messe Karlsruhe, Hall 2",
            time_zone="Europe/Berlin",
            meeting_minutes=30,
            tables=12,
            max_meetings=8,
            request_cap=8,
            sme_min_meetings=2,
            languages=["de", "en"],
            registration_open=True,
            created_by=organiser,
        )
        event.organisers.add(organiser)
        first_day = timezone.localdate() + dt.timedelta(days=30)
        sessions = [
            (first_day + dt.timedelta(days=day), dt.time(*start), dt.time(*end))
            for day in (0, 1)
            for start, end in (((9, 0), (12, 30)), ((13, 30), (17, 0)))
        ]
        slots = event_sessions_set(event=event, actor=organiser, sessions=sessions)
        people = _participants(event, participant_user, slots, rng)
    event_pairs_score(event=event)
    _requests(event, people, rng)
    run = ScheduleRun.objects.create(event=event, started_by=organiser, time_limit=SCHEDULE_SECONDS)
    schedule_generate(run=run)
    return event


def _participants(event: Event, participant_user: User | None, slots, rng) -> list[Participant]:
    """Organisations with open postings, the demo user's first, then a varied mix."""
    with_postings = (
        Organisation.objects.filter(need__status="open")
        .union(Organisation.objects.filter(capability__status="open"))
        .values_list("id", flat=True)
    )
    candidates = list(Organisation.objects.filter(id__in=list(with_postings)).order_by("slug"))
    rng.shuffle(candidates)
    if participant_user is not None:
        own = [m.organisation for m in participant_user.memberships.select_related("organisation")]
        candidates = own + [o for o in candidates if o not in own]
    people = []
    for organisation in candidates[:PARTICIPANTS]:
        contact = (
            Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if contact is None:
            continue
        user = contact.user
        participant = Participant.objects.create(
            event=event,
            organisation=organisation,
            user=user,
            email=user.email,
            full_name=user.full_name or user.email,
            role=rng.choice(["CEO", "CTO", "Head of R&D", "Innovation manager", "Professor"]),
        )
        participant.needs.set(Need.objects.filter(organisation=organisation, status="open"))
        participant.capabilities.set(
            Capability.objects.filter(organisation=organisation, status="open")
        )
        share = rng.uniform(0.7, 1.0)
        participant.available_slots.set(rng.sample(slots, max(1, round(share * len(slots)))))
        people.append(participant)
    return people


def _requests(event: Event, people: list[Participant], rng) -> None:
    """Requests along the best-scored pairs: most accepted, some pending, one declined."""
    by_id = {p.id: p for p in people}
    best = list(PairScore.objects.filter(event=event).order_by("-score")[: REQUESTS * 2])
    rng.shuffle(best)
    now = timezone.now()
    for index, pair in enumerate(best[:REQUESTS]):
        sender, recipient = by_id[pair.low_id], by_id[pair.high_id]
        if rng.random() < 0.5:
            sender, recipient = recipient, sender
        status = (
            MeetingRequest.Status.DECLINED
            if index == 0
            else MeetingRequest.Status.PENDING
            if index % 4 == 0
            else MeetingRequest.Status.ACCEPTED
        )
        MeetingRequest.objects.create(
            event=event,
            sender=sender,
            recipient=recipient,
            message="Let's talk about a joint pilot.",
            status=status,
            responded_at=None if status == MeetingRequest.Status.PENDING else now,
        )
