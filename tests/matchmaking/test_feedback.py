"""Feedback services and their reads: who may act, one row per verdict, undo rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.models import Visibility
from matchmaking.kinds import CAPABILITY, NEED, ORGANISATION
from matchmaking.models import SuggestionFeedback
from matchmaking.suggestions.feedback import (
    Snapshot,
    access_suggestion_source,
    access_suggestion_target,
    feedback_actions_for_source,
    liked_item_list,
    suggestion_contact,
    suggestion_dismiss,
    suggestion_save,
)
from matchmaking.taxonomy import Technique
from tests.factories import CapabilityFactory, NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(sme):
    return NeedFactory(organisation=sme)


@pytest.fixture
def capability(carol):
    return CapabilityFactory(organisation=carol.memberships.get().organisation)


def test_member_can_dismiss_a_suggestion_with_a_reason(alice, need, capability):
    suggestion_dismiss(user=alice, source=need, target=capability, reason="  too academic ")
    row = SuggestionFeedback.objects.get()
    assert (row.action, row.reason, row.source_need, row.target_capability) == (
        "dismissed",
        "too academic",
        need,
        capability,
    )


def test_dismissing_twice_keeps_one_row_with_the_latest_reason(alice, need, capability):
    suggestion_dismiss(user=alice, source=need, target=capability, reason="first")
    suggestion_dismiss(user=alice, source=need, target=capability, reason="second")
    assert list(SuggestionFeedback.objects.values_list("reason", flat=True)) == ["second"]


def test_dismissal_replaces_an_earlier_save(alice, need, capability):
    suggestion_save(user=alice, source=need, target=capability)
    suggestion_dismiss(user=alice, source=need, target=capability)
    assert list(SuggestionFeedback.objects.values_list("action", flat=True)) == ["dismissed"]


def test_saving_a_dismissed_pair_undoes_the_dismissal(alice, need, capability):
    suggestion_dismiss(user=alice, source=need, target=capability)
    suggestion_save(user=alice, source=need, target=capability)
    assert list(SuggestionFeedback.objects.values_list("action", flat=True)) == ["saved"]


def test_contact_is_recorded_next_to_a_save(alice, need, capability):
    suggestion_save(user=alice, source=need, target=capability)
    suggestion_contact(user=alice, source=need, target=capability)
    assert set(SuggestionFeedback.objects.values_list("action", flat=True)) == {
        "saved",
        "contacted",
    }


def test_snapshot_of_what_the_user_saw_is_stored(alice, need, capability):
    snapshot = Snapshot(score=0.73, rank=2, explanation={"semantic": 0.4})
    suggestion_save(user=alice, source=need, target=capability, snapshot=snapshot)
    row = SuggestionFeedback.objects.get()
    assert (row.score, row.rank, row.explanation) == (0.73, 2, {"semantic": 0.4})


def test_outsider_cannot_give_feedback_on_another_organisations_need(carol, need, capability):
    with pytest.raises(PermissionDenied):
        suggestion_save(user=carol, source=need, target=capability)


def test_a_need_is_never_given_feedback_against_another_need(alice, need):
    with pytest.raises(ValidationError) as error:
        suggestion_save(user=alice, source=need, target=NeedFactory())
    assert "target_kind" in error.value.message_dict


def test_own_organisation_cannot_be_a_target(alice, sme, need):
    with pytest.raises(ValidationError) as error:
        suggestion_save(user=alice, source=need, target=CapabilityFactory(organisation=sme))
    assert "target_id" in error.value.message_dict


def test_organisation_feedback_pairs_two_organisations(alice, sme, carol):
    institute = carol.memberships.get().organisation
    suggestion_dismiss(user=alice, source=sme, target=institute)
    row = SuggestionFeedback.objects.get()
    assert (row.source_organisation, row.target_organisation) == (sme, institute)


def test_feedback_actions_are_listed_per_target(alice, need, capability, carol):
    institute = carol.memberships.get().organisation
    suggestion_save(user=alice, source=need, target=capability)
    suggestion_dismiss(user=alice, source=need, target=institute)
    assert dict(feedback_actions_for_source(user=alice, source=need)) == {
        (CAPABILITY, capability.id): {"saved"},
        (ORGANISATION, institute.id): {"dismissed"},
    }


def test_feedback_of_a_colleague_is_not_listed(alice, bob, need, capability):
    suggestion_dismiss(user=alice, source=need, target=capability)
    assert dict(feedback_actions_for_source(user=bob, source=need)) == {}


def test_liked_items_come_from_saves_and_contacts_of_any_source(alice, sme, capability):
    other = CapabilityFactory(techniques=[Technique.ROBOTICS])
    suggestion_save(user=alice, source=NeedFactory(organisation=sme), target=capability)
    suggestion_contact(user=alice, source=NeedFactory(organisation=sme), target=other)
    liked = liked_item_list(user=alice, kind=CAPABILITY)
    assert {item.id for item in liked} == {capability.id, other.id}
    assert next(item for item in liked if item.id == other.id).techniques == {"robotics"}


def test_dismissed_items_are_not_liked(alice, need, capability):
    suggestion_dismiss(user=alice, source=need, target=capability)
    assert liked_item_list(user=alice, kind=CAPABILITY) == []


def test_member_may_access_the_suggestions_of_their_need(bob, need):
    assert access_suggestion_source(user=bob, kind=NEED, key=need.id) == need


def test_outsider_gets_404_for_the_suggestions_of_a_public_need(carol, need):
    with pytest.raises(Http404):
        access_suggestion_source(user=carol, kind=NEED, key=need.id)


def test_hidden_target_is_not_found(alice):
    hidden = CapabilityFactory(visibility=Visibility.HIDDEN)
    with pytest.raises(Http404):
        access_suggestion_target(user=alice, kind=CAPABILITY, target_id=hidden.id)
