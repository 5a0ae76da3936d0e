"""The team builder on the platform: page and API on a small real world (real encoders,
real database), rules always met or a clear message."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matchmaking.teams.selectors import CallSpec, NoTeamProposal, TeamProposal, team_proposal
from tests.factories import CapabilityFactory
from tests.matchmaking.suggestion_world import embed, organisation, place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("encoders")]

CALL = (
    "Automated visual inspection of weld seams with deep learning on camera images. "
    "A collaborative robot arm grasps and sorts the rejected steel parts."
)


@pytest.fixture
def consortium_world(sme):
    place(sme, "DE11")
    offers = {
        "vision": (
            organisation("Institut für Bildverarbeitung", "research_institute", "DE12"),
            "Deep-learning defect detection in camera images of weld seams",
            "We detect cracks and pores in camera images of weld seams in real time.",
        ),
        "vision-2": (
            organisation("Vision Lab Stuttgart", "research_institute", "DE11"),
            "Optical inspection of welds with neural networks",
            "Neural networks find defects in images of welded steel parts.",
        ),
        "robotics": (
            organisation("Université de Robotique", "university", "FR10"),
            "Robot grasping and sorting of parts",
            "Our robot arms grasp, pick and sort unordered steel parts with learned policies.",
        ),
        "speech": (
            organisation("Speech Startup", "startup", "ITC4"),
            "Speech recognition for call centres",
            "We transcribe customer calls and detect keywords.",
        ),
    }
    capabilities = [
        CapabilityFactory(organisation=o, title=t, description=d, techniques=[], domains=[])
        for o, t, d in offers.values()
    ]
    embed(*capabilities)
    return {name: offer[0] for name, offer in offers.items()}


def test_two_research_roles_cover_both_aspects_and_the_country_rule(consortium_world, alice, sme):
    proposal = team_proposal(
        user=alice,
        coordinator=sme,
        call=CallSpec(text=CALL, roles=("research", "research"), min_countries=2),
    )
    assert isinstance(proposal, TeamProposal)
    chosen = {m.organisation for m in proposal.members}
    assert consortium_world["robotics"] in chosen
    assert chosen & {consortium_world["vision"], consortium_world["vision-2"]}
    assert len(proposal.countries) >= 2
    assert all(m.reasons for m in proposal.members)
    robotics = next(m for m in proposal.members if m.organisation == consortium_world["robotics"])
    assert any("robot" in sentence for sentence in robotics.covers)


def test_rules_no_team_can_meet_get_a_clear_reason(consortium_world, alice, sme):
    proposal = team_proposal(
        user=alice, coordinator=sme, call=CallSpec(text=CALL, roles=("research",), min_smes=2)
    )
    assert isinstance(proposal, NoTeamProposal)
    assert "SME" in proposal.reason


def test_the_page_shows_a_team_with_its_rules(consortium_world, alice, sme, client):
    client.force_login(alice)
    response = client.post(
        reverse("matchmaking:team_builder"),
        {
            "coordinator": sme.id,
            "call": CALL,
            "role_research": 2,
            "min_countries": 2,
            "min_smes": 0,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="team-member"' in html
    assert "Université de Robotique" in html
    assert "countries" in html


def test_the_page_rejects_an_empty_role_list(alice, sme, client):
    client.force_login(alice)
    response = client.post(
        reverse("matchmaking:team_builder"),
        {"coordinator": sme.id, "call": CALL, "min_countries": 1, "min_smes": 0},
    )
    assert response.status_code == 200
    assert "at least one partner role" in response.content.decode()


def test_the_api_proposes_a_team_and_names_bad_fields(consortium_world, alice, carol, sme):
    api = APIClient()
    api.force_authenticate(user=alice)
    url = reverse("api:team-builder")
    ok = api.post(
        url,
        {"coordinator": sme.slug, "call": CALL, "roles": ["research", "startup"]},
        format="json",
    )
    assert ok.status_code == 200
    assert ok.json()["team"] is True
    assert [m["role"] for m in ok.json()["members"]][1] == "AI startup"
    assert ok.json()["members"][1]["name"] == "Speech Startup"
    bad = api.post(url, {"coordinator": sme.slug, "call": CALL, "roles": ["wizard"]}, format="json")
    assert bad.status_code == 400
    assert "roles" in bad.json()
    foreign = carol.memberships.get().organisation
    denied = api.post(
        url, {"coordinator": foreign.slug, "call": CALL, "roles": ["research"]}, format="json"
    )
    assert denied.status_code == 400
    assert "coordinator" in denied.json()
    none = api.post(
        url,
        {"coordinator": sme.slug, "call": CALL, "roles": ["research"], "min_countries": 4},
        format="json",
    )
    assert none.json() == {"team": False, "reason": none.json()["reason"]}
    assert "countries" in none.json()["reason"]


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("matchmaking:team_builder"))
    assert response.status_code == 302
