"""What collaboration feeds elsewhere: the ranking's bounded collaboration signal, its
offline replay, and the network edges."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from matchmaking import ranking
from matchmaking.collaboration import services
from matchmaking.collaboration.models import ContactOutcome, ContactRequest
from matchmaking.collaboration.replay import replay_logged_feedback
from matchmaking.collaboration.selectors import (
    collaboration_edge_list,
    collaboration_record_for,
)
from matchmaking.suggestions import suggestion_list_for_need
from matchmaking.suggestions.feedback import Snapshot, suggestion_contact, suggestion_dismiss
from tests.factories import CapabilityFactory, NeedFactory, OrganisationFactory
from tests.matchmaking.suggestion_world import rank_all

pytestmark = pytest.mark.django_db


def test_record_grows_with_the_furthest_stage_and_stays_bounded(accepted, institute, carol):
    early = collaboration_record_for(organisation_ids=[institute.id])[institute.id]
    services.contact_outcome_record(request=accepted, actor=carol, stage="contract")
    late = collaboration_record_for(organisation_ids=[institute.id])[institute.id]
    assert 0 < early < late <= 1


def test_record_before_a_date_ignores_later_outcomes(accepted, institute, carol):
    services.contact_outcome_record(request=accepted, actor=carol, stage="contract")
    before = timezone.now() - datetime.timedelta(days=1)
    assert collaboration_record_for(organisation_ids=[institute.id], before=before) == {}


def test_collaboration_signal_is_bounded_by_its_weight():
    full = ranking.CandidateSignals(candidate_id=1, collaboration=5.0)
    assert full.structured()[ranking.COLLABORATION] == 1.0
    scored = ranking.score_candidate(full)
    assert scored.contributions[ranking.COLLABORATION] == pytest.approx(
        ranking.WEIGHTS.collaboration
    )


def test_suggestions_carry_the_collaboration_contribution(accepted, alice, sme, vision, carol):
    services.contact_outcome_record(request=accepted, actor=carol, stage="partnership")
    need = NeedFactory(organisation=sme, title=vision.title, description=vision.description)
    rank_all()  # the match store, as the workers fill it after a save
    best = suggestion_list_for_need(need=need, user=alice)[0]
    points = {c.signal: c.points for c in best.contributions}
    assert 0 < points["collaboration"] <= ranking.WEIGHTS.collaboration


def test_edges_list_accepted_contacts_and_partnerships_with_dates(accepted, sme, institute, carol):
    services.contact_outcome_record(request=accepted, actor=carol, stage="partnership")
    edges = collaboration_edge_list()
    assert {(e.kind, frozenset((e.organisation_a, e.organisation_b))) for e in edges} == {
        ("contact", frozenset((sme.id, institute.id))),
        ("partnership", frozenset((sme.id, institute.id))),
    }
    assert all(e.since for e in edges)


def test_replay_without_dismissals_says_not_measurable(accepted):
    out = StringIO()
    call_command("replay_collaboration_signal", stdout=out)
    assert "not measurable" in out.getvalue()


def test_replay_counts_a_pair_the_signal_turns_around(alice, sme, weld_need, accepted, carol):
    services.contact_outcome_record(request=accepted, actor=carol, stage="contract")
    newcomer = CapabilityFactory(organisation=OrganisationFactory())
    proven = accepted.target_posting
    suggestion_contact(user=alice, source=weld_need, target=proven, snapshot=Snapshot(score=1.0))
    suggestion_dismiss(user=alice, source=weld_need, target=newcomer, snapshot=Snapshot(score=1.05))
    result = replay_logged_feedback()
    assert (result.sources, result.pairs) == (1, 1)
    assert (result.accuracy_without, result.accuracy_with) == (0.0, 1.0)
    assert ContactOutcome.objects.count() == 1
    assert ContactRequest.objects.count() == 1
