"""Ranking weights chosen by cross-validation over needs (`manage.py tune_matching`).

The matcher's score is a weighted sum of per-need z-scores and priors (ranking.fuse), so
every weight can be tried quickly on precomputed signal matrices. Needs are split into K
folds by id (a need's German and English twins always fall in the same fold); for each
fold the weights are chosen on the other folds by coordinate ascent over a small grid of
round values and scored on the held-out fold. The held-out figure is what to expect on
needs the engine was never tuned on; the weights chosen on all needs go to
ranking.WEIGHTS.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np

from matchmaking import ranking
from matchmaking.evaluation import CUTOFF, LabelledSet, SetSignals

# The weights that are tuned, and the values each may take. Round values only: a finer
# grid fits the noise of ~100 needs (docs/matching.md).
WEIGHT_GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
ACROSS_GRID = (0.0, 0.15, 0.35, 0.6, 1.0, 1.5)
TUNED: dict[str, tuple[float, ...]] = {
    ranking.LEXICAL: WEIGHT_GRID,
    ranking.ENGLISH_WHOLE: WEIGHT_GRID,
    ranking.ENGLISH_STATEMENT: WEIGHT_GRID,
    ranking.MULTILINGUAL_WHOLE: WEIGHT_GRID,
    ranking.MULTILINGUAL_STATEMENT: WEIGHT_GRID,
    ranking.KIND: WEIGHT_GRID,
    ranking.TRACK_RECORD: WEIGHT_GRID,
    ranking.TECHNIQUES: WEIGHT_GRID,
    ranking.DOMAINS: WEIGHT_GRID,
    "across_lexical": ACROSS_GRID,
    "across_english": ACROSS_GRID,
    "across_multilingual": ACROSS_GRID,
    ranking.PARTNERS: (0.0, 1.0, 2.0, 3.0, 4.0, 6.0),
}
PASSES = 2
# A change must gain at least this much mean nDCG@10 on the training needs to be taken.
MIN_GAIN = 1e-4


@dataclass
class Design:
    """One set's signals in the form the search needs: clipped z-scores split by whether
    the pair crosses languages, priors, and the relevance matrix."""

    name: str
    need_ids: list[str]
    same: dict[str, np.ndarray]
    across: dict[str, np.ndarray]
    priors: dict[str, np.ndarray]
    relevance: np.ndarray
    ideal: np.ndarray
    # The set's candidate tie strengths (SetSignals.ties); None leaves the partners out.
    ties: object = None

    def scores(self, weights: ranking.Weights, rows: np.ndarray) -> np.ndarray:
        total = np.zeros((len(rows), self.relevance.shape[1]), dtype=np.float32)
        for name, z in self.same.items():
            weight = weights.of(name)
            if weight:
                total += weight * (z[rows] + weights.across(name) * self.across[name][rows])
        for name, values in self.priors.items():
            weight = weights.of(name)
            if weight:
                total += weight * (values[rows] if values.ndim == 2 else values)
        if self.ties is not None and weights.partners:
            for line in total:
                line += weights.partners * ranking.partner_values(line, self.ties)
        return total

    def ndcg(self, weights: ranking.Weights, rows: np.ndarray) -> np.ndarray:
        """nDCG@10 of each given need row."""
        scores = self.scores(weights, rows)
        top = np.argpartition(-scores, CUTOFF, axis=1)[:, :CUTOFF]
        order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        gains = np.take_along_axis(self.relevance[rows], top, axis=1)
        discounts = 1.0 / np.log2(np.arange(CUTOFF) + 2.0)
        return (gains @ discounts) / self.ideal[rows]


def design_of(labelled: LabelledSet, signals: SetSignals) -> Design:
    """Precompute one set for the search; needs without a relevant candidate are dropped."""
    index = {candidate_id: i for i, candidate_id in enumerate(signals.candidate_ids)}
    rows = [
        row
        for row, need_id in enumerate(signals.need_ids)
        if any(grade > 0 for grade in labelled.qrels.get(need_id, {}).values())
    ]
    relevance = np.zeros((len(rows), len(index)), dtype=np.float32)
    for position, row in enumerate(rows):
        for candidate_id, grade in labelled.qrels[signals.need_ids[row]].items():
            if candidate_id in index:
                relevance[position, index[candidate_id]] = grade
    discounts = 1.0 / np.log2(np.arange(CUTOFF) + 2.0)
    ideal = np.array(
        [np.sort(line)[::-1][:CUTOFF] @ discounts[: min(CUTOFF, len(line))] for line in relevance]
    )
    cross = np.vstack([signals.candidate_languages != signals.need_languages[row] for row in rows])
    same, across = {}, {}
    for name, matrix in signals.columns.items():
        values = matrix[rows].astype(np.float64)
        mean = values.mean(axis=1, keepdims=True)
        spread = values.std(axis=1, keepdims=True)
        z = np.clip(
            (values - mean) / np.where(spread > 0, spread, 1.0), -ranking.Z_CLIP, ranking.Z_CLIP
        )
        z = np.nan_to_num(z).astype(np.float32)
        same[name] = np.where(cross, 0.0, z).astype(np.float32)
        across[name] = np.where(cross, z, 0.0).astype(np.float32)
    priors = {
        name: (values[rows] if values.ndim == 2 else values).astype(np.float32)
        for name, values in signals.priors.items()
    }
    return Design(
        name=labelled.name,
        need_ids=[signals.need_ids[row] for row in rows],
        same=same,
        across=across,
        priors=priors,
        relevance=relevance,
        ideal=ideal,
        ties=signals.ties,
    )


def mean_ndcg(
    designs: Sequence[Design], weights: ranking.Weights, rows: Mapping[str, np.ndarray]
) -> float:
    values = [d.ndcg(weights, rows[d.name]) for d in designs if len(rows[d.name])]
    return float(np.concatenate(values).mean()) if values else 0.0


def fit(
    designs: Sequence[Design],
    rows: Mapping[str, np.ndarray],
    start: ranking.Weights = ranking.WEIGHTS,
    tuned: Mapping[str, Iterable[float]] = TUNED,
) -> ranking.Weights:
    """Coordinate ascent from `start`: each weight in turn takes the grid value that
    maximises mean nDCG@10 over the given rows, PASSES times over all weights."""
    weights = start
    best = mean_ndcg(designs, weights, rows)
    for _pass in range(PASSES):
        for name, grid in tuned.items():
            for value in grid:
                trial = weights.with_(**{name: value})
                score = mean_ndcg(designs, trial, rows)
                if score > best + MIN_GAIN:
                    weights, best = trial, score
    return weights


def folds_of(need_ids: Iterable[str], k: int, seed: int = 0) -> list[set[str]]:
    """K folds of need ids, random but reproducible."""
    ids = sorted(set(need_ids))
    np.random.default_rng(seed).shuffle(ids)
    return [set(ids[fold::k]) for fold in range(k)]


@dataclass
class CrossValidation:
    """Per set: mean nDCG@10 with the weights given, held out (each need scored by weights
    chosen without it), in-sample with weights chosen on all needs, and the standard
    error of a mean over that many needs (the noise a difference must exceed)."""

    fixed: dict[str, float]
    held_out: dict[str, float]
    in_sample: dict[str, float]
    noise: dict[str, float]
    fold_weights: list[ranking.Weights]
    weights: ranking.Weights


def cross_validate(
    designs: Sequence[Design], k: int, start: ranking.Weights = ranking.WEIGHTS
) -> CrossValidation:
    all_rows = {d.name: np.arange(len(d.need_ids)) for d in designs}
    held_out = {d.name: np.zeros(len(d.need_ids)) for d in designs}
    fold_weights = []
    for fold in folds_of((i for d in designs for i in d.need_ids), k):
        train = {
            d.name: np.array([r for r, i in enumerate(d.need_ids) if i not in fold], dtype=int)
            for d in designs
        }
        test = {
            d.name: np.array([r for r, i in enumerate(d.need_ids) if i in fold], dtype=int)
            for d in designs
        }
        weights = fit(designs, train, start)
        fold_weights.append(weights)
        for d in designs:
            if len(test[d.name]):
                held_out[d.name][test[d.name]] = d.ndcg(weights, test[d.name])
    final = fit(designs, all_rows, start)
    return CrossValidation(
        fixed={d.name: float(d.ndcg(start, all_rows[d.name]).mean()) for d in designs},
        held_out={name: float(values.mean()) for name, values in held_out.items()},
        in_sample={d.name: float(d.ndcg(final, all_rows[d.name]).mean()) for d in designs},
        noise={
            name: float(values.std() / np.sqrt(len(values))) for name, values in held_out.items()
        },
        fold_weights=fold_weights,
        weights=final,
    )


def weights_source(weights: ranking.Weights) -> str:
    """The tuned fields as `name=value` pairs, for docs and for ranking.WEIGHTS."""
    return ", ".join(
        f"{f.name}={getattr(weights, f.name):g}" for f in fields(weights) if f.name in TUNED
    )
