"""The collaboration network as a matching signal: pure functions over plain data.

A *collaboration* is one record that put organisations together: a past project (all its
participants), an accepted contact or a meeting held at an event (two organisations).
Every collaboration knows its source, a label a person can check and a year. The graph
links two organisations that share a collaboration; a candidate scores by the partners it
shares with the query organisation (partners of partners), normalised by degree so that
the best connected organisations do not win every list (see `FEATURES`, `WEIGHTS`).

Nothing here touches the database: the site (`matchmaking.network.selectors`) and the
offline evaluation (`matchmaking.evaluation`, `evaluate_matching --organisations`) build
the same `CollaborationGraph` and call the same `network_scores` and `cap_exposure`.
"""

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sparse

Node = Hashable


@dataclass(frozen=True)
class Collaboration:
    """One record that put organisations together (a project, a contact, a meeting)."""

    key: Hashable
    members: tuple[Node, ...]
    label: str = ""
    year: int | None = None
    source: str = "project"


# Features of a (query, candidate) pair, in the order of `WEIGHTS`. A record with many
# participants is weaker evidence of a tie than a small one, so the walks use the
# co-participation graph weighted by 1/(participants - 1) (each record shares one unit of
# tie among its members; Newman's collaboration weighting).
FEATURES = (
    "common",  # log(1 + number of partners both worked with)
    "adamic_adar",  # log(1 + Σ 1/log(degree) over common partners)
    "resource_allocation",  # 10 × Σ 1/degree over common partners
    "weighted_paths",  # log(1 + 10 × Σ two-step paths in the size-weighted graph)
    "weighted_allocation",  # 10 × the same paths, each divided by the middle's tie strength
    "walk",  # log(1 + 1000 × probability that a random walk from the query over the
    # weighted graph is here after two or after three steps: a personalised PageRank
    # truncated at three hops, reaching partners of partners of partners)
    "share_of_theirs",  # common partners / the candidate's partners
    "cosine",  # common / sqrt(degree query × degree candidate)
    "degree",  # log(1 + the candidate's partners)
    "records",  # log(1 + the candidate's collaborations)
    "same_country",  # 1 when both are in the same country
)

# Logistic-regression weights over FEATURES (features standardised for the fit, weights
# given here per raw unit), fitted on all org-dev query organisations by
# `evaluation.fit_network_weights`; `evaluate_matching --organisations --folds 5` refits
# them on four fifths of the queries and ranks the fifth (docs/matching.md). Single
# weights are not interpretable alone (the features are correlated); together they
# prefer many common partners reached through small records, not through hubs.
WEIGHTS: Mapping[str, float] = {
    "common": 0.46,
    "adamic_adar": -0.71,
    "resource_allocation": 0.54,
    "weighted_paths": 0.4,
    "weighted_allocation": -0.32,
    "walk": 0.13,
    "share_of_theirs": 2.79,
    "cosine": -0.1,
    "degree": 0.17,
    "records": 0.9,
    "same_country": 0.45,
}
# Weight of the text score (standardised over the candidates of one query) next to the
# network score, fitted with WEIGHTS: with partners, text orders candidates within the
# network's neighbourhood; without partners it decides alone (cold start).
TEXT_WEIGHT = 0.41

# Coverage: the 1% best connected organisations get at most this share of a top-10.
# Among real new partners on org-dev they are 15%; twice that is allowed, since they
# are genuinely more likely partners (docs/matching.md).
HUB_SHARE = 0.01
MAX_HUB_SLOTS_SHARE = 0.3
CUTOFF = 10


class CollaborationGraph:
    """Organisations × collaborations, with the co-participation graph derived from it."""

    def __init__(self, collaborations: Iterable[Collaboration], nodes: Iterable[Node] = ()) -> None:
        self.collaborations: list[Collaboration] = []
        self.nodes: list[Node] = []
        self.index: dict[Node, int] = {}
        for node in nodes:
            self._add_node(node)
        rows, columns = [], []
        for collaboration in collaborations:
            members = list(dict.fromkeys(collaboration.members))
            if len(members) < 2:
                continue
            column = len(self.collaborations)
            self.collaborations.append(collaboration)
            for member in members:
                rows.append(self._add_node(member))
                columns.append(column)
        size = (len(self.nodes), len(self.collaborations))
        incidence = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float64), (rows, columns)), shape=size
        )
        incidence.data[:] = 1.0  # a node listed twice in one record counts once
        self.incidence = incidence
        shared = (incidence @ incidence.T).tolil()
        shared.setdiag(0)
        self.shared = shared.tocsr()  # number of records two organisations share
        self.shared.eliminate_zeros()
        self.adjacency = self.shared.copy()
        self.adjacency.data[:] = 1.0
        self.degrees = np.asarray(self.adjacency.sum(axis=1)).ravel()
        self.record_counts = np.asarray(incidence.sum(axis=1)).ravel()
        sizes = np.asarray(incidence.sum(axis=0)).ravel()
        weighted = (
            incidence @ sparse.diags(1.0 / np.maximum(sizes - 1.0, 1.0)) @ incidence.T
        ).tolil()
        weighted.setdiag(0)
        self.weighted = weighted.tocsr()  # Σ 1/(participants - 1) over shared records
        self.weighted.eliminate_zeros()
        self.strengths = np.asarray(self.weighted.sum(axis=1)).ravel()
        self.transition = sparse.diags(1.0 / np.maximum(self.strengths, 1e-12)) @ self.weighted

    @cached_property
    def ties(self) -> sparse.csr_matrix:
        """Node x node: Σ 1/log(1 + members) over the records two organisations share, 0 on
        the diagonal. A two-party meeting counts about 0.9, a ten-partner project 0.4: a
        small consortium says more about two members than a large one (the Adamic-Adar
        idea, applied to records). ranking.partner_values reads it."""
        sizes = np.asarray(self.incidence.sum(axis=0)).ravel()
        weighted = self.incidence @ sparse.diags(1.0 / np.log1p(np.maximum(sizes, 1.0)))
        ties = (weighted @ self.incidence.T).tolil()
        ties.setdiag(0)
        ties = ties.tocsr()
        ties.eliminate_zeros()
        return ties

    def ties_between(self, nodes: Sequence[Node]) -> np.ndarray:
        """`ties` among the given nodes, in their order (repeats allowed: several postings
        of one organisation); 0 for a node outside the graph."""
        index = np.array([self.index.get(node, -1) for node in nodes], dtype=np.int64)
        result = np.zeros((len(index), len(index)))
        known = np.flatnonzero(index >= 0)
        if len(known):
            rows = index[known]
            result[np.ix_(known, known)] = self.ties[rows][:, rows].toarray()
        return result

    def _add_node(self, node: Node) -> int:
        if node not in self.index:
            self.index[node] = len(self.nodes)
            self.nodes.append(node)
        return self.index[node]

    def partners(self, node: Node) -> set[Node]:
        if node not in self.index:
            return set()
        row = self.adjacency[self.index[node]]
        return {self.nodes[i] for i in row.indices}

    def hubs(self, share: float = HUB_SHARE) -> set[Node]:
        """The `share` best connected organisations (at least one when any has partners)."""
        connected = int((self.degrees > 0).sum())
        if not connected:
            return set()
        count = max(1, math.ceil(len(self.nodes) * share))
        order = np.lexsort((np.arange(len(self.nodes)), -self.degrees))[:count]
        return {self.nodes[i] for i in order if self.degrees[i] > 0}

    def shared_records(self, a: Node, b: Node) -> list[Collaboration]:
        """The collaborations a and b were both part of, newest first."""
        if a not in self.index or b not in self.index:
            return []
        row_a = set(self.incidence[self.index[a]].indices)
        common = row_a.intersection(self.incidence[self.index[b]].indices)
        found = [self.collaborations[i] for i in common]
        return sorted(found, key=lambda c: (-(c.year or 0), str(c.label)))


def pair_features(
    graph: CollaborationGraph,
    query: Node,
    *,
    countries: Sequence[str | None] | None = None,
) -> dict[str, np.ndarray]:
    """Every feature of FEATURES for the query against every node of the graph (one
    value per node, in graph order). Zero rows when the query has no partners."""
    n = len(graph.nodes)
    degrees = np.maximum(graph.degrees, 1.0)
    log_degrees = np.log(np.maximum(graph.degrees, 2.0))
    features = {name: np.zeros(n) for name in FEATURES}
    features["degree"] = np.log1p(graph.degrees)
    features["records"] = np.log1p(graph.record_counts)
    if query not in graph.index:
        return features
    q = graph.index[query]
    row = graph.adjacency[q]
    if row.nnz:

        def dense(vector) -> np.ndarray:
            return np.asarray(vector.todense()).ravel()

        common = dense(row @ graph.adjacency)
        weighted = graph.weighted[q]
        strengths = np.maximum(graph.strengths, 1e-12)
        features["common"] = np.log1p(common)
        features["adamic_adar"] = np.log1p(dense(row.multiply(1.0 / log_degrees) @ graph.adjacency))
        features["resource_allocation"] = 10.0 * dense(
            row.multiply(1.0 / degrees) @ graph.adjacency
        )
        features["weighted_paths"] = np.log1p(10.0 * dense(weighted @ graph.weighted))
        features["weighted_allocation"] = 10.0 * dense(
            weighted.multiply(1.0 / strengths) @ graph.weighted
        )
        two_steps = graph.transition[q] @ graph.transition
        walk = dense(two_steps) + dense(two_steps @ graph.transition)
        features["walk"] = np.log1p(1000.0 * walk)
        features["share_of_theirs"] = common / degrees
        features["cosine"] = common / np.sqrt(degrees * degrees[q])
    if countries is not None and countries[q]:
        features["same_country"] = (np.asarray(countries, dtype=object) == countries[q]).astype(
            float
        )
    return features


def adamic_adar(graph: CollaborationGraph, query: Node) -> np.ndarray:
    """Adamic-Adar alone (Σ 1/log degree over common partners), the reference baseline."""
    if query not in graph.index:
        return np.zeros(len(graph.nodes))
    log_degrees = np.log(np.maximum(graph.degrees, 2.0))
    row = graph.adjacency[graph.index[query]]
    return np.asarray((row.multiply(1.0 / log_degrees) @ graph.adjacency).todense()).ravel()


def combine(features: Mapping[str, np.ndarray], weights: Mapping[str, float] = WEIGHTS):
    return sum(weights[name] * features[name] for name in FEATURES)


def network_scores(
    graph: CollaborationGraph,
    query: Node,
    *,
    countries: Sequence[str | None] | None = None,
    weights: Mapping[str, float] = WEIGHTS,
) -> np.ndarray | None:
    """The network's score of every node for the query (graph order), or None when the
    query has no partners yet: then the network knows nothing and text decides (cold
    start)."""
    if not graph.partners(query):
        return None
    return combine(pair_features(graph, query, countries=countries), weights)


def cap_exposure(
    ranked: Sequence[Node],
    hubs: set[Node],
    *,
    cutoff: int = CUTOFF,
    max_share: float = MAX_HUB_SLOTS_SHARE,
) -> list[Node]:
    """Re-rank so that at most `max_share` of the first `cutoff` places go to hubs: the
    best hubs keep their places, later ones move just below the cutoff, in order. The
    rest of the ranking is untouched."""
    allowed = int(math.floor(cutoff * max_share + 1e-9))
    head: list[Node] = []
    demoted: list[Node] = []
    position = 0
    for node in ranked:
        if len(head) >= cutoff:
            break
        position += 1
        if node in hubs:
            if sum(1 for h in head if h in hubs) >= allowed:
                demoted.append(node)
                continue
        head.append(node)
    return head + demoted + list(ranked[position:])


@dataclass(frozen=True)
class Introduction:
    """A checkable reason: query and candidate both worked with `partner`."""

    partner: Node
    with_query: Collaboration
    with_candidate: Collaboration


def introductions(
    graph: CollaborationGraph, query: Node, candidate: Node, *, limit: int = 3
) -> list[Introduction]:
    """The common partners of query and candidate, the best tied first (most shared
    records with both, then newest), each with the newest collaboration on each side."""
    common = graph.partners(query) & graph.partners(candidate)
    found = []
    for partner in common:
        ours = graph.shared_records(query, partner)
        theirs = graph.shared_records(partner, candidate)
        found.append((len(ours) + len(theirs), Introduction(partner, ours[0], theirs[0])))
    found.sort(
        key=lambda item: (
            -item[0],
            -max(item[1].with_query.year or 0, item[1].with_candidate.year or 0),
            str(item[1].partner),
        )
    )
    return [introduction for _, introduction in found[:limit]]


def rank_organisations(
    graph: CollaborationGraph,
    query: Node,
    *,
    text_scores: np.ndarray | None = None,
    countries: Sequence[str | None] | None = None,
    weights: Mapping[str, float] = WEIGHTS,
    max_hub_share: float = MAX_HUB_SLOTS_SHARE,
    text_weight: float = TEXT_WEIGHT,
) -> list[Node]:
    """Every node of the graph but the query and its known partners, best new partner
    first: network score plus `text_weight` × text (text alone in a cold start), then
    re-ranked so hubs get at most `max_hub_share` of the top ten. The one ranking the
    site and the evaluation share. TEXT_WEIGHT is fitted for text standardised over the
    query's candidates (as the evaluation passes it); the site passes its own weight."""
    text = np.zeros(len(graph.nodes)) if text_scores is None else np.asarray(text_scores)
    network = network_scores(graph, query, countries=countries, weights=weights)
    scores = text if network is None else network + text_weight * text
    excluded = graph.partners(query) | {query}
    order = np.lexsort((np.arange(len(scores)), -scores))
    ranked = [graph.nodes[i] for i in order if graph.nodes[i] not in excluded]
    return cap_exposure(ranked, graph.hubs(), max_share=max_hub_share)
