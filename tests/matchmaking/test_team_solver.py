"""The team builder's CP-SAT selection on plain data: rules always hold or the answer
says which rule cannot be met; coverage and past collaboration shape the team."""

import random

import pytest

from matchmaking.teams.solver import (
    Candidate,
    Coordinator,
    NoTeam,
    Rules,
    Slot,
    Team,
    propose_team,
)

COORDINATOR = Coordinator(country="DE", sme=False)
RESEARCH = Slot("research institute", frozenset({"research_institute", "university"}))
COMPANY = Slot("company", frozenset({"sme", "startup", "large_company"}))


def candidate(name, kind="research_institute", country="DE", fit=1.0, sme=False, **extra):
    return Candidate(id=name, kind=kind, country=country, sme=sme, fit=fit, **extra)


def test_one_member_per_slot_of_an_accepted_kind():
    team = propose_team(
        coordinator=COORDINATOR,
        slots=[RESEARCH, COMPANY],
        candidates=[
            candidate("lab", fit=3.0),
            candidate("uni", kind="university", fit=2.0),
            candidate("startup", kind="startup", fit=1.0),
        ],
        rules=Rules(),
    )
    assert isinstance(team, Team)
    assert team.members[0].id == "lab"
    assert team.members[1].id == "startup"
    assert [c.id for c in team.alternatives[0]] == ["uni"]


def test_country_rule_beats_a_better_fit_from_the_same_country():
    team = propose_team(
        coordinator=COORDINATOR,
        slots=[RESEARCH],
        candidates=[candidate("munich", fit=3.0), candidate("vienna", country="AT", fit=1.0)],
        rules=Rules(min_countries=2),
    )
    assert team.members[0].id == "vienna"


def test_sme_rule_is_met():
    team = propose_team(
        coordinator=COORDINATOR,
        slots=[COMPANY],
        candidates=[
            candidate("big", kind="large_company", fit=3.0),
            candidate("small", kind="sme", sme=True, fit=0.5),
        ],
        rules=Rules(min_smes=1),
    )
    assert team.members[0].id == "small"


def test_coverage_prefers_a_second_aspect_over_the_same_strength_twice():
    vision_a = candidate("vision-a", fit=1.0, aspects={0: 2.0})
    vision_b = candidate("vision-b", fit=1.0, aspects={0: 1.9})
    robotics = candidate("robotics", fit=0.8, aspects={1: 1.5})
    team = propose_team(
        coordinator=COORDINATOR,
        slots=[RESEARCH, RESEARCH],
        candidates=[vision_a, vision_b, robotics],
        rules=Rules(),
        aspect_weights=[1.0, 1.0],
    )
    assert {m.id for m in team.members.values()} == {"vision-a", "robotics"}


def test_partners_who_worked_together_are_preferred():
    team = propose_team(
        coordinator=COORDINATOR,
        slots=[RESEARCH, COMPANY],
        candidates=[
            candidate("lab", fit=1.0),
            candidate("other-lab", fit=1.1),
            candidate("firm", kind="sme", sme=True, fit=1.0),
        ],
        rules=Rules(),
        pair_bonds={("firm", "lab"): 0.5},
    )
    assert team.members[0].id == "lab"


@pytest.mark.parametrize(
    ("rules", "candidates", "message"),
    [
        (Rules(min_countries=4), [candidate("a"), candidate("b", country="FR")], "cannot span 4"),
        (Rules(min_countries=3), [candidate("a"), candidate("b")], "from 1 countries"),
        (
            Rules(min_smes=1),
            [candidate("a"), candidate("b")],
            "no candidate organisation is an SME",
        ),
        (Rules(), [candidate("a", kind="startup")], "fits the role"),
        (
            Rules(min_countries=3, min_smes=1),
            [
                candidate("fr-lab", country="FR"),
                candidate("it-lab", country="IT"),
                candidate("de-sme", kind="sme", sme=True),
            ],
            "no team satisfies the rules together",
        ),
    ],
)
def test_impossible_rules_say_which_rule_fails(rules, candidates, message):
    slots = [Slot("any research", frozenset({"research_institute", "sme"})), RESEARCH]
    result = propose_team(coordinator=COORDINATOR, slots=slots, candidates=candidates, rules=rules)
    assert isinstance(result, NoTeam)
    assert message in result.reason


@pytest.mark.parametrize("seed", range(20))
def test_rules_always_hold_on_random_worlds(seed):
    rng = random.Random(seed)
    kinds = ["research_institute", "university", "sme", "startup", "large_company"]
    candidates = [
        candidate(
            f"c{i}",
            kind=rng.choice(kinds),
            country=rng.choice(["DE", "FR", "IT", "PL"]),
            fit=rng.uniform(-1, 3),
        )
        for i in range(30)
    ]
    candidates = [Candidate(**{**c.__dict__, "sme": c.kind == "sme"}) for c in candidates]
    slots = [RESEARCH, COMPANY, Slot("anyone")][: rng.randint(1, 3)]
    rules = Rules(min_countries=rng.randint(1, 4), min_smes=rng.randint(0, 2))
    result = propose_team(
        coordinator=COORDINATOR, slots=slots, candidates=candidates, rules=rules, time_limit=2
    )
    if isinstance(result, NoTeam):
        assert result.reason
        return
    members = list(result.members.values())
    assert len({m.id for m in members}) == len(slots)
    assert all(slots[s].accepts(m.kind) for s, m in result.members.items())
    assert len({m.country for m in members} | {COORDINATOR.country}) >= rules.min_countries
    assert sum(m.sme for m in members) >= rules.min_smes
