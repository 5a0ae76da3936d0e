"""Event pair scores come from the platform's matching engine, within the event only."""

import pytest

from events.matching import event_pairs_score
from events.models import PairScore
from events.selectors import pair_key
from matchmaking.models import Visibility
from tests.factories import CapabilityFactory, NeedFactory

pytestmark = pytest.mark.django_db


def test_need_and_capability_brought_to_the_event_make_a_scored_pair(
    event, alice_p, carol_p, dave_p
):
    need = NeedFactory(
        organisation=alice_p.organisation,
        title="Weld seam inspection",
        description="We need automatic weld seam inspection with cameras on our welding line.",
    )
    capability = CapabilityFactory(
        organisation=carol_p.organisation,
        title="Weld seam inspection by computer vision",
        description="Camera-based weld seam inspection and defect detection for welding lines.",
    )
    alice_p.needs.set([need])
    carol_p.capabilities.set([capability])
    assert event_pairs_score(event=event) == 1
    pair = PairScore.objects.get()
    assert (pair.low_id, pair.high_id) == pair_key(alice_p, carol_p)
    assert pair.score == pytest.approx(1.0)
    assert pair.reasons


def test_hidden_capability_is_matched_only_from_its_own_side(event, alice_p, carol_p):
    """Alice's ranking cannot see Carol's hidden capability; Carol's own ranking of it
    may suggest Alice (whose need is public). The page test shows Alice never sees it."""
    need = NeedFactory(organisation=alice_p.organisation, title="Weld seam inspection")
    hidden = CapabilityFactory(
        organisation=carol_p.organisation,
        title="Weld seam inspection lab",
        visibility=Visibility.HIDDEN,
    )
    alice_p.needs.set([need])
    carol_p.capabilities.set([hidden])
    assert event_pairs_score(event=event) == 1
    source, target = PairScore.objects.get().postings
    assert source == ["capability", hidden.id]
    assert target == ["need", need.id]


def test_excluded_organisations_are_never_paired_in_the_event(event, alice_p, carol_p):
    """An exclusion declared by either side (issue 13) holds in event suggestions too,
    in both directions (each side's own ranking leaves the other out)."""
    from matchmaking.collaboration.services import exclusion_add

    need = NeedFactory(
        organisation=alice_p.organisation,
        title="Weld seam inspection",
        description="We need automatic weld seam inspection with cameras on our welding line.",
    )
    capability = CapabilityFactory(
        organisation=carol_p.organisation,
        title="Weld seam inspection by computer vision",
        description="Camera-based weld seam inspection and defect detection for welding lines.",
    )
    alice_p.needs.set([need])
    carol_p.capabilities.set([capability])
    exclusion_add(
        organisation=carol_p.organisation,
        excluded=alice_p.organisation,
        reason="never_suggest",
        actor=carol_p.user,
    )
    assert event_pairs_score(event=event) == 0
    assert not PairScore.objects.exists()


def test_organisation_exclusion_keeps_the_pair_out_of_event_suggestions(event, alice_p, carol_p):
    from matchmaking.collaboration.models import OrganisationExclusion

    alice_p.needs.set(
        [NeedFactory(organisation=alice_p.organisation, title="Weld seam inspection")]
    )
    carol_p.capabilities.set(
        [CapabilityFactory(organisation=carol_p.organisation, title="Weld seam inspection lab")]
    )
    OrganisationExclusion.objects.create(
        organisation=carol_p.organisation, excluded=alice_p.organisation
    )
    assert event_pairs_score(event=event) == 0
