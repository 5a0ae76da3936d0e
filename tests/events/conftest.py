"""An event world: olga (tests/conftest.py) organises the "Weld Days" for her cluster;
alice (SME) and carol (institute) take part, dave (a startup) too; bob is Alice's colleague
who is not registered; mallory is a signed-in outsider."""

import datetime as dt

import pytest
from django.utils import translation

from accounts.models import Membership, Organisation
from events.models import Event, PairScore, Participant
from events.selectors import pair_key
from events.services.events import event_create, event_registration_set
from events.services.registration import participant_register
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

EVENT_DAY = dt.date(2030, 10, 14)


@pytest.fixture(autouse=True)
def english():
    """Services word their errors in the active language, which an earlier German
    request may have left behind in this thread; these tests read English messages."""
    with translation.override("en"):
        yield


@pytest.fixture
def dave():
    startup = OrganisationFactory(name="Seam AI", kind=Organisation.Kind.STARTUP)
    return MembershipFactory(
        user=UserFactory(email="dave@example.org", full_name="Dave Startup"),
        organisation=startup,
        role=Membership.Role.ADMIN,
    ).user


@pytest.fixture
def mallory():
    return UserFactory(email="mallory@example.org")


@pytest.fixture
def event(olga, cluster) -> Event:
    """One day, 09:00–10:00 and 10:30–11:30 (a break between): four 30-minute slots."""
    event = event_create(
        actor=olga,
        host=cluster,
        sessions=[
            (EVENT_DAY, dt.time(9, 0), dt.time(10, 0)),
            (EVENT_DAY, dt.time(10, 30), dt.time(11, 30)),
        ],
        name="Weld Days 2030",
        venue="Messe Stuttgart",
        time_zone="Europe/Berlin",
        meeting_minutes=30,
        tables=2,
        max_meetings=3,
        request_cap=2,
        sme_min_meetings=1,
    )
    event_registration_set(event=event, actor=olga, is_open=True)
    return event


def register(event: Event, user, **kwargs) -> Participant:
    organisation = user.memberships.first().organisation
    return participant_register(event=event, user=user, organisation=organisation, **kwargs)


@pytest.fixture
def alice_p(event, alice) -> Participant:
    return register(event, alice)


@pytest.fixture
def carol_p(event, carol) -> Participant:
    return register(event, carol)


@pytest.fixture
def dave_p(event, dave) -> Participant:
    return register(event, dave)


def score_pair(a: Participant, b: Participant, score: float) -> PairScore:
    low, high = pair_key(a, b)
    return PairScore.objects.create(
        event=a.event, low_id=low, high_id=high, score=score, raw_score=score, reasons=["kind"]
    )
