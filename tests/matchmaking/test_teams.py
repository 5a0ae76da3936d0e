"""The team builder on the platform: page and API on a small real world (real encoders,
real database), rules always met or a clear message."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matchmaking.network.selectors import collaboration_graph_for
from matchmaking.teams.selectors import (
    CallSpec,
    NoTeamProposal,
    TeamProposal,
    network_bonds,
    team_proposal,
)
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


# --- the collaboration network counts: past partners of the coordinator and of each other --

WELD_OFFER = (
    "Deep-learning defect detection in camera images of weld seams",
    "We detect cracks and pores in camera images of weld seams in real time.",
)


@pytest.fixture
def twin_world(sme):
    """Two research institutes with the same offer (text cannot tell them apart), a
    robotics university abroad and a speech startup."""
    place(sme, "DE11")
    world = {
        "north": organisation("Vision Lab Nord", "research_institute", "DE12"),
        "south": organisation("Vision Lab Süd", "research_institute", "DE11"),
        "robotics": organisation("Université de Robotique", "university", "FR10"),
        "speech": organisation("Speech Startup", "startup", "ITC4"),
    }
    offers = {
        "north": WELD_OFFER,
        "south": WELD_OFFER,
        "robotics": ("Robot grasping", "Our robot arms grasp and sort unordered steel parts."),
        "speech": ("Speech recognition", "We transcribe customer calls and detect keywords."),
    }
    embed(
        *(
            CapabilityFactory(
                organisation=world[name], title=title, description=text, techniques=[], domains=[]
            )
            for name, (title, text) in offers.items()
        )
    )
    return world


def research_members(proposal) -> dict:
    assert isinstance(proposal, TeamProposal)
    return {m.organisation: m.reasons for m in proposal.members}


def record_project(recorder, partner, *, hidden=False, title="WELDNET", year=2021):
    from matchmaking.network.services import past_project_create

    return past_project_create(
        organisation=recorder, title=title, year=year, partners=[partner], hidden=hidden
    )


ONE_RESEARCH_ROLE = CallSpec(text=CALL, roles=("research",))


@pytest.mark.parametrize("twin", ["north", "south"])
def test_a_past_partner_of_the_coordinator_wins_the_role_with_its_reason(
    twin_world, alice, sme, twin
):
    record_project(sme, twin_world[twin])

    members = research_members(team_proposal(user=alice, coordinator=sme, call=ONE_RESEARCH_ROLE))

    assert list(members) == [twin_world[twin]]
    assert members[twin_world[twin]][0] == f"Worked with {sme.name} — project WELDNET, 2021."


def test_a_hidden_project_neither_counts_nor_shows(twin_world, alice, sme):
    record_project(sme, twin_world["north"], hidden=True)

    proposal = team_proposal(user=alice, coordinator=sme, call=ONE_RESEARCH_ROLE)

    graph = collaboration_graph_for(user=alice)
    assert network_bonds(user=alice, graph=graph, coordinator=sme) == {}
    shown = [m for _role, members in proposal.alternatives for m in members] + proposal.members
    assert not any("WELDNET" in reason for member in shown for reason in member.reasons)


@pytest.mark.parametrize("twin", ["north", "south"])
def test_members_who_worked_together_count_and_say_so(twin_world, alice, sme, twin):
    robotics = twin_world["robotics"]
    record_project(robotics, twin_world[twin], title="ROBOWELD", year=2020)
    call = CallSpec(text=CALL, roles=("research", "research"), min_countries=2)

    members = research_members(team_proposal(user=alice, coordinator=sme, call=call))

    assert set(members) == {robotics, twin_world[twin]}
    assert f"Worked with {twin_world[twin].name} — project ROBOWELD, 2020." in members[robotics]


@pytest.mark.parametrize("twin", ["north", "south"])
def test_a_partner_of_a_partner_wins_with_a_warm_introduction(twin_world, alice, sme, twin):
    speech = twin_world["speech"]
    record_project(sme, speech, title="CALLCENTRE", year=2019)
    record_project(speech, twin_world[twin], title="VOICEVISION", year=2022)

    members = research_members(team_proposal(user=alice, coordinator=sme, call=ONE_RESEARCH_ROLE))

    assert list(members) == [twin_world[twin]]
    assert members[twin_world[twin]][0].startswith(f"You both worked with {speech.name}")


def test_the_page_shows_the_network_reason(twin_world, alice, sme, client):
    record_project(sme, twin_world["south"])
    client.force_login(alice)

    response = client.post(
        reverse("matchmaking:team_builder"),
        {
            "coordinator": sme.id,
            "call": CALL,
            "role_research": 1,
            "min_countries": 1,
            "min_smes": 0,
        },
    )

    assert "project WELDNET, 2021" in response.content.decode()
