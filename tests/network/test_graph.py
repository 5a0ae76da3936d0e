"""The network ranking on small worlds, without the database."""

import numpy as np

from matchmaking.network import graph as network
from matchmaking.network.graph import Collaboration, CollaborationGraph


def world() -> CollaborationGraph:
    """Q worked with P (project X, 2021); P worked with C (project Y, 2020); S and T
    worked together but with nobody Q knows."""
    return CollaborationGraph(
        [
            Collaboration("x", ("Q", "P"), "X", 2021),
            Collaboration("y", ("P", "C"), "Y", 2020),
            Collaboration("z", ("S", "T"), "Z", 2022),
        ],
        nodes=["Q", "P", "C", "S", "T"],
    )


def test_partner_of_partner_ranks_above_a_stranger():
    ranked = network.rank_organisations(world(), "Q")
    assert ranked.index("C") < ranked.index("S")
    assert ranked[0] == "C"


def test_known_partner_and_query_are_not_suggested_as_new():
    ranked = network.rank_organisations(world(), "Q")
    assert "P" not in ranked
    assert "Q" not in ranked


def test_cold_start_ranks_by_text_alone():
    graph = world()
    graph_with_newcomer = CollaborationGraph(graph.collaborations, nodes=[*graph.nodes, "N"])
    text = np.array([0.0, 0.0, 0.1, 0.9, 0.2, 0.0])
    ranked = network.rank_organisations(graph_with_newcomer, "N", text_scores=text)
    assert ranked[:3] == ["S", "T", "C"]


def test_introduction_names_the_common_partner_and_both_projects():
    [introduction] = network.introductions(world(), "Q", "C")
    assert introduction.partner == "P"
    assert (introduction.with_query.label, introduction.with_query.year) == ("X", 2021)
    assert (introduction.with_candidate.label, introduction.with_candidate.year) == ("Y", 2020)


def test_shared_partners_beat_one_shared_hub():
    """C shares two small partners with Q; D shares only a hub everyone worked with."""
    hub_projects = [Collaboration(f"h{i}", ("H", f"o{i}"), year=2019) for i in range(20)]
    graph = CollaborationGraph(
        [
            Collaboration("a", ("Q", "P1", "P2", "H")),
            Collaboration("b", ("P1", "C")),
            Collaboration("c", ("P2", "C")),
            Collaboration("d", ("H", "D")),
            *hub_projects,
        ]
    )
    ranked = network.rank_organisations(graph, "Q")
    assert ranked.index("C") < ranked.index("D")


def test_coverage_re_ranking_caps_hub_slots_in_the_top_ten():
    ranked = [f"hub{i}" for i in range(8)] + [f"org{i}" for i in range(12)]
    hubs = {f"hub{i}" for i in range(8)}
    capped = network.cap_exposure(ranked, hubs, cutoff=10, max_share=0.3)
    assert sum(node in hubs for node in capped[:10]) == 3
    assert capped[:3] == ["hub0", "hub1", "hub2"]  # the best hubs keep their places
    assert capped[3:10] == [f"org{i}" for i in range(7)]
    assert sorted(capped) == sorted(ranked)  # nobody is dropped


def test_hubs_are_the_best_connected_one_percent():
    graph = CollaborationGraph(
        [Collaboration(i, ("H", f"o{i}")) for i in range(150)] + [Collaboration("x", ("o1", "o2"))]
    )
    assert graph.hubs() == {"H", "o1"}  # ceil(1% of 151 nodes) = 2


def test_a_tie_through_a_small_record_beats_one_through_a_crowded_record():
    """C and D are both partners of Q's partner P and have as many partners each; C
    worked with P in a project of two, D in a project of thirty-two."""
    graph = CollaborationGraph(
        [
            Collaboration("a", ("Q", "P")),
            Collaboration("b", ("P", "C")),
            Collaboration("c", ("P", "D", *(f"x{i}" for i in range(30)))),
            Collaboration("d", ("C", *(f"y{i}" for i in range(30)))),
        ]
    )
    assert graph.degrees[graph.index["C"]] == graph.degrees[graph.index["D"]]
    ranked = network.rank_organisations(graph, "Q")
    assert ranked.index("C") < ranked.index("D")


def test_a_partner_of_a_partner_of_a_partner_ranks_above_a_stranger():
    graph = CollaborationGraph(
        [
            Collaboration("a", ("Q", "P")),
            Collaboration("b", ("P", "R")),
            Collaboration("c", ("R", "F")),
            Collaboration("d", ("S", "T")),
        ]
    )
    features = network.pair_features(graph, "Q")
    assert features["walk"][graph.index["F"]] > 0
    assert features["walk"][graph.index["S"]] == 0
    ranked = network.rank_organisations(graph, "Q")
    assert ranked.index("F") < ranked.index("S")
