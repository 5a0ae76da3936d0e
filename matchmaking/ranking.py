"""How a candidate is scored for a need: pure functions over plain data (no ORM) that
return a score and its reasons, shared by the suggestion service and the offline
evaluation (`manage.py evaluate_matching`), so what is measured is what users get.

The score is a weighted sum of
- similarity signals (dense cosines per encoder, whole text and best statement pair, and
  the lexical full-text rank), each turned into a z-score over the candidate pool of the
  need, because raw cosines of different encoders and BM25/ts_rank values live on
  unrelated scales, and a need's typical similarity level says nothing about a candidate;
- structured signals on fixed scales in [-1, 1] (0 = unknown/neutral): kind
  complementarity, track record, shared techniques/domains, proximity within the need's
  region scope, TRL fit, shared working languages, feedback.
When need and candidate are written in different languages, the English-only signals
(lexical, MiniLM) are damped and the multilingual encoder carries the match.
Sovereignty (matchmaking/sovereignty.py): a candidate whose text contradicts a requirement
is dropped; one that does not state it ranks lower, with the reason shown.

All weights live in WEIGHTS below; docs/matching.md says why each has its value and
what the evaluation measured with it.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np
from django.utils.translation import gettext as _

# Similarity signal names: the lexical rank and, per encoder family, the cosine of the
# whole texts and of the best statement pair.
LEXICAL = "lexical"
ENGLISH = "english"
MULTILINGUAL = "multilingual"
ENGLISH_WHOLE = f"{ENGLISH}_whole"
ENGLISH_STATEMENT = f"{ENGLISH}_statement"
MULTILINGUAL_WHOLE = f"{MULTILINGUAL}_whole"
MULTILINGUAL_STATEMENT = f"{MULTILINGUAL}_statement"
SIMILARITIES = (
    LEXICAL,
    ENGLISH_WHOLE,
    ENGLISH_STATEMENT,
    MULTILINGUAL_WHOLE,
    MULTILINGUAL_STATEMENT,
)
# Structured signal names (values already on a [-1, 1] scale).
KIND = "kind"
TRACK_RECORD = "track_record"
TECHNIQUES = "techniques"
DOMAINS = "domains"
PROXIMITY = "proximity"
TRL = "trl"
LANGUAGES = "languages"
FEEDBACK = "feedback"
COLLABORATION = "collaboration"
SOVEREIGNTY = "sovereignty"
PARTNERS = "partners"
STRUCTURED = (
    KIND,
    TRACK_RECORD,
    TECHNIQUES,
    DOMAINS,
    PROXIMITY,
    TRL,
    LANGUAGES,
    FEEDBACK,
    COLLABORATION,
    SOVEREIGNTY,
    PARTNERS,
)

# A z-score above this adds nothing more: one signal with an extreme outlier (BM25 on a
# rare acronym) must not outvote all others.
Z_CLIP = 4.0
# Below this many candidates, pool statistics are noise; typical values are used instead.
MIN_POOL = 30


# ---------------------------------------------------------------------------- WEIGHTS


@dataclass(frozen=True)
class Weights:
    """Every ranking weight in one place. Similarity weights multiply z-scores; the
    structured weights multiply values in [-1, 1]. See docs/matching.md for the
    measurements behind each value."""

    lexical: float = 1.0
    english_whole: float = 0.25
    english_statement: float = 1.0
    multilingual_whole: float = 0.25
    multilingual_statement: float = 0.5
    # Multipliers of each signal family when need and candidate languages differ: an
    # English-only signal is mostly noise across languages, the multilingual encoder is
    # what carries such a pair. Chosen by cross-validation on the German needs
    # (`manage.py tune_matching`).
    across_lexical: float = 0.35
    across_english: float = 0.35
    across_multilingual: float = 1.0
    kind: float = 0.5
    track_record: float = 0.5
    techniques: float = 0.3
    domains: float = 0.3
    proximity: float = 0.5
    trl: float = 0.5
    languages: float = 0.3
    feedback: float = 0.5
    # The candidate organisation's record on this platform: how far its accepted contact
    # requests went (matchmaking/collaboration/selectors.py `collaboration_record_for`,
    # in [0, 1]). Bounded to at most this many points, below one structured signal at
    # full strength, so it breaks ties between similar candidates but never lifts an
    # unrelated one; not measurable on the labelled sets (docs/matching.md).
    collaboration: float = 0.3
    # A sovereignty requirement the candidate does not state costs about one standard
    # deviation of text similarity (one offered in full earns as much): "not stated"
    # ranks below "offered" without vanishing. Not measurable on the labelled sets.
    sovereignty: float = 1.0
    # Past partners of the best matches (`partner_values`): consortia re-form around
    # organisations that worked together before, so a candidate that did so with the
    # first pass's best matches is likelier to join. Language-blind, so it carries German
    # needs as far as English ones. Chosen by 5-fold cross-validation over the needs of
    # dev and dev-de (every fold chose 8 seeds, four of five this weight; docs/matching.md).
    partners: float = 4.0
    # Organisation pairs (matchmaking/suggestions/organisations.py): a direction's best
    # pair score counts as half strength at this value (strength saturates above it, so
    # a second direction adds more than a stronger first one), and when both directions
    # match the weaker one is added again times the bonus. Set on the demo world; the
    # labelled sets have no organisation pairs to measure them on.
    reciprocal_half_strength: float = 5.0
    reciprocal_bonus: float = 0.5

    def of(self, signal: str) -> float:
        return float(getattr(self, signal))

    def across(self, signal: str) -> float:
        """The multiplier of a similarity signal for a pair written in two languages."""
        if signal == LEXICAL:
            return self.across_lexical
        family = ENGLISH if signal.startswith(ENGLISH) else MULTILINGUAL
        return float(getattr(self, f"across_{family}"))

    def with_(self, **changes: float) -> "Weights":
        return replace(self, **changes)


WEIGHTS = Weights()

# Typical mean and spread of each similarity over a large pool of unrelated candidates,
# used when a pool is too small for its own statistics (see MIN_POOL): per-need mean and
# standard deviation over the 7,018 candidates of the dev set, averaged over its needs.
# LEXICAL is on the BM25 scale of the evaluation; PostgreSQL's ts_rank is not, so a
# service with small pools should rescale its full-text rank or pass None.
TYPICAL_STATS: dict[str, tuple[float, float]] = {
    LEXICAL: (3.6, 4.7),
    ENGLISH_WHOLE: (0.13, 0.09),
    ENGLISH_STATEMENT: (0.15, 0.10),
    MULTILINGUAL_WHOLE: (0.17, 0.10),
    MULTILINGUAL_STATEMENT: (0.18, 0.11),
}


# ---------------------------------------------------------------------------- structured signals


_RESEARCH = ("research_institute", "university")
_COMPANIES = ("sme", "startup", "large_company", "company")
# How well a capability holder of one kind usually complements a need of another, in
# [0, 1]. Rows: the need's organisation kind; None = unknown (then the prior is that
# research organisations are the usual partners of collaborative R&D).
_KIND_TABLE: dict[str | None, dict[str, float]] = {
    "sme": {
        "research_institute": 1.0,
        "university": 1.0,
        "startup": 0.7,
        "sme": 0.5,
        "large_company": 0.4,
        "company": 0.5,
        "cluster": 0.5,
        "public_body": 0.2,
    },
    "startup": {
        "research_institute": 1.0,
        "university": 1.0,
        "sme": 0.6,
        "large_company": 0.6,
        "company": 0.6,
        "startup": 0.4,
        "cluster": 0.5,
        "public_body": 0.3,
    },
    "large_company": {
        "research_institute": 1.0,
        "university": 1.0,
        "startup": 0.8,
        "sme": 0.6,
        "company": 0.6,
        "large_company": 0.3,
        "cluster": 0.4,
        "public_body": 0.2,
    },
    "research_institute": {
        "sme": 0.9,
        "startup": 0.8,
        "large_company": 0.8,
        "company": 0.8,
        "university": 0.7,
        "research_institute": 0.6,
        "public_body": 0.5,
        "cluster": 0.5,
    },
    "university": {
        "sme": 0.9,
        "startup": 0.8,
        "large_company": 0.8,
        "company": 0.8,
        "research_institute": 0.8,
        "university": 0.6,
        "public_body": 0.5,
        "cluster": 0.5,
    },
    "public_body": {
        "research_institute": 0.9,
        "university": 0.9,
        "startup": 0.8,
        "sme": 0.8,
        "company": 0.7,
        "large_company": 0.6,
        "cluster": 0.6,
        "public_body": 0.4,
    },
    "cluster": {
        "research_institute": 0.8,
        "university": 0.8,
        "sme": 0.8,
        "startup": 0.8,
        "company": 0.7,
        "large_company": 0.6,
        "public_body": 0.5,
        "cluster": 0.3,
    },
    None: {
        "research_institute": 1.0,
        "university": 1.0,
        "startup": 0.5,
        "sme": 0.5,
        "large_company": 0.5,
        "company": 0.5,
        "cluster": 0.4,
        "public_body": 0.3,
    },
}
_UNKNOWN_KIND = 0.4


def kind_complementarity(need_kind: str | None, cap_kind: str | None) -> float:
    """In [-1, 1]: how typical it is for a `cap_kind` organisation to answer a
    `need_kind` organisation's need (an SME looking for AI help is usually served by
    an institute or university, rarely by another SME). Unknown kinds give a mild
    value; an unknown need kind falls back to the general prior for R&D partners."""
    row = _KIND_TABLE.get(need_kind, _KIND_TABLE[None])
    value = row.get(cap_kind or "", _UNKNOWN_KIND)
    return 2.0 * value - 1.0


def organisation_kind(org_type: str | None, sme: bool | None = None) -> str | None:
    """Map the CORDIS-style `org_type` + `sme` flag of labelled sets onto the kinds of
    accounts.Organisation.Kind. "company" stays as is when its size is unknown."""
    if org_type == "company":
        if sme is True:
            return "sme"
        if sme is False:
            return "large_company"
        return "company"
    if org_type in ("other", None, ""):
        return None
    return org_type


# Statements (past projects, bullet points) beyond which more track record adds nothing.
TRACK_RECORD_SATURATION = 16


def track_record(statements: int) -> float:
    """In [-1, 1]: a profile with many statements (past projects, offers) has shown more
    and is a priori more often the right partner; log scale, saturating at
    TRACK_RECORD_SATURATION. One statement gives -1, so a thin profile is not rewarded."""
    if statements <= 1:
        return -1.0
    ratio = math.log(statements) / math.log(TRACK_RECORD_SATURATION)
    return 2.0 * min(1.0, ratio) - 1.0


def overlap_score(shared: int) -> float:
    """In [0, 1]: one shared glossary code is a hint, two or more a clear topical match."""
    return min(1.0, shared / 2.0)


# Distance (km) up to which a candidate fully satisfies each region scope, and the
# distance beyond which it does not satisfy it at all.
_SCOPE_KM: dict[str, tuple[float, float]] = {
    "local": (50.0, 100.0),
    "regional": (200.0, 350.0),
    "national": (500.0, 900.0),
    "eu": (1500.0, 4000.0),
}


def proximity_score(
    km: float | None, region_scope: str, *, same_country: bool | None = None
) -> float:
    """In [-1, 1]: 1 within the need's region scope, falling linearly to -1 at the edge
    beyond it. When countries are known, a national need is satisfied by any partner in
    its country and by none abroad, whatever the distance. Unknown distance is neutral."""
    if region_scope == "national" and same_country is not None:
        return 1.0 if same_country else -1.0
    if km is None:
        return 0.0
    full, zero = _SCOPE_KM.get(region_scope, _SCOPE_KM["eu"])
    if km <= full:
        return 1.0
    if km >= zero:
        return -1.0
    return 1.0 - 2.0 * (km - full) / (zero - full)


def trl_fit(need_trl: int | None, cap_trl: int | None) -> float:
    """In [-1, 1]: a capability at or above the readiness the need asks for fits (1);
    each level below costs 2/3 (three levels short is -1); far above (4+ levels) is
    slightly less apt, since a product is not a research partner. Unknown is neutral."""
    if need_trl is None or cap_trl is None:
        return 0.0
    gap = need_trl - cap_trl
    if gap > 0:
        return max(-1.0, 1.0 - 2.0 * gap / 3.0)
    return 0.75 if -gap >= 4 else 1.0


def languages_score(shared: int, *, known: bool) -> float:
    """1 when need and candidate share a working language, -1 when both listed theirs
    and none is shared, 0 when unknown."""
    if not known:
        return 0.0
    return 1.0 if shared else -1.0


def sovereignty_fit(required: int, unstated: int) -> float:
    """In [-1, 1]: 1 when every requirement of the need is offered (ticked or stated in
    the text), falling to -1 when none is stated; 0 when the need requires nothing.
    Contradicted requirements never get here: such candidates are dropped."""
    if not required:
        return 0.0
    return 1.0 - 2.0 * min(unstated, required) / required


def best_sentence_pair(
    need_sentences: Sequence[str], cand_sentences: Sequence[str], sim_matrix: np.ndarray
) -> tuple[str, str, float] | None:
    """The most similar (need sentence, candidate sentence, cosine) for an explanation;
    `sim_matrix` has one row per need sentence and one column per candidate sentence."""
    matrix = np.asarray(sim_matrix, dtype=np.float32)
    if matrix.size == 0 or matrix.shape != (len(need_sentences), len(cand_sentences)):
        return None
    row, column = np.unravel_index(int(np.argmax(matrix)), matrix.shape)
    return need_sentences[row], cand_sentences[column], float(matrix[row, column])


# The best matches of the first pass whose past partners `partner_values` lifts.
PARTNER_SEEDS = 8


def partner_values(first_pass: np.ndarray, ties) -> np.ndarray:
    """Per candidate, log(1 + its tie strength with the PARTNER_SEEDS best candidates of
    the first pass): pseudo-relevance feedback over the collaboration network instead of
    the text. `ties` is a symmetric pool x pool matrix (numpy or scipy.sparse) of
    `CollaborationGraph.tie_strengths`, 0 on the diagonal and between postings of one
    organisation. Mostly 0; about 0.3 for one shared project with one seed, rarely above 2."""
    scores = np.asarray(first_pass, dtype=np.float64)
    count = min(PARTNER_SEEDS, len(scores))
    if not count:
        return np.zeros(0)
    order = np.lexsort((np.arange(len(scores)), -scores))[:count]
    return np.log1p(np.asarray(ties[order].sum(axis=0), dtype=np.float64).ravel())


# ---------------------------------------------------------------------------- fusion

X = TypeVar("X", float, np.ndarray)


def pool_stats(similarities: Mapping[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    """Mean and spread of each similarity over a need's candidate pool; TYPICAL_STATS
    when the pool is too small for its own statistics to mean anything."""
    stats = {}
    for name, values in similarities.items():
        values = np.asarray(values, dtype=np.float64)
        values = values[np.isfinite(values)]
        if len(values) < MIN_POOL:
            stats[name] = TYPICAL_STATS.get(name, (0.0, 1.0))
        else:
            stats[name] = (float(values.mean()), float(values.std()) or 1.0)
    return stats


def contributions(
    similarities: Mapping[str, X],
    structured: Mapping[str, X],
    *,
    stats: Mapping[str, tuple[float, float]],
    cross_language: X | bool,
    weights: Weights = WEIGHTS,
) -> dict[str, X]:
    """What each signal adds to the score. Works on one candidate (floats) and on a
    whole pool at once (arrays of equal length) with the same arithmetic; a missing
    value (NaN) adds nothing."""
    result: dict[str, X] = {}
    for name, value in similarities.items():
        mean, spread = stats[name]
        z = np.clip((np.asarray(value, dtype=np.float64) - mean) / spread, -Z_CLIP, Z_CLIP)
        weight = weights.of(name) * np.where(cross_language, weights.across(name), 1.0)
        result[name] = np.nan_to_num(weight * z)
    for name, value in structured.items():
        result[name] = np.nan_to_num(weights.of(name) * np.asarray(value, dtype=np.float64))
    return result


def fuse(
    similarities: Mapping[str, np.ndarray],
    structured: Mapping[str, np.ndarray],
    *,
    cross_language: np.ndarray | bool,
    weights: Weights = WEIGHTS,
    stats: Mapping[str, tuple[float, float]] | None = None,
    ties=None,
) -> np.ndarray:
    """Scores of a whole candidate pool for one need (the evaluation's entry point). With
    `ties` (see `partner_values`), a second pass adds the past-partners signal."""
    stats = stats or pool_stats(similarities)
    parts = contributions(
        similarities, structured, stats=stats, cross_language=cross_language, weights=weights
    )
    size = len(next(iter(similarities.values())))
    scores = sum(parts.values(), np.zeros(size, dtype=np.float64))
    if ties is not None and weights.partners:
        scores = scores + weights.partners * partner_values(scores, ties)
    return scores


# ---------------------------------------------------------------------------- one candidate


@dataclass(frozen=True)
class CandidateSignals:
    """Everything known about one (need, candidate) pair, as plain data. Similarities
    are raw (cosines, full-text rank); None means the signal is unavailable."""

    candidate_id: object
    dense: Mapping[str, float] = field(default_factory=dict)
    lexical: float | None = None
    cross_language: bool = False
    statements: int = 1
    need_kind: str | None = None
    cap_kind: str | None = None
    shared_techniques: Sequence[str] = ()
    shared_domains: Sequence[str] = ()
    distance_km: float | None = None
    region_scope: str = "eu"
    same_country: bool | None = None
    need_trl: int | None = None
    cap_trl: int | None = None
    shared_languages: Sequence[str] = ()
    languages_known: bool = False
    # False when the candidate's text contradicts a requirement (then it is dropped);
    # `sovereignty_unstated` names the requirements it neither ticks nor states.
    sovereignty_satisfied: bool = True
    sovereignty_required: int = 0
    sovereignty_unstated: Sequence[str] = ()
    feedback: float = 0.0
    collaboration: float = 0.0
    # `partner_values` of this candidate: set by `rank_candidates` from the pool's ties.
    partners: float = 0.0
    best_pair: tuple[str, str, float] | None = None

    def similarities(self) -> dict[str, float]:
        values = {name: float(value) for name, value in self.dense.items()}
        values[LEXICAL] = math.nan if self.lexical is None else float(self.lexical)
        return {name: values.get(name, math.nan) for name in SIMILARITIES}

    def structured(self) -> dict[str, float]:
        return {
            KIND: kind_complementarity(self.need_kind, self.cap_kind),
            TRACK_RECORD: track_record(self.statements),
            TECHNIQUES: overlap_score(len(self.shared_techniques)),
            DOMAINS: overlap_score(len(self.shared_domains)),
            PROXIMITY: proximity_score(
                self.distance_km, self.region_scope, same_country=self.same_country
            ),
            TRL: trl_fit(self.need_trl, self.cap_trl),
            LANGUAGES: languages_score(len(self.shared_languages), known=self.languages_known),
            FEEDBACK: max(-1.0, min(1.0, self.feedback)),
            COLLABORATION: max(0.0, min(1.0, self.collaboration)),
            SOVEREIGNTY: sovereignty_fit(self.sovereignty_required, len(self.sovereignty_unstated)),
            PARTNERS: max(0.0, self.partners),
        }


# ---------------------------------------------------------------------------- strength


@dataclass(frozen=True)
class StrengthCurve:
    """A logistic curve through the scores of real partnerships: `midpoint` is the score of
    the median one, `spread` makes the curve's quartiles meet theirs."""

    midpoint: float
    spread: float


# Fitted on the relevant pairs of the labelled sets (docs/matching.md, `manage.py
# tune_matching` prints them): same-language pairs on dev, cross-language pairs on
# dev-de, whose scores run lower because the English-only signals are damped.
STRENGTH_CURVES = {
    False: StrengthCurve(midpoint=5.26, spread=2.36),
    True: StrengthCurve(midpoint=2.79, spread=0.86),
}
# Below this, a match is weaker than 4 in 5 real partnerships: lists say they are weak.
WEAK_STRENGTH = 20


def match_strength(score: float, *, cross_language: bool = False) -> int:
    """0–100, the same scale on every page and in the API: the share of real partnerships
    (labelled data) that scored lower than this match, read off a logistic curve fitted to
    them. 50 is as strong as the median real partnership. Monotonic in the score."""
    curve = STRENGTH_CURVES[bool(cross_language)]
    z = (score - curve.midpoint) / curve.spread
    return round(100.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z)))))


@dataclass(frozen=True)
class ScoredMatch:
    candidate_id: object
    score: float
    contributions: dict[str, float]
    reasons: list[str]
    strength: int = 0


def score_candidate(
    signals: CandidateSignals,
    weights: Weights = WEIGHTS,
    *,
    stats: Mapping[str, tuple[float, float]] | None = None,
) -> ScoredMatch:
    """Score one candidate with the same arithmetic as `fuse`. `stats` are the pool
    statistics of the need (from `pool_stats`); without them, TYPICAL_STATS."""
    parts = contributions(
        signals.similarities(),
        signals.structured(),
        stats=stats or TYPICAL_STATS,
        cross_language=signals.cross_language,
        weights=weights,
    )
    parts = {name: float(value) for name, value in parts.items()}
    # Strength reads the score against typical statistics, not the pool's, and without the
    # past-partners signal (it depends on the pool's best matches), so it means the same
    # whatever else happens to be in the pool, on the need's page and the capability's.
    pair_facts = {name: value for name, value in signals.structured().items() if name != PARTNERS}
    absolute = contributions(
        signals.similarities(),
        pair_facts,
        stats=TYPICAL_STATS,
        cross_language=signals.cross_language,
        weights=weights,
    )
    return ScoredMatch(
        candidate_id=signals.candidate_id,
        score=sum(parts.values()),
        contributions=parts,
        reasons=reasons_for(signals, parts),
        strength=match_strength(
            float(sum(absolute.values())), cross_language=signals.cross_language
        ),
    )


def rank_candidates(
    candidates: Sequence[CandidateSignals], weights: Weights = WEIGHTS, *, ties=None
) -> list[ScoredMatch]:
    """The suggestion service's entry point: drop candidates failing the sovereignty
    filter, normalise similarities over the remaining pool, score, best first. `ties`
    (one row and column per candidate, in the given order; see `partner_values`) adds a
    second pass: past partners of the first pass's best matches rank higher."""
    kept = [index for index, candidate in enumerate(candidates) if candidate.sovereignty_satisfied]
    pool = [candidates[index] for index in kept]
    if not pool:
        return []
    columns = {
        name: np.array([candidate.similarities()[name] for candidate in pool])
        for name in SIMILARITIES
    }
    stats = pool_stats(columns)
    scored = [score_candidate(candidate, weights, stats=stats) for candidate in pool]
    if ties is not None and weights.partners:
        values = partner_values(np.array([match.score for match in scored]), ties[kept][:, kept])
        pool = [replace(c, partners=float(v)) for c, v in zip(pool, values, strict=True)]
        scored = [score_candidate(candidate, weights, stats=stats) for candidate in pool]
    return sorted(scored, key=lambda match: match.score, reverse=True)


# ---------------------------------------------------------------------------- reasons

# A contribution below this is not worth telling the user about.
REASON_THRESHOLD = 0.15
MAX_REASONS = 4


def reasons_for(signals: CandidateSignals, parts: Mapping[str, float]) -> list[str]:
    """Human-readable reasons, strongest first, from the signals that lifted the score."""
    text_parts = sum(parts.get(name, 0.0) for name in SIMILARITIES)
    candidates: list[tuple[float, str]] = []
    if text_parts > REASON_THRESHOLD:
        if signals.best_pair:
            need_sentence, cand_sentence, _similarity = signals.best_pair
            candidates.append(
                (
                    text_parts,
                    _("Closest statements: “%(need)s” ↔ “%(candidate)s”")
                    % {"need": _shorten(need_sentence), "candidate": _shorten(cand_sentence)},
                )
            )
        else:
            candidates.append((text_parts, _("The descriptions are closely related.")))
        if signals.cross_language and parts.get(MULTILINGUAL_WHOLE, 0.0) > REASON_THRESHOLD:
            candidates.append(
                (
                    parts[MULTILINGUAL_WHOLE] * 0.5,
                    _("Matched across languages (German ↔ English)."),
                )
            )
    if parts.get(COLLABORATION, 0.0) > REASON_THRESHOLD:
        candidates.append(
            (
                parts[COLLABORATION],
                _("Has turned contacts on this platform into collaborations."),
            )
        )
    if parts.get(TECHNIQUES, 0.0) > REASON_THRESHOLD:
        candidates.append(
            (
                parts[TECHNIQUES],
                _("Shared AI techniques: %(codes)s")
                % {"codes": ", ".join(signals.shared_techniques)},
            )
        )
    if parts.get(DOMAINS, 0.0) > REASON_THRESHOLD:
        candidates.append(
            (
                parts[DOMAINS],
                _("Shared application domains: %(codes)s")
                % {"codes": ", ".join(signals.shared_domains)},
            )
        )
    if parts.get(PROXIMITY, 0.0) > REASON_THRESHOLD and signals.distance_km is not None:
        candidates.append(
            (
                parts[PROXIMITY],
                _("Within reach: about %(km)d km away.") % {"km": round(signals.distance_km)}
                if signals.distance_km >= 1
                else _("Within reach: in the same region."),
            )
        )
    if parts.get(TRL, 0.0) > REASON_THRESHOLD:
        candidates.append(
            (
                parts[TRL],
                _("Technology readiness fits: TRL %(cap)d reached, TRL %(need)d needed.")
                % {"cap": signals.cap_trl, "need": signals.need_trl},
            )
        )
    if parts.get(KIND, 0.0) > REASON_THRESHOLD and signals.cap_kind:
        candidates.append((parts[KIND], _("A complementary kind of partner.")))
    if parts.get(TRACK_RECORD, 0.0) > REASON_THRESHOLD:
        candidates.append(
            (
                parts[TRACK_RECORD],
                _("Broad track record: %(count)d projects or offers.")
                % {"count": signals.statements},
            )
        )
    if parts.get(LANGUAGES, 0.0) > REASON_THRESHOLD:
        candidates.append(
            (
                parts[LANGUAGES],
                _("Shared working language: %(languages)s")
                % {"languages": ", ".join(signals.shared_languages)},
            )
        )
    if parts.get(FEEDBACK, 0.0) > REASON_THRESHOLD:
        candidates.append((parts[FEEDBACK], _("Similar to suggestions you saved or contacted.")))
    if parts.get(PARTNERS, 0.0) > REASON_THRESHOLD:
        candidates.append(
            (parts[PARTNERS], _("Has worked before with organisations among the best matches."))
        )
    if parts.get(SOVEREIGNTY, 0.0) > REASON_THRESHOLD:
        candidates.append((parts[SOVEREIGNTY], _("Offers the data sovereignty the need requires.")))
    candidates.sort(key=lambda item: item[0], reverse=True)
    reasons = [text for _weight, text in candidates[:MAX_REASONS]]
    if signals.sovereignty_unstated:
        # A caveat, always shown: the capability owner learns what to declare.
        reasons.append(
            _(
                "The need requires %(what)s, which the capability does not state: "
                "ranked lower until it does."
            )
            % {"what": ", ".join(signals.sovereignty_unstated)}
        )
    return reasons


def _shorten(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
