"""Team building measured on real consortia (`manage.py evaluate_teams DIR`).

For each need with at least two relevant candidates (its real consortium), the member
with the lexicographically smallest id is the coordinator; the team builder proposes as
many other members as the consortium had, one slot per member with that member's kind,
at least as many countries as the consortium spans (at most 3). `teams` is the share of
the other real members proposed; `topk` the same share for the matcher's text top-k of
the same size (coordinator excluded, roles and network ignored).

The collaboration graph comes from the candidates' `projects` (pre-split project ids):
two candidates that share one worked together before.
"""

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matchmaking import ranking
from matchmaking.evaluation import LabelledSet, score_matrix, set_signals, top_ids
from matchmaking.teams.solver import Candidate, Coordinator, Rules, Slot, Team, propose_team

MAX_COUNTRIES = 3
# Candidates per slot handed to the solver: the best by fit plus bond.
POOL_PER_SLOT = 25


@dataclass(frozen=True)
class BondWeights:
    """How much a past collaboration is worth, in standard deviations of the matcher's
    score: a direct partner of the coordinator, a partner of its partners (Adamic-Adar
    sum, each common partner weighted by 1/log of its degree), two members who worked
    together before."""

    direct: float = 2.0
    common: float = 1.0
    pair: float = 0.5


BONDS = BondWeights()


def collaboration_graph(candidates: Sequence[dict]) -> dict[str, set[str]]:
    """{candidate id: ids of candidates it shared a project with}."""
    members: dict[str, list[str]] = defaultdict(list)
    for candidate in candidates:
        for project in candidate.get("projects") or ():
            members[project].append(candidate["id"])
    partners: dict[str, set[str]] = defaultdict(set)
    for group in members.values():
        for member in group:
            partners[member].update(group)
    for member, found in partners.items():
        found.discard(member)
    return dict(partners)


def adamic_adar(graph: Mapping[str, set[str]], source: str) -> dict[str, float]:
    """Partners of partners of `source`, each weighted by its common partners' rarity."""
    scores: dict[str, float] = defaultdict(float)
    for middle in graph.get(source, ()):
        degree = len(graph.get(middle, ()))
        if degree < 2:
            continue
        for other in graph[middle]:
            if other != source:
                scores[other] += 1.0 / math.log(degree)
    return dict(scores)


def coordinator_bonds(
    graph: Mapping[str, set[str]], coordinator: str, weights: BondWeights = BONDS
) -> dict[str, float]:
    bonds = {
        other: weights.common * min(value, 2.0)
        for other, value in adamic_adar(graph, coordinator).items()
    }
    for partner in graph.get(coordinator, ()):
        bonds[partner] = bonds.get(partner, 0.0) + weights.direct
    return bonds


def candidate_kind(candidate: dict) -> str | None:
    return ranking.organisation_kind(candidate.get("org_type"), candidate.get("sme"))


@dataclass(frozen=True)
class TeamRecall:
    teams: float
    topk: float
    needs: int


def evaluate_teams(
    labelled: LabelledSet,
    *,
    encoders: Mapping[str, str],
    cache_dir,
    weights: BondWeights = BONDS,
) -> TeamRecall:
    signals = set_signals(labelled, cache_dir=cache_dir, encoders=encoders)
    scores = score_matrix(signals)
    by_id = {candidate["id"]: candidate for candidate in labelled.candidates}
    graph = collaboration_graph(labelled.candidates)
    team_recalls, topk_recalls = [], []
    for row, need_id in enumerate(signals.need_ids):
        gold = sorted(c for c, grade in labelled.qrels.get(need_id, {}).items() if grade > 0)
        gold = [c for c in gold if c in by_id]
        if len(gold) < 2:
            continue
        coordinator, others = gold[0], gold[1:]
        fit = _standardised(scores[row])
        fit_by_id = dict(zip(signals.candidate_ids, fit, strict=True))
        text_top = [
            c
            for c in top_ids(scores[row], signals.candidate_ids, len(others) + 1)
            if c != coordinator
        ][: len(others)]
        topk_recalls.append(len(set(text_top) & set(others)) / len(others))
        team = propose_for(
            coordinator=by_id[coordinator],
            members=[by_id[c] for c in others],
            candidates=labelled.candidates,
            fit=fit_by_id,
            graph=graph,
            weights=weights,
        )
        proposed = {m.id for m in team.members.values()} if isinstance(team, Team) else set()
        team_recalls.append(len(proposed & set(others)) / len(others))
    return TeamRecall(
        teams=float(np.mean(team_recalls)) if team_recalls else 0.0,
        topk=float(np.mean(topk_recalls)) if topk_recalls else 0.0,
        needs=len(team_recalls),
    )


def propose_for(
    *,
    coordinator: dict,
    members: Sequence[dict],
    candidates: Sequence[dict],
    fit: Mapping[str, float],
    graph: Mapping[str, set[str]],
    weights: BondWeights = BONDS,
):
    """The team builder on a labelled consortium: slots of the real members' kinds."""
    slots = [Slot(label=str(candidate_kind(m)), kinds=_kinds(candidate_kind(m))) for m in members]
    countries = {coordinator.get("country")} | {m.get("country") for m in members}
    rules = Rules(min_countries=min(len(countries), MAX_COUNTRIES))
    bonds = coordinator_bonds(graph, coordinator["id"], weights)
    pool = _pool(slots, candidates, coordinator["id"], fit, bonds)
    chosen = [
        Candidate(
            id=c["id"],
            kind=candidate_kind(c),
            country=c.get("country") or "",
            sme=bool(c.get("sme")),
            fit=float(fit[c["id"]]),
            bond=bonds.get(c["id"], 0.0),
        )
        for c in pool
    ]
    ids = {c["id"] for c in pool}
    pair_bonds = {(a, b): weights.pair for a in ids for b in graph.get(a, ()) if b in ids and a < b}
    return propose_team(
        coordinator=Coordinator(
            country=coordinator.get("country") or "", sme=bool(coordinator.get("sme"))
        ),
        slots=slots,
        candidates=chosen,
        rules=rules,
        pair_bonds=pair_bonds,
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
