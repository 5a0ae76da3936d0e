"""Team building measured on real consortia (`manage.py evaluate_teams DIR`).

For each need with at least two relevant candidates (its real consortium), the member
with the lexicographically smallest id is the coordinator; the team builder proposes as
many other members as the consortium had, one slot per member with that member's kind,
at least as many countries as the consortium spans (at most 3). `teams` is the share of
the other real members proposed; `topk` the same share for the matcher's text top-k of
the same size (coordinator excluded, roles and network ignored).

The collaboration graph comes from the candidates' `projects` (pre-split project ids):
two candidates that share one worked together before. A candidate's bond with the
coordinator is the network's score of issue 14 (`graph.network_scores`, the same model
that ranks new partners), weighted against the text fit by cross-validation over needs.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matchmaking import ranking
from matchmaking.evaluation import LabelledSet, score_matrix, set_signals, top_ids
from matchmaking.network import graph as network
from matchmaking.network.evaluation import candidate_graph
from matchmaking.teams.solver import Candidate, Coordinator, Rules, Slot, Team, propose_team

MAX_COUNTRIES = 3
# Candidates per slot handed to the solver: the best by fit plus bond.
POOL_PER_SLOT = 25
# Non-members sampled per need when fitting the network's bond weight.
NON_MEMBERS_PER_NEED = 200


@dataclass(frozen=True)
class BondWeights:
    """How much past collaboration is worth, in standard deviations of the matcher's
    score: `network` per unit of the network's score of a candidate for the coordinator
    (`graph.network_scores`: shared partners, partners of partners, the walks; the model
    of issue 14), `pair` for two members who worked together before."""

    network: float = 0.31
    pair: float = 0.3


# Ratios of the weights of a logistic regression of "was a member of the coordinator's
# real consortium" on (text fit, network score, ties to the other members), fitted on all
# of dev's needs by `fit_bond_weights` and rounded; `evaluate_teams --folds 5` refits them
# without each fold.
BONDS = BondWeights()


def coordinator_bonds(
    graph: network.CollaborationGraph,
    coordinator: Hashable,
    *,
    countries: Sequence[str | None] | None = None,
    weights: BondWeights = BONDS,
) -> dict[Hashable, float]:
    """{organisation: bond with the coordinator}; empty when the coordinator has no
    recorded partner (then the team rests on text, kind and coverage)."""
    scores = network.network_scores(graph, coordinator, countries=countries)
    if scores is None:
        return {}
    return {
        node: weights.network * float(score)
        for node, score in zip(graph.nodes, scores, strict=True)
    }


def pair_bonds(
    graph: network.CollaborationGraph, ids: Iterable[Hashable], weights: BondWeights = BONDS
) -> dict[tuple[Hashable, Hashable], float]:
    """`weights.pair` for every two of `ids` that worked together before."""
    chosen = set(ids)
    return {(a, b): weights.pair for a in chosen for b in graph.partners(a) & chosen if a < b}


def candidate_kind(candidate: dict) -> str | None:
    return ranking.organisation_kind(candidate.get("org_type"), candidate.get("sme"))


@dataclass(frozen=True)
class TeamRecall:
    teams: float
    topk: float
    needs: int
    held_out: float | None = None  # teams recall with BondWeights fitted per fold


@dataclass(frozen=True)
class Consortium:
    """A real consortium seen from its coordinator, with the signals the builder uses."""

    coordinator: str
    others: list[str]
    fit: np.ndarray  # the matcher's text score, standardised over the candidates
    network: np.ndarray | None  # graph.network_scores for the coordinator (graph order)
    text_top: list[str]  # the matcher's text top-k, coordinator excluded


def consortia(
    labelled: LabelledSet, *, encoders: Mapping[str, str], cache_dir
) -> tuple[list[Consortium], network.CollaborationGraph]:
    """Every need with at least two relevant candidates as a Consortium, and the graph."""
    signals = set_signals(labelled, cache_dir=cache_dir, encoders=encoders)
    scores = score_matrix(signals)
    known = {candidate["id"] for candidate in labelled.candidates}
    graph = candidate_graph(labelled.candidates)
    countries = [candidate.get("country") for candidate in labelled.candidates]
    found = []
    for row, need_id in enumerate(signals.need_ids):
        gold = sorted(c for c, grade in labelled.qrels.get(need_id, {}).items() if grade > 0)
        gold = [c for c in gold if c in known]
        if len(gold) < 2:
            continue
        coordinator, others = gold[0], gold[1:]
        top = top_ids(scores[row], signals.candidate_ids, len(others) + 1)
        found.append(
            Consortium(
                coordinator=coordinator,
                others=others,
                fit=_standardised(scores[row]),
                network=network.network_scores(graph, coordinator, countries=countries),
                text_top=[c for c in top if c != coordinator][: len(others)],
            )
        )
    return found, graph


def evaluate_teams(
    labelled: LabelledSet,
    *,
    encoders: Mapping[str, str],
    cache_dir,
    weights: BondWeights = BONDS,
    folds: int = 0,
    seed: int = 0,
) -> TeamRecall:
    """The two lines of `evaluate_teams`; with `folds`, also the teams recall with the
    bond weights fitted on the other folds of needs."""
    found, graph = consortia(labelled, encoders=encoders, cache_dir=cache_dir)
    by_id = {candidate["id"]: candidate for candidate in labelled.candidates}

    def recall(consortium: Consortium, bond_weights: BondWeights) -> float:
        team = propose_for(
            coordinator=by_id[consortium.coordinator],
            members=[by_id[c] for c in consortium.others],
            candidates=labelled.candidates,
            consortium=consortium,
            graph=graph,
            weights=bond_weights,
        )
        proposed = {m.id for m in team.members.values()} if isinstance(team, Team) else set()
        return len(proposed & set(consortium.others)) / len(consortium.others)

    team_recalls = [recall(c, weights) for c in found]
    topk_recalls = [len(set(c.text_top) & set(c.others)) / len(c.others) for c in found]
    held_out = None
    if folds:
        fold_of = np.random.default_rng(seed).permutation(len(found)) % folds
        held = []
        for fold in range(folds):
            train = [c for c, f in zip(found, fold_of, strict=True) if f != fold]
            fitted = fit_bond_weights(train, graph, seed)
            held += [recall(c, fitted) for c, f in zip(found, fold_of, strict=True) if f == fold]
        held_out = float(np.mean(held))
    return TeamRecall(
        teams=float(np.mean(team_recalls)) if team_recalls else 0.0,
        topk=float(np.mean(topk_recalls)) if topk_recalls else 0.0,
        needs=len(team_recalls),
        held_out=held_out,
    )


def fit_bond_weights(
    found: Sequence[Consortium], graph: network.CollaborationGraph, seed: int = 0
) -> BondWeights:
    """BondWeights from a logistic regression of 'was a member' on (text fit, network
    score, number of the consortium's other members it worked with) over the consortia
    (every member and `NON_MEMBERS_PER_NEED` random others each): the network's and the
    pair's weights as ratios to the text's (the solver adds bonds to the text fit)."""
    from sklearn.linear_model import LogisticRegression

    generator = np.random.default_rng(seed)
    nodes = np.asarray(graph.nodes)
    features, labels = [], []
    for consortium in found:
        if consortium.network is None:
            continue
        member = np.isin(nodes, consortium.others)
        rows = [graph.index[other] for other in consortium.others]
        ties = np.asarray(graph.adjacency[rows].sum(axis=0)).ravel()
        others = np.flatnonzero(~member & (nodes != consortium.coordinator))
        keep = member.copy()
        keep[generator.permutation(others)[:NON_MEMBERS_PER_NEED]] = True
        features.append(np.column_stack([consortium.fit, consortium.network, ties])[keep])
        labels.append(member[keep])
    model = LogisticRegression(max_iter=2000).fit(np.vstack(features), np.concatenate(labels))
    text, network_weight, pair = model.coef_[0]
    return BondWeights(network=float(network_weight / text), pair=float(pair / text))


def propose_for(
    *,
    coordinator: dict,
    members: Sequence[dict],
    candidates: Sequence[dict],
    consortium: Consortium,
    graph: network.CollaborationGraph,
    weights: BondWeights = BONDS,
):
    """The team builder on a labelled consortium: slots of the real members' kinds."""
    slots = [Slot(label=str(candidate_kind(m)), kinds=_kinds(candidate_kind(m))) for m in members]
    countries = {coordinator.get("country")} | {m.get("country") for m in members}
    rules = Rules(min_countries=min(len(countries), MAX_COUNTRIES))
    fit = dict(zip(graph.nodes, consortium.fit, strict=True))
    bonds = (
        {}
        if consortium.network is None
        else dict(zip(graph.nodes, weights.network * consortium.network, strict=True))
    )
    pool = _pool(slots, candidates, coordinator["id"], fit, bonds)
    chosen = [
        Candidate(
            id=c["id"],
            kind=candidate_kind(c),
            country=c.get("country") or "",
            sme=bool(c.get("sme")),
            fit=float(fit[c["id"]]),
            bond=float(bonds.get(c["id"], 0.0)),
        )
        for c in pool
    ]
    return propose_team(
        coordinator=Coordinator(
            country=coordinator.get("country") or "", sme=bool(coordinator.get("sme"))
        ),
        slots=slots,
        candidates=chosen,
        rules=rules,
        pair_bonds=pair_bonds(graph, (c["id"] for c in pool), weights),
    )


def _kinds(kind: str | None) -> frozenset[str]:
    return frozenset() if kind is None else frozenset({kind})


def _pool(slots, candidates, coordinator_id, fit, bonds) -> list[dict]:
    """The best candidates for each slot by fit plus bond; enough countries come along
    because the pool spans the top of every slot."""
    chosen: dict[str, dict] = {}
    for slot in slots:
        fitting = [
            c for c in candidates if c["id"] != coordinator_id and slot.accepts(candidate_kind(c))
        ]
        fitting.sort(key=lambda c: fit[c["id"]] + bonds.get(c["id"], 0.0), reverse=True)
        for candidate in fitting[:POOL_PER_SLOT]:
            chosen[candidate["id"]] = candidate
    return list(chosen.values())


def _standardised(values: np.ndarray) -> np.ndarray:
    spread = float(values.std()) or 1.0
    return (values - float(values.mean())) / spread
