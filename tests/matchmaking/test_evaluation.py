"""Offline evaluation: metrics on hand-computed examples, BM25, the vector cache and the
`evaluate_matching` command on a small labelled set (real encoders, no database)."""

import json
import math
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from matchmaking.evaluation import (
    Bm25Index,
    VectorCache,
    evaluate_rankings,
    ndcg_at_k,
    recall_at_k,
    reciprocal_rank,
    reciprocal_rank_fusion,
    top_ids,
)

# Ranked a, b, c, d; b is very relevant (2), d and e (never ranked) relevant (1).
RANKED = ["a", "b", "c", "d"]
RELEVANCE = {"b": 2, "d": 1, "e": 1, "c": 0}


def test_recall_counts_relevant_candidates_in_the_top_ten():
    assert recall_at_k(RANKED, RELEVANCE) == pytest.approx(2 / 3)


def test_ndcg_uses_graded_gain_and_log_discount():
    dcg = 2 / math.log2(3) + 1 / math.log2(5)
    ideal = 2 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(RANKED, RELEVANCE) == pytest.approx(dcg / ideal)


def test_reciprocal_rank_of_first_relevant():
    assert reciprocal_rank(RANKED, RELEVANCE) == 0.5


def test_relevance_beyond_the_cutoff_does_not_count():
    ranked = [f"x{i}" for i in range(10)] + ["b"]
    assert (recall_at_k(ranked, RELEVANCE), ndcg_at_k(ranked, RELEVANCE)) == (0.0, 0.0)


def test_needs_without_relevant_candidates_are_skipped():
    metrics = evaluate_rankings({"n1": RANKED, "n2": ["a"]}, {"n1": RELEVANCE, "n2": {"a": 0}})
    assert (metrics.needs, metrics.mrr) == (1, 0.5)


def test_metrics_line_has_the_agreed_format():
    metrics = evaluate_rankings({"n1": RANKED}, {"n1": RELEVANCE})
    assert metrics.line("bm25") == (
        f"bm25 recall@10=0.667 nDCG@10={metrics.ndcg:.3f} MRR=0.500 needs=1"
    )


def test_bm25_ranks_the_document_sharing_the_rare_term_first():
    index = Bm25Index(
        [
            "Logistics software for delivery fleets and delivery planning.",
            "Weld seam inspection with cameras on steel frames.",
            "Software for retail shops and delivery of parcels.",
        ]
    )
    assert int(np.argmax(index.scores("inspection of weld seams"))) == 1


def test_top_ids_orders_best_first_and_breaks_ties_by_position():
    assert top_ids(np.array([0.1, 0.9, 0.9, 0.5]), ["a", "b", "c", "d"], k=3) == ["b", "c", "d"]


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion(np.array([3.0, 2.0, 1.0]), np.array([1.0, 3.0, 2.0]))
    assert int(np.argmax(fused)) == 1


class _CountingEncoder:
    """A stand-in encoder passed as an argument: counts which texts it is asked for."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.array([[len(text), 1.0] for text in texts], dtype=np.float32)


def test_vector_cache_encodes_each_text_once_across_runs(tmp_path):
    encode = _CountingEncoder()
    VectorCache("demo", tmp_path).matrix(["alpha", "beta", "alpha"], encode)
    VectorCache("demo", tmp_path).matrix(["beta", "gamma"], encode)
    assert sorted(encode.seen) == ["alpha", "beta", "gamma"]


def test_vector_cache_is_keyed_by_encoder_name(tmp_path):
    encode = _CountingEncoder()
    VectorCache("one", tmp_path).matrix(["alpha"], encode)
    VectorCache("two", tmp_path).matrix(["alpha"], encode)
    assert encode.seen == ["alpha", "alpha"]


def _write_set(folder, *, with_qrels: bool = True) -> None:
    needs = [
        {"id": "n1", "text": "Automatic visual inspection of weld seams with cameras."},
        {
            "id": "n2",
            "text": "Prognose des Energieverbrauchs von Gebäuden mit maschinellem Lernen.",
        },
        {"id": "n3", "text": "A need nobody answered."},
    ]
    candidates = [
        {
            "id": "c1",
            "text": "Computer vision for weld seam inspection and defect detection. | "
            "Camera-based quality control of welded steel frames.",
            "org_type": "research_institute",
            "country": "DE",
        },
        {
            "id": "c2",
            "text": "Forecasting the energy demand of buildings with machine learning.",
            "org_type": "university",
            "sme": None,
        },
        {"id": "c3", "text": "Chatbots for retail customer service.", "org_type": "company"},
        {"id": "c4", "text": "Route planning for parcel delivery.", "org_type": "company"},
    ]
    qrels = [
        {"need_id": "n1", "candidate_id": "c1", "relevance": 2},
        {"need_id": "n2", "candidate_id": "c2", "relevance": 1},
    ]
    files = {"needs.jsonl": needs, "candidates.jsonl": candidates}
    if with_qrels:
        files["qrels.jsonl"] = qrels
    for name, rows in files.items():
        (folder / name).write_text(
            "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n",
            encoding="utf-8",
        )


def test_evaluate_matching_prints_exactly_three_lines(tmp_path):
    _write_set(tmp_path)
    out = StringIO()
    call_command("evaluate_matching", str(tmp_path), cache_dir=str(tmp_path / "cache"), stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == ["matcher", "bm25", "dense"]


def test_evaluate_matching_finds_both_relevant_candidates_first(tmp_path):
    """One English and one German need; the matcher puts each one's partner first."""
    _write_set(tmp_path)
    out = StringIO()
    call_command("evaluate_matching", str(tmp_path), cache_dir=str(tmp_path / "cache"), stdout=out)
    assert out.getvalue().splitlines()[0].endswith("MRR=1.000 needs=2")


def test_evaluate_matching_rejects_a_set_without_qrels(tmp_path):
    _write_set(tmp_path, with_qrels=False)
    with pytest.raises(CommandError, match="qrels.jsonl"):
        call_command("evaluate_matching", str(tmp_path), cache_dir=str(tmp_path / "cache"))
