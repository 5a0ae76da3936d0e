"""Partner discovery measured offline (`evaluate_matching DIR --organisations`).

Each query organisation ranks the other candidates with `graph.rank_organisations`, the
code the site uses: the collaboration graph comes from the candidates' `projects` (two
candidates that share a project id worked together), the query's known partners are
excluded, text breaks ties and carries a query without partners. Baselines: bm25, dense
(MiniLM whole text) and graph (Adamic-Adar alone), ranked over the same candidates.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matchmaking import ranking
from matchmaking.evaluation import (
    CUTOFF,
    DEFAULT_CACHE_DIR,
    DEFAULT_ENCODERS,
    LabelledSet,
    Metrics,
    SetSignals,
    evaluate_rankings,
    matcher_row,
    set_signals,
)
from matchmaking.network import graph as network

QUERY_PREFIX = "orgq:"


def candidate_graph(candidates: Sequence[dict]) -> network.CollaborationGraph:
    """The co-participation graph of the candidates' `projects`, in candidate order."""
    members: dict[str, list[str]] = defaultdict(list)
    for candidate in candidates:
        for project in candidate.get("projects", ()):
            members[str(project)].append(candidate["id"])
    return network.CollaborationGraph(
        (network.Collaboration(key=key, members=tuple(ids)) for key, ids in members.items()),
        nodes=[candidate["id"] for candidate in candidates],
    )


def query_node(query_id: str) -> str:
    return query_id.removeprefix(QUERY_PREFIX)


@dataclass(frozen=True)
class Coverage:
    top_share: float
    gold_share: float

    def line(self) -> str:
        return f"coverage top1pct_share={self.top_share:.3f} gold_share={self.gold_share:.3f}"


def _ranked_without(scores: np.ndarray, graph: network.CollaborationGraph, query: str) -> list[str]:
    excluded = graph.partners(query) | {query}
    order = np.lexsort((np.arange(len(scores)), -scores))
    return [graph.nodes[i] for i in order if graph.nodes[i] not in excluded]


def text_row(signals: SetSignals, row: int) -> np.ndarray:
    """The matcher's text score of every candidate for one query, standardised over the
    candidates (the units `graph.TEXT_WEIGHT` is fitted in)."""
    scores = matcher_row(signals, row)
    return (scores - scores.mean()) / (float(scores.std()) or 1.0)


def organisation_rankings(
    labelled: LabelledSet,
    signals: SetSignals,
    graph: network.CollaborationGraph,
    *,
    weights: Mapping[str, float] = network.WEIGHTS,
    text_weight: float = network.TEXT_WEIGHT,
    rows: Sequence[int] | None = None,
) -> dict[str, dict[str, list[str]]]:
    """{line: {query id: ranked candidate ids}} for matcher, bm25, dense and graph."""
    countries = [candidate.get("country") for candidate in labelled.candidates]
    lexical = signals.columns[ranking.LEXICAL]
    dense = signals.columns[f"{ranking.ENGLISH}_whole"]
    result: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for row in range(len(signals.need_ids)) if rows is None else rows:
        query_id = signals.need_ids[row]
        node = query_node(query_id)
        result["matcher"][query_id] = network.rank_organisations(
            graph,
            node,
            text_scores=text_row(signals, row),
            countries=countries,
            weights=weights,
            text_weight=text_weight,
        )
        result["bm25"][query_id] = _ranked_without(lexical[row], graph, node)
        result["dense"][query_id] = _ranked_without(dense[row], graph, node)
        result["graph"][query_id] = _ranked_without(network.adamic_adar(graph, node), graph, node)
    return result


def coverage(
    rankings: Mapping[str, Sequence[str]],
    qrels: Mapping[str, Mapping[str, int]],
    hubs: set[str],
) -> Coverage:
    """Share of top-10 slots going to hubs, and the hubs' share among the gold pairs."""
    slots = [node for ranked in rankings.values() for node in ranked[:CUTOFF]]
    gold = [c for grades in qrels.values() for c, grade in grades.items() if grade > 0]
    return Coverage(
        sum(node in hubs for node in slots) / max(len(slots), 1),
        sum(node in hubs for node in gold) / max(len(gold), 1),
    )


def evaluate_organisations(
    labelled: LabelledSet,
    *,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    encoders: Mapping[str, str] = DEFAULT_ENCODERS,
    folds: int = 0,
) -> tuple[dict[str, Metrics], Coverage, Metrics | None]:
    """The lines of `evaluate_matching --organisations`; with `folds`, also the matcher
    held out: network weights fitted on the other folds of query organisations."""
    graph = candidate_graph(labelled.candidates)
    signals = set_signals(labelled, cache_dir=cache_dir, encoders=encoders)
    rankings = organisation_rankings(labelled, signals, graph)
    metrics = {name: evaluate_rankings(ranked, labelled.qrels) for name, ranked in rankings.items()}
    held_out = None
    if folds:
        held_out = evaluate_rankings(
            cross_validated_rankings(labelled, signals, graph, folds=folds), labelled.qrels
        )
    return metrics, coverage(rankings["matcher"], labelled.qrels, graph.hubs()), held_out


# ---------------------------------------------------------------------------- weights


def training_rows(
    labelled: LabelledSet,
    signals: SetSignals,
    graph: network.CollaborationGraph,
    rows: Sequence[int],
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows (FEATURES, then text) of (query, candidate) pairs: every relevant
    pair and 5% of the others (known partners and the query itself left out, as in the
    ranking)."""
    countries = [candidate.get("country") for candidate in labelled.candidates]
    generator = np.random.default_rng(seed)
    features, labels = [], []
    for row in rows:
        query_id = labelled.needs[row]["id"]
        node = query_node(query_id)
        values = network.pair_features(graph, node, countries=countries)
        matrix = np.column_stack(
            [*(values[name] for name in network.FEATURES), text_row(signals, row)]
        )
        relevant = np.array([labelled.qrels.get(query_id, {}).get(c, 0) > 0 for c in graph.nodes])
        known = graph.partners(node) | {node}
        excluded = np.array([c in known for c in graph.nodes])
        keep = ~excluded & (relevant | (generator.random(len(relevant)) < 0.05))
        features.append(matrix[keep])
        labels.append(relevant[keep])
    return np.vstack(features), np.concatenate(labels)


def fit_network_weights(
    labelled: LabelledSet,
    signals: SetSignals,
    graph: network.CollaborationGraph,
    rows: Sequence[int],
) -> tuple[dict[str, float], float]:
    """Logistic regression of 'became a new partner' on FEATURES and text over the given
    queries: (weights per raw feature unit, text weight). Features are standardised for
    the fit so the regularisation treats them alike."""
    from sklearn.linear_model import LogisticRegression

    features, labels = training_rows(labelled, signals, graph, rows)
    spread = features.std(axis=0)
    spread[spread == 0] = 1.0
    scaled = (features - features.mean(axis=0)) / spread
    model = LogisticRegression(max_iter=3000).fit(scaled, labels)
    weights = model.coef_[0] / spread
    return (
        dict(zip(network.FEATURES, (float(w) for w in weights[:-1]), strict=True)),
        float(weights[-1]),
    )


def cross_validated_rankings(
    labelled: LabelledSet,
    signals: SetSignals,
    graph: network.CollaborationGraph,
    *,
    folds: int,
    seed: int = 0,
) -> dict[str, list[str]]:
    """The matcher's rankings with each query ranked by weights fitted without its fold."""
    fold_of = np.random.default_rng(seed).permutation(len(labelled.needs)) % folds
    result: dict[str, list[str]] = {}
    for fold in range(folds):
        train = np.flatnonzero(fold_of != fold)
        test = np.flatnonzero(fold_of == fold)
        weights, text_weight = fit_network_weights(labelled, signals, graph, train)
        result.update(
            organisation_rankings(
                labelled, signals, graph, weights=weights, text_weight=text_weight, rows=test
            )["matcher"]
        )
    return result
