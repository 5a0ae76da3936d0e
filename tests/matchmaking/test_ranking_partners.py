"""The past-partners signal: pseudo-relevance feedback over the collaboration network
(ranking.partner_values), pure, then on the site in both directions and across German
and English (the real encoders, the real database)."""

import math

import numpy as np
import pytest

from accounts.models import Organisation
from matchmaking import ranking
from matchmaking.network import graph as network
from matchmaking.network import services
from matchmaking.ranking import CandidateSignals
from matchmaking.suggestions.postings import rank_postings
from tests.factories import CapabilityFactory, NeedFactory
from tests.matchmaking.suggestion_world import embed, member_of, organisation

TWO_PARTY = 1 / math.log(3)  # one shared record of two members


def _ties(size: int, pairs: dict[tuple[int, int], float]) -> np.ndarray:
    ties = np.zeros((size, size))
    for (a, b), value in pairs.items():
        ties[a, b] = ties[b, a] = value
    return ties


def test_partner_values_count_ties_with_the_best_first_pass_matches_only():
    size = ranking.PARTNER_SEEDS + 3
    first_pass = np.arange(size, 0, -1, dtype=float)  # candidate 0 best, last worst
    outsider, partner_of_seed, partner_of_outsider = size - 1, size - 2, size - 3
    ties = _ties(
        size, {(0, partner_of_seed): 0.5, (1, 2): 0.3, (outsider, partner_of_outsider): 0.9}
    )
    values = ranking.partner_values(first_pass, ties)
    assert values[partner_of_seed] == pytest.approx(math.log1p(0.5))
    assert values[1] == values[2] == pytest.approx(math.log1p(0.3))  # seeds lift each other
    assert values[partner_of_outsider] == 0.0  # its partner is no seed
    assert values[outsider] == 0.0


def test_partner_values_sparse_and_dense_agree():
    from scipy import sparse

    first_pass = np.array([3.0, 2.0, 1.0])
    ties = _ties(3, {(0, 2): 0.4})
    assert np.allclose(
        ranking.partner_values(first_pass, ties),
        ranking.partner_values(first_pass, sparse.csr_matrix(ties)),
    )


def _pool() -> list[CandidateSignals]:
    """Three equally plausible candidates after the best one; only the partner differs."""
    best = CandidateSignals(candidate_id="best", dense={ranking.ENGLISH_WHOLE: 0.6})
    others = [
        CandidateSignals(candidate_id=name, dense={ranking.ENGLISH_WHOLE: 0.2})
        for name in ("stranger", "partner", "other")
    ]
    return [best, *others]


def test_a_past_partner_of_the_best_match_moves_up_with_its_reason():
    pool = _pool()
    without = [match.candidate_id for match in ranking.rank_candidates(pool)]
    assert without[1] == "stranger"  # equal scores: the given order
    ranked = ranking.rank_candidates(pool, ties=_ties(4, {(0, 2): TWO_PARTY}))
    assert [match.candidate_id for match in ranked][:2] == ["best", "partner"]
    partner = ranked[1]
    assert partner.contributions[ranking.PARTNERS] == pytest.approx(
        ranking.WEIGHTS.partners * math.log1p(TWO_PARTY)
    )
    assert "Has worked before with organisations among the best matches." in partner.reasons
    assert ranked[2].contributions[ranking.PARTNERS] == 0.0


def test_strength_does_not_depend_on_the_pool_s_partners():
    """A pair shows the same strength on the need's page and the capability's, whatever
    the best matches of either pool are."""
    pool = _pool()
    plain = {m.candidate_id: m.strength for m in ranking.rank_candidates(pool)}
    tied = ranking.rank_candidates(pool, ties=_ties(4, {(0, 2): TWO_PARTY}))
    assert {m.candidate_id: m.strength for m in tied} == plain


def test_the_evaluation_fusion_adds_the_same_partner_points_as_the_site():
    pool = _pool()
    ties = _ties(4, {(0, 2): TWO_PARTY, (1, 3): 0.7})
    site = {m.candidate_id: m.score for m in ranking.rank_candidates(pool, ties=ties)}
    columns = {
        name: np.array([c.similarities()[name] for c in pool]) for name in ranking.SIMILARITIES
    }
    structured = {
        name: np.array([c.structured()[name] for c in pool])
        for name in ranking.STRUCTURED
        if name != ranking.PARTNERS
    }
    offline = ranking.fuse(columns, structured, cross_language=False, ties=ties)
    assert [site[c.candidate_id] for c in pool] == pytest.approx(list(offline))


def test_dropped_candidates_leave_the_ties_of_the_others_in_place():
    pool = _pool()
    pool[1] = CandidateSignals(
        candidate_id="stranger", dense={ranking.ENGLISH_WHOLE: 0.9}, sovereignty_satisfied=False
    )
    ranked = ranking.rank_candidates(pool, ties=_ties(4, {(0, 2): TWO_PARTY}))
    assert [match.candidate_id for match in ranked] == ["best", "partner", "other"]


def test_graph_ties_weigh_small_records_more_and_ignore_self_and_strangers():
    graph = network.CollaborationGraph(
        [
            network.Collaboration(key="pair", members=("a", "b")),
            network.Collaboration(key="big", members=("a", "c", "d", "e")),
        ],
        nodes=["a", "b", "c", "d", "e", "lonely"],
    )
    ties = graph.ties_between(["a", "b", "c", "a", "unknown", "lonely"])
    assert ties[0, 1] == pytest.approx(1 / math.log(3))
    assert ties[0, 2] == pytest.approx(1 / math.log(5))
    assert ties[0, 3] == 0.0  # two postings of one organisation
    assert not ties[4].any()
    assert not ties[5].any()
    assert np.allclose(ties, ties.T)


# ---------------------------------------------------------------------------- on the site

WELD_NEED_DE = (
    "Automatische Prüfung von Schweißnähten",
    "Unsere Schweißerei fertigt Stahlrahmen und möchte mit Kameras und maschinellem Lernen "
    "Poren und Risse in Schweißnähten direkt an der Linie erkennen.",
)
WELD_CAPABILITY_EN = (
    "Computer vision for weld seam inspection",
    "We build deep learning models that find pores and cracks in weld seams from camera "
    "images, deployed on the production line.",
)
# Two unrelated postings of the same kind: one organisation worked with the weld side.
FARMING_EN = (
    "Yield forecasting for vineyards",
    "Satellite images and weather data predict grape yields for wine growers.",
)
TOURISM_EN = (
    "Booking assistant for holiday flats",
    "A chatbot answers guests' questions about arrival, keys and local restaurants.",
)

VINEYARD_DE = (
    "Ertragsprognose für Weinberge",
    "Satellitenbilder und Wetterdaten sollen die Traubenernte vorhersagen.",
)
FLATS_DE = (
    "Buchungsassistent für Ferienwohnungen",
    "Ein Chatbot beantwortet Fragen der Gäste zu Anreise und Schlüsseln.",
)


# The two sides of the weld-seam match, as `_world` specs.
WELDER = ("Stahlbau Muster", Organisation.Kind.SME, "DE21", NeedFactory, WELD_NEED_DE)
VISION = (
    "Vision Institute",
    Organisation.Kind.RESEARCH_INSTITUTE,
    "DE11",
    CapabilityFactory,
    WELD_CAPABILITY_EN,
)


@pytest.fixture
def viewer(db):
    return member_of(organisation("Viewer GmbH", Organisation.Kind.SME, "DE21"), "v@example.org")


def _worked_together(a: Organisation, b: Organisation) -> None:
    services.past_project_create(
        organisation=a, title="Shared line", acronym="SHARED", year=2018, partners=[b]
    )


def _world(*specs) -> list[tuple[Organisation, object]]:
    """One organisation with one posting per spec (name, kind, region, factory, text)."""
    world = []
    for name, kind, region, factory, (title, description) in specs:
        owner = organisation(name, kind, region)
        world.append((owner, factory(organisation=owner, title=title, description=description)))
    return world


def _points(suggestions, target) -> float:
    [found] = [s for s in suggestions if s.target == target]
    return {c.signal: c.points for c in found.contributions}[ranking.PARTNERS]


AGRI = ("Agri Data", Organisation.Kind.STARTUP, "AT13", CapabilityFactory, FARMING_EN)
HOLIDAY = ("Holiday Bots", Organisation.Kind.STARTUP, "AT13", CapabilityFactory, TOURISM_EN)
VINEYARD = ("Weingut Berg", Organisation.Kind.SME, "DE21", NeedFactory, VINEYARD_DE)
FLATS = ("Ferienwohnungen Alpen", Organisation.Kind.SME, "DE21", NeedFactory, FLATS_DE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "specs",
    [(WELDER, VISION, AGRI, HOLIDAY), (VISION, WELDER, VINEYARD, FLATS)],
    ids=["German need, English capabilities", "English capability, German needs"],
)
def test_past_partner_of_the_best_match_is_lifted_across_languages(viewer, specs):
    """Source, its best match, an unrelated posting of the best match's future partner and
    an unrelated stranger's: once the two organisations worked together, the partner's
    posting gains the partner points and ranks above the stranger's, which gains nothing."""
    (_owner, source), (best_owner, best), (partner_owner, partner), (_other, stranger) = _world(
        *specs
    )
    embed(source, best, partner, stranger)
    before = rank_postings(sources=[source], user=viewer).by_source[source.id]
    assert before[0].target == best
    assert _points(before, partner) == 0.0
    _worked_together(best_owner, partner_owner)
    after = rank_postings(sources=[source], user=viewer).by_source[source.id]
    assert after[0].target == best
    assert _points(after, partner) == pytest.approx(
        ranking.WEIGHTS.partners * math.log1p(TWO_PARTY)
    )
    assert _points(after, stranger) == 0.0
    ranks = {s.target: s.rank for s in after}
    assert ranks[partner] < ranks[stranger]
