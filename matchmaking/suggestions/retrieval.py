"""Candidate generation and the raw text signals of each candidate.

Two retrievers feed one candidate pool: the HNSW neighbours of the source's stored
vectors (whole text and statements) per active encoder, max-pooled over the chunks of
both sides (matchmaking.vectors.nearest_owners_pooled), and PostgreSQL full-text rank of
a tsquery built from the source's salient words and glossary terms, OR'ed, in the english
and german configurations. Every candidate then gets its semantic signals from one SQL
join over the stored vectors of both sides, so a candidate found only by full text is
scored the same way as an HNSW neighbour. Nothing here encodes text: a source without
vectors (not embedded yet) is retrieved by full text alone, its semantic signals missing.
"""

import operator
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import reduce

import numpy as np
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet

from matchmaking import ranking
from matchmaking.embedding import active_encoder_names
from matchmaking.glossary import glossary_tags
from matchmaking.languages import detect_language, search_configs
from matchmaking.models import Posting
from matchmaking.text import STOPWORDS
from matchmaking.vectors import nearest_owners_pooled, owner_column

TABLE = "matchmaking_embedding"
# HNSW neighbours asked per encoder, and full-text hits: together ~100 candidates to
# re-rank once they are merged.
NEIGHBOURS_PER_ENCODER = 50
FULLTEXT_CANDIDATES = 50
MAX_QUERY_TERMS = 32
MIN_TERM_LENGTH = 4
# Mean and spread of ts_rank (the query below against the trigger's tsvector) over a
# large pool of mostly unrelated candidates: 60 needs of the CORDIS dev set against its
# 7,018 candidate profiles. See `lexical_signal`.
TS_RANK_TYPICAL = (0.0146, 0.0183)
_TERM = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass
class SemanticSignals:
    """Cosine similarities of one source/target pair for one encoder: `whole` compares the
    whole texts (chunk 0 with chunk 0), `statement` the best pair of any chunks."""

    whole: float
    statement: float


@dataclass
class TextSignals:
    """Everything retrieval learnt about one candidate."""

    lexical: float | None = None
    semantic: dict[str, SemanticSignals] = field(default_factory=dict)


def query_terms(text: str) -> list[str]:
    """Salient words of a source text for the full-text query: glossary terms first (in
    both languages' canonical form, so a German source reaches English postings), then the
    text's own content words in order of appearance. Letters only, so the raw tsquery
    built from them cannot be malformed."""
    _techniques, _domains, matched = glossary_tags(text)
    candidates = [*matched, text]
    terms: list[str] = []
    seen: set[str] = set()
    for piece in candidates:
        for word in _TERM.findall(piece.lower()):
            if len(word) < MIN_TERM_LENGTH or word in STOPWORDS or word in seen:
                continue
            seen.add(word)
            terms.append(word)
    return terms[:MAX_QUERY_TERMS]


def fulltext_query(text: str) -> SearchQuery | None:
    """OR of the salient words, in the english and the german configuration (the trigger
    indexes both) and the text's own language's (matchmaking.languages.search_configs).
    None when the text has no content word."""
    terms = query_terms(text)
    if not terms:
        return None
    raw = " | ".join(terms)
    configs = search_configs(detect_language(text))
    return reduce(operator.or_, (SearchQuery(raw, search_type="raw", config=c) for c in configs))


def lexical_signal(ts_rank: float) -> float:
    """ts_rank moved linearly onto the BM25 scale ranking.TYPICAL_STATS expects. Own-pool
    z-scores (pools of 30 or more) do not change under a linear map; small pools, which
    fall back to the typical statistics, then read a good full-text match as a strong
    one instead of a below-average BM25 value."""
    mean, spread = ranking.TYPICAL_STATS[ranking.LEXICAL]
    ts_mean, ts_spread = TS_RANK_TYPICAL
    return mean + spread * (ts_rank - ts_mean) / ts_spread


def fulltext_candidates(
    *, postings: QuerySet, query: SearchQuery | None, limit: int = FULLTEXT_CANDIDATES
) -> dict[int, float]:
    """{posting id: ts_rank} of the best full-text matches among `postings` (which the
    caller has already narrowed to visible, open, eligible ones)."""
    if query is None:
        return {}
    rows = (
        postings.filter(search_vector=query)
        .annotate(text_rank=SearchRank(F("search_vector"), query))
        .order_by("-text_rank", "id")
        .values_list("id", "text_rank")[:limit]
    )
    return {posting_id: float(rank) for posting_id, rank in rows}


def fulltext_ranks(*, model: type[Posting], ids: Collection[int], query: SearchQuery | None):
    """ts_rank of given postings (0 for those the query does not match)."""
    if query is None or not ids:
        return {}
    rows = (
        model.objects.filter(id__in=list(ids))
        .annotate(text_rank=SearchRank(F("search_vector"), query))
        .values_list("id", "text_rank")
    )
    return {posting_id: float(rank) for posting_id, rank in rows}


def source_vectors(*, kind: str, source_id: int) -> dict[str, np.ndarray]:
    """{encoder: matrix of the source's stored vectors, chunk 0 (whole text) first} for
    every active encoder that embedded it; empty for a source not embedded yet."""
    encoders = active_encoder_names()
    if not encoders:
        return {}
    column = owner_column(kind)
    rows: dict[str, list[np.ndarray]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT encoder, vector::real[] FROM {TABLE} "  # noqa: S608 (column from KINDS)
            f"WHERE {column} = %s AND encoder = ANY(%s) ORDER BY encoder, chunk",
            [source_id, encoders],
        )
        for encoder, values in cursor.fetchall():
            rows.setdefault(encoder, []).append(np.asarray(values, dtype=np.float32))
    return {encoder: np.vstack(vectors) for encoder, vectors in rows.items()}


def semantic_candidates(
    *, vectors: dict[str, np.ndarray], target_kind: str, k: int = NEIGHBOURS_PER_ENCODER
) -> set[int]:
    """Ids of the HNSW neighbours of the source per encoder, max-pooled over the chunks
    of both sides. Visibility and eligibility are checked afterwards, on the merged pool:
    the index knows neither."""
    found: set[int] = set()
    for encoder, matrix in vectors.items():
        found.update(
            owner_id
            for owner_id, _similarity in nearest_owners_pooled(
                encoder=encoder, query_vectors=matrix, kind=target_kind, k=k
            )
        )
    return found


def semantic_signals(
    *, source_kind: str, target_kind: str, pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], dict[str, SemanticSignals]]:
    """{(source id, target id): {encoder: signals}} from the stored vectors of both sides,
    in one query: whole-text cosine and the best cosine over every pair of chunks (the
    same two numbers the offline evaluation feeds the fusion). Pairs without vectors on
    either side are left out."""
    encoders = active_encoder_names()
    if not encoders or not pairs:
        return {}
    source_column, target_column = owner_column(source_kind), owner_column(target_kind)
    statement = f"""
        WITH pairs AS (
            SELECT * FROM unnest(%s::bigint[], %s::bigint[]) AS p(source_id, target_id)
        )
        SELECT p.source_id, p.target_id, t.encoder,
               max(1 - (s.vector <=> t.vector)) FILTER (WHERE s.chunk = 0 AND t.chunk = 0),
               max(1 - (s.vector <=> t.vector))
        FROM pairs AS p
        JOIN {TABLE} AS s ON s.{source_column} = p.source_id
        JOIN {TABLE} AS t ON t.{target_column} = p.target_id AND t.encoder = s.encoder
        WHERE s.encoder = ANY(%s)
        GROUP BY 1, 2, 3
    """  # noqa: S608 (columns come from vectors.KINDS)
    signals: dict[tuple[int, int], dict[str, SemanticSignals]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            statement,
            [[source for source, _ in pairs], [target for _, target in pairs], encoders],
        )
        for source_id, target_id, encoder, whole, best in cursor.fetchall():
            signals.setdefault((source_id, target_id), {})[encoder] = SemanticSignals(
                whole=float(whole if whole is not None else best), statement=float(best)
            )
    return signals


def open_targets(*, visible: QuerySet, excluded_organisation_ids: Collection[int]) -> QuerySet:
    """Open postings among the visible ones, none of an excluded organisation (the
    viewer's own and the source's)."""
    return visible.filter(status=Posting.Status.OPEN).exclude(
        organisation_id__in=list(excluded_organisation_ids)
    )


def eligible_targets(
    *,
    visible: QuerySet,
    target_model: type[Posting],
    source: Posting,
    excluded_organisation_ids: Collection[int],
) -> QuerySet:
    """`open_targets` a source may be matched with. Sovereignty is not filtered here: a
    capability may state in its text what its boxes do not say, so ranking reads both
    (matchmaking.sovereignty) and drops only those that contradict a requirement."""
    return open_targets(visible=visible, excluded_organisation_ids=excluded_organisation_ids)
