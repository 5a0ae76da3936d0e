"""Team building on labelled consortia: the network's bond and `evaluate_teams`."""

from io import StringIO

from django.core.management import call_command

from matchmaking.network.graph import Collaboration, CollaborationGraph
from matchmaking.teams.evaluation import BondWeights, coordinator_bonds, pair_bonds
from tests.labelled_sets import write_labelled_set


def world() -> CollaborationGraph:
    """A worked with P; P with C; S and T only with each other; N with nobody."""
    return CollaborationGraph(
        [
            Collaboration("1", ("A", "P")),
            Collaboration("2", ("P", "C")),
            Collaboration("3", ("S", "T")),
        ],
        nodes=["A", "P", "C", "S", "T", "N"],
    )


def test_a_partner_of_the_coordinators_partner_has_a_stronger_bond_than_a_stranger():
    bonds = coordinator_bonds(world(), "A", weights=BondWeights(network=1.0))
    assert bonds["C"] > bonds["S"]
    assert bonds["P"] > bonds["S"]  # a past partner may join again


def test_a_coordinator_without_partners_gets_no_bonds():
    assert coordinator_bonds(world(), "N") == {}


def test_members_who_worked_together_earn_the_pair_bond_once():
    bonds = pair_bonds(world(), ["P", "C", "S"], BondWeights(pair=0.5))
    assert bonds == {("C", "P"): 0.5}


def _write_consortia(folder) -> None:
    """Two consortia coordinated by `a` and `b`. Their other member (c, d) is a partner
    of the coordinator's partner; s and t have the same text and kind but no tie."""
    text = "Machine vision for the inspection of weld seams."
    candidates = [
        {"id": "a", "text": "Steel construction.", "projects": ["1"], "org_type": "company"},
        {"id": "b", "text": "Shipbuilding.", "projects": ["3"], "org_type": "company"},
        {"id": "p", "text": "Robotics.", "projects": ["1", "2"], "org_type": "company"},
        {"id": "q", "text": "Sensors.", "projects": ["3", "4"], "org_type": "company"},
        {"id": "s", "text": text, "projects": ["5"], "org_type": "research_institute"},
        {"id": "c", "text": text, "projects": ["2"], "org_type": "research_institute"},
        {"id": "t", "text": text, "projects": ["5"], "org_type": "research_institute"},
        {"id": "d", "text": text, "projects": ["4"], "org_type": "research_institute"},
    ]
    for candidate in candidates:
        candidate["country"] = "DE"
    needs = [{"id": "n1", "text": text}, {"id": "n2", "text": text}]
    qrels = [
        {"need_id": "n1", "candidate_id": "a", "relevance": 1},
        {"need_id": "n1", "candidate_id": "c", "relevance": 1},
        {"need_id": "n2", "candidate_id": "b", "relevance": 1},
        {"need_id": "n2", "candidate_id": "d", "relevance": 1},
    ]
    write_labelled_set(folder, needs=needs, candidates=candidates, qrels=qrels)


def test_evaluate_teams_proposes_the_partner_of_the_coordinators_partner(tmp_path):
    _write_consortia(tmp_path)
    out = StringIO()
    call_command(
        "evaluate_teams", str(tmp_path), cache_dir=str(tmp_path / "cache"), folds=2, stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "teams recall=1.000 needs=2"
    assert lines[1].startswith("topk recall=")
    assert lines[1].endswith(" needs=2")
    assert lines[2].startswith("held-out(2 folds) teams recall=")
