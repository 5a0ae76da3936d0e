"""Exclusions ("never suggest X", "we already work with X") remove the pair from
suggestions in both directions, for postings and organisations alike."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from matchmaking.collaboration import services
from matchmaking.collaboration.models import OrganisationExclusion
from matchmaking.collaboration.selectors import (
    excluded_organisation_ids,
    excluded_organisation_pairs,
)
from matchmaking.suggestions import (
    organisation_suggestion_list,
    suggestion_list_for_capability,
    suggestion_list_for_need,
)
from tests.factories import CapabilityFactory, NeedFactory
from tests.matchmaking.suggestion_world import rank_all

pytestmark = pytest.mark.django_db

TEXT = "Inspection of weld seams with camera images and deep learning on the production line."


@pytest.fixture
def pair(sme, alice, institute, carol):
    need = NeedFactory(organisation=sme, title="Weld seam inspection", description=TEXT)
    capability = CapabilityFactory(
        organisation=institute, title="Weld seam vision", description=TEXT
    )
    rank_all()  # pages read the match store, which the workers fill after a save
    return need, capability


def ids(suggestions):
    return [s.target.id for s in suggestions]


def test_without_exclusion_the_pair_is_suggested_both_ways(pair, alice, carol):
    need, capability = pair
    assert capability.id in ids(suggestion_list_for_need(need=need, user=alice))
    assert need.id in ids(suggestion_list_for_capability(capability=capability, user=carol))


@pytest.mark.parametrize("reason", ["never_suggest", "already_partners"])
def test_exclusion_removes_the_pair_in_both_directions(pair, alice, carol, sme, institute, reason):
    need, capability = pair
    services.exclusion_add(organisation=sme, excluded=institute, reason=reason, actor=alice)
    assert capability.id not in ids(suggestion_list_for_need(need=need, user=alice))
    assert need.id not in ids(suggestion_list_for_capability(capability=capability, user=carol))


def test_exclusion_removes_the_pair_from_organisation_suggestions_both_ways(
    pair, alice, carol, sme, institute
):
    assert institute in [
        s.target for s in organisation_suggestion_list(organisation=sme, user=alice)
    ]
    services.exclusion_add(
        organisation=institute, excluded=sme, reason="never_suggest", actor=carol
    )
    assert institute not in [
        s.target for s in organisation_suggestion_list(organisation=sme, user=alice)
    ]
    assert sme not in [
        s.target for s in organisation_suggestion_list(organisation=institute, user=carol)
    ]


def test_selectors_for_event_suggestions_see_both_directions(sme, institute, alice):
    services.exclusion_add(
        organisation=sme, excluded=institute, reason="never_suggest", actor=alice
    )
    assert excluded_organisation_ids(organisation_ids=[institute.id]) == {sme.id}
    assert excluded_organisation_pairs() == {frozenset({sme.id, institute.id})}


def test_only_members_declare_exclusions(sme, institute, carol):
    with pytest.raises(PermissionDenied):
        services.exclusion_add(
            organisation=sme, excluded=institute, reason="never_suggest", actor=carol
        )
    assert not OrganisationExclusion.objects.exists()


def test_exclusion_page_adds_and_removes(client, alice, sme, institute):
    client.force_login(alice)
    url = reverse("collaboration:exclusions", args=[sme.slug])
    client.post(url, {"excluded": institute.id, "reason": "already_partners"})
    exclusion = OrganisationExclusion.objects.get()
    assert client.get(url).content.count(institute.name.encode()) >= 1
    client.post(reverse("collaboration:exclusion_remove", args=[sme.slug, exclusion.id]))
    assert not OrganisationExclusion.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"), [(None, 302), ("carol", 404), ("staff", 404), ("bob", 200)]
)
def test_exclusion_page_permissions(client, sme, alice, bob, carol, staff, who, expected):
    users = {"bob": bob, "carol": carol, "staff": staff}
    if who:
        client.force_login(users[who])
    assert client.get(reverse("collaboration:exclusions", args=[sme.slug])).status_code == expected


@pytest.mark.parametrize(("who", "expected"), [(None, 401), ("carol", 404), ("alice", 201)])
def test_exclusion_api_permissions(sme, alice, carol, institute, who, expected):
    api = APIClient()
    if who:
        api.force_authenticate({"alice": alice, "carol": carol}[who])
    response = api.post(
        reverse("api:organisation-exclusions", args=[sme.slug]),
        {"excluded": institute.slug, "reason": "never_suggest"},
        format="json",
    )
    assert response.status_code == expected
    assert OrganisationExclusion.objects.count() == (1 if expected == 201 else 0)


def test_exclusion_api_names_a_bad_field(sme, alice):
    api = APIClient()
    api.force_authenticate(alice)
    response = api.post(
        reverse("api:organisation-exclusions", args=[sme.slug]),
        {"excluded": "nobody", "reason": "maybe"},
        format="json",
    )
    assert response.status_code == 400
    assert "reason" in response.json()
