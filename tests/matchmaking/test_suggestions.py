"""The suggestion service on hand-made worlds with the real encoders: ranking, languages,
visibility, sovereignty, feedback and reciprocal organisation matching."""

import pytest

from accounts.models import Visibility
from matchmaking.models import Posting
from matchmaking.suggestions import (
    organisation_suggestion_list,
    suggestion_list_for_capability,
    suggestion_list_for_need,
    suggestions_for_need,
)
from matchmaking.suggestions.feedback import suggestion_dismiss, suggestion_save
from tests.factories import CapabilityFactory, NeedFactory
from tests.matchmaking.suggestion_world import (
    VISION_CAPABILITY,
    WELD_NEED,
    embed,
    member_of,
    organisation,
    rank_all,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("encoders")]


def titles(suggestions) -> list[str]:
    return [s.target.title for s in suggestions]


def test_weld_seam_need_gets_the_vision_institute_first(world, alice):
    ranked = suggestion_list_for_need(need=world["need"], user=alice)
    assert titles(ranked)[0] == VISION_CAPABILITY["title"]
    assert set(titles(ranked)) == {
        VISION_CAPABILITY["title"],
        world["logistics"].title,
        world["speech"].title,
    }


def test_the_vision_institute_is_the_first_organisation_for_the_weld_seam_need(world, alice):
    found = suggestions_for_need(need=world["need"], user=alice)
    assert found.organisations[0].target == world["institute"]
    assert found.organisations[0].via[0].target == world["vision"]


def test_explanation_names_terms_distance_and_sentence_pair(world, alice):
    best = suggestion_list_for_need(need=world["need"], user=alice)[0]
    assert [t.code for t in best.shared_techniques] == ["computer_vision"]
    assert "manufacturing_quality" in [t.code for t in best.shared_domains]
    assert 60 < best.distance_km < 80  # Stuttgart to Karlsruhe region centroids
    assert "camera images" in best.sentence_pair.source
    assert "camera images" in best.sentence_pair.target
    assert {c.signal for c in best.contributions} >= {"techniques", "proximity", "trl", "kind"}
    assert best.reasons


def test_contributions_add_up_to_the_score(world, alice):
    best = suggestion_list_for_need(need=world["need"], user=alice)[0]
    assert sum(c.points for c in best.contributions) == pytest.approx(best.score)


def test_capability_gets_the_weld_seam_need(world, carol):
    vision = world["vision"]
    member = member_of(world["institute"], "vision@example.org")
    assert titles(suggestion_list_for_capability(capability=vision, user=member)) == [
        WELD_NEED["title"]
    ]


def test_own_organisations_postings_are_never_suggested(world, alice, sme):
    CapabilityFactory(organisation=sme, **VISION_CAPABILITY | {"title": "Our own vision cell"})
    assert "Our own vision cell" not in titles(
        suggestion_list_for_need(need=world["need"], user=alice)
    )


def test_closed_capabilities_are_not_suggested(world, alice):
    world["vision"].status = Posting.Status.CLOSED
    world["vision"].save()
    assert VISION_CAPABILITY["title"] not in titles(
        suggestion_list_for_need(need=world["need"], user=alice)
    )


# --- languages ---------------------------------------------------------------------------

GERMAN_WELD_NEED = {
    "title": "Automatische Sichtprüfung von Schweißnähten",
    "description": (
        "Wir schweißen Stahlrahmen für Landmaschinen und suchen eine automatische "
        "Sichtprüfung der Schweißnähte. Poren und Risse sollen direkt an der "
        "Fertigungslinie in Kamerabildern erkannt werden."
    ),
    "language": "de",
    "trl": 6,
    "techniques": [],
    "domains": [],
}
ENGLISH_DISTRACTORS = [
    ("Chatbots for public administration", "Assistants that answer citizens' questions."),
    ("Crop yield forecasting", "We estimate wheat and maize harvests from satellite images."),
    ("Fraud detection in payments", "Real-time detection of fraudulent card payments."),
]


def test_german_need_ranks_the_matching_english_capability_in_the_top_3(world, alice, sme):
    need = NeedFactory(organisation=sme, **GERMAN_WELD_NEED)
    others = [
        CapabilityFactory(title=t, description=d, techniques=[], domains=[])
        for t, d in ENGLISH_DISTRACTORS
    ]
    world["vision"].techniques, world["vision"].domains = [], []
    world["vision"].save()
    embed(need, world["vision"], *others)
    assert VISION_CAPABILITY["title"] in titles(suggestion_list_for_need(need=need, user=alice))[:3]


def test_german_need_prefers_a_matching_english_capability_over_an_unrelated_german_one(
    world, alice, sme
):
    need = NeedFactory(organisation=sme, **GERMAN_WELD_NEED)
    german = CapabilityFactory(
        title="Griff-in-die-Kiste: Roboter greifen ungeordnete Bauteile",
        description=(
            "Unser Verfahren erkennt ungeordnete Bauteile in Kisten mit einer 3D-Kamera und "
            "plant den Griff des Roboters. Wir haben das in der Montage von Elektromotoren "
            "und bei der Maschinenbestückung erprobt."
        ),
        language="de",
        techniques=[],
        domains=[],
    )
    world["vision"].techniques, world["vision"].domains = [], []
    world["vision"].save()
    embed(need, german, world["vision"])
    ranked = titles(suggestion_list_for_need(need=need, user=alice))
    assert ranked.index(VISION_CAPABILITY["title"]) < ranked.index(german.title)


ENGLISH_NEED_DISTRACTORS = [
    ("Chatbot for our citizens' office", "Answer citizens' questions about permits online."),
    ("Forecasting our crop yields", "Estimate wheat and maize harvests from satellite images."),
    ("Detecting card fraud", "Flag fraudulent card payments in real time."),
    ("Route planning for our vans", "Optimise delivery routes for our fleet of vans."),
]


def test_english_capability_ranks_the_matching_german_need_first(world, sme):
    """The reverse direction across languages: the vision institute sees the German
    machine builder's weld-seam need before unrelated English needs."""
    german = NeedFactory(organisation=sme, **GERMAN_WELD_NEED)
    world["need"].status = Posting.Status.CLOSED
    world["need"].save()
    others = [
        NeedFactory(title=t, description=d, techniques=[], domains=[])
        for t, d in ENGLISH_NEED_DISTRACTORS
    ]
    world["vision"].techniques, world["vision"].domains = [], []
    world["vision"].save()
    embed(german, world["vision"], *others)
    member = member_of(world["institute"], "vision@example.org")
    needs = [
        s.target for s in suggestion_list_for_capability(capability=world["vision"], user=member)
    ]
    assert needs[0] == german


ENGLISH_MAINTENANCE_NEED = {
    "title": "Predicting failures of our CNC milling machines",
    "description": (
        "Our CNC milling machines fail unexpectedly. We want to predict spindle and bearing "
        "failures from vibration and motor current data before they happen."
    ),
    "trl": 5,
    "techniques": [],
    "domains": [],
}
GERMAN_CAPABILITIES = [
    (
        "Vorausschauende Wartung für Werkzeugmaschinen",
        "Wir analysieren Schwingungs- und Stromdaten von Fräsmaschinen und Spindeln mit "
        "maschinellem Lernen und sagen Lagerschäden voraus, bevor die Maschine ausfällt.",
    ),
    (
        "Chatbots für die öffentliche Verwaltung",
        "Wir entwickeln Sprachassistenten, die Bürgeranfragen in Behörden beantworten.",
    ),
    (
        "Ertragsprognosen in der Landwirtschaft",
        "Aus Satellitenbildern und Wetterdaten schätzen wir die Ernte von Weizen und Mais.",
    ),
    (
        "Betrugserkennung im Zahlungsverkehr",
        "Wir erkennen betrügerische Kreditkartenzahlungen in Echtzeit mit Graph-Methoden.",
    ),
]


def test_english_need_ranks_the_matching_german_capability_in_the_top_3(sme, alice):
    need = NeedFactory(organisation=sme, **ENGLISH_MAINTENANCE_NEED)
    capabilities = [
        CapabilityFactory(title=t, description=d, language="de", techniques=[], domains=[])
        for t, d in GERMAN_CAPABILITIES
    ]
    embed(need, *capabilities)
    ranked = titles(suggestion_list_for_need(need=need, user=alice))
    assert GERMAN_CAPABILITIES[0][0] in ranked[:3]


def test_german_capability_ranks_the_matching_english_need_first(sme, carol):
    """The reverse direction the other way round: a German predictive-maintenance offer
    sees the English CNC need before unrelated English needs."""
    institute = carol.memberships.get().organisation
    capability = CapabilityFactory(
        organisation=institute,
        title=GERMAN_CAPABILITIES[0][0],
        description=GERMAN_CAPABILITIES[0][1],
        language="de",
        techniques=[],
        domains=[],
    )
    need = NeedFactory(organisation=sme, **ENGLISH_MAINTENANCE_NEED)
    others = [
        NeedFactory(title=t, description=d, techniques=[], domains=[])
        for t, d in ENGLISH_NEED_DISTRACTORS
    ]
    embed(capability, need, *others)
    needs = [s.target for s in suggestion_list_for_capability(capability=capability, user=carol)]
    assert needs[0] == need


# --- feedback ----------------------------------------------------------------------------


def test_dismissed_suggestion_disappears_for_that_user(world, alice):
    suggestion_dismiss(user=alice, source=world["need"], target=world["vision"], reason="known")
    assert VISION_CAPABILITY["title"] not in titles(
        suggestion_list_for_need(need=world["need"], user=alice)
    )


def test_dismissed_suggestion_stays_for_a_colleague(world, alice, bob):
    suggestion_dismiss(user=alice, source=world["need"], target=world["vision"])
    assert (
        titles(suggestion_list_for_need(need=world["need"], user=bob))[0]
        == (VISION_CAPABILITY["title"])
    )


def test_dismissed_organisation_disappears_from_the_organisations_of_a_need(world, alice):
    suggestion_dismiss(user=alice, source=world["need"], target=world["institute"])
    found = suggestions_for_need(need=world["need"], user=alice)
    assert world["institute"] not in [s.target for s in found.organisations]


def test_saved_capability_lifts_similar_ones_for_that_user(world, alice, bob, sme):
    suggestion_save(user=alice, source=world["need"], target=world["vision"])
    second = CapabilityFactory(
        organisation=world["institute"],
        title="Surface defect detection for castings",
        description="Camera-based detection of surface defects on castings.",
    )
    need = NeedFactory(organisation=sme, title="Inspecting castings", description="Castings.")
    embed(second, need)

    def feedback_points(user) -> float:
        suggestion = next(
            s for s in suggestion_list_for_need(need=need, user=user) if s.target == second
        )
        return next(c.points for c in suggestion.contributions if c.signal == "feedback")

    assert feedback_points(alice) > 0
    assert feedback_points(bob) == 0


def test_saved_suggestion_is_marked_saved(world, alice):
    suggestion_save(user=alice, source=world["need"], target=world["vision"])
    best = suggestion_list_for_need(need=world["need"], user=alice)[0]
    assert best.saved


# --- visibility and sovereignty ----------------------------------------------------------


def test_hidden_capability_never_appears_in_anyone_elses_suggestions(world, alice):
    world["vision"].visibility = Visibility.HIDDEN
    world["vision"].save()
    found = suggestions_for_need(need=world["need"], user=alice)
    assert VISION_CAPABILITY["title"] not in titles(found.capabilities)
    assert all(world["vision"] not in [v.target for v in s.via] for s in found.organisations)


def test_capability_of_a_hidden_organisation_never_appears(world, alice):
    world["institute"].visibility = Visibility.HIDDEN
    world["institute"].save()
    found = suggestions_for_need(need=world["need"], user=alice)
    assert VISION_CAPABILITY["title"] not in titles(found.capabilities)
    assert world["institute"] not in [s.target for s in found.organisations]


def test_hidden_need_never_appears_for_a_capability_of_another_organisation(world):
    world["need"].visibility = Visibility.HIDDEN
    world["need"].save()
    member = member_of(world["institute"], "vision@example.org")
    assert suggestion_list_for_capability(capability=world["vision"], user=member) == []


def test_members_only_capability_is_suggested_to_signed_in_members(world, alice):
    world["vision"].visibility = Visibility.MEMBERS
    world["vision"].save()
    assert (
        titles(suggestion_list_for_need(need=world["need"], user=alice))[0]
        == (VISION_CAPABILITY["title"])
    )


def test_need_requiring_on_premises_ranks_offered_above_not_stated_and_drops_excluded(world, alice):
    world["need"].sovereignty = ["on_premises"]
    world["need"].save()
    ticked = CapabilityFactory(
        organisation=world["startup"],
        title="Weld inspection appliance",
        description="An appliance for optical inspection of weld seams in camera images.",
        sovereignty=["on_premises", "eu_hosted"],
    )
    stated = CapabilityFactory(
        organisation=world["far"],
        title="Weld seam defect detection, deployed on-premises",
        description="Cracks and pores in camera images of weld seams; deployed on-premises.",
    )
    cloud = CapabilityFactory(
        title="Weld seam inspection as a service",
        description="Upload camera images of weld seams; a cloud-only SaaS service finds pores.",
    )
    embed(ticked, stated, cloud)
    found = suggestions_for_need(need=world["need"], user=alice)
    ranked = titles(found.capabilities)
    assert cloud.title not in ranked
    assert VISION_CAPABILITY["title"] in ranked
    unstated = ranked.index(VISION_CAPABILITY["title"])
    assert ranked.index(ticked.title) < unstated
    assert ranked.index(stated.title) < unstated
    vision = found.capabilities[unstated]
    caveat = "requires On-premises, which the capability does not state"
    assert any(caveat in reason for reason in vision.reasons)


def test_capability_owner_is_told_which_need_requires_what_they_have_not_declared(world):
    world["need"].sovereignty = ["on_premises"]
    world["need"].save()
    rank_all()  # what the worker does after the save
    member = member_of(world["institute"], "vision@example.org")
    needs = suggestion_list_for_capability(capability=world["vision"], user=member)
    assert [s.target for s in needs] == [world["need"]]
    assert "requires On-premises, which the capability does not state" in needs[0].reasons[-1]


def test_postings_without_embeddings_are_matched_by_full_text_and_signals(sme, alice):
    need = NeedFactory(organisation=sme, **WELD_NEED)
    vision = CapabilityFactory(**VISION_CAPABILITY)
    CapabilityFactory(
        title="Route optimisation", description="Delivery routes.", techniques=[], domains=[]
    )
    rank_all()  # what the worker does when embedding is off or failed
    ranked = suggestion_list_for_need(need=need, user=alice)
    assert ranked[0].target == vision
    assert all(
        not c.signal.startswith(("english", "multilingual")) or c.points == 0
        for c in ranked[0].contributions
    )


# --- organisations -----------------------------------------------------------------------


def test_reciprocal_partner_ranks_above_a_one_way_partner(world, alice, sme):
    welding = CapabilityFactory(
        organisation=sme,
        title="Welded steel test specimens and weld seam samples",
        description=(
            "We produce welded steel frames and can supply weld seam samples with real "
            "pores and cracks, photographed on our production line."
        ),
        techniques=[],
        domains=["manufacturing_quality"],
    )
    data_need = NeedFactory(
        organisation=world["institute"],
        title="Weld seam samples with real defects",
        description=(
            "To train our defect detection models we need real weld seam samples with pores "
            "and cracks, and images of them from a production line."
        ),
        trl=4,
    )
    one_way = organisation("Vision Startup Karlsruhe", "startup", "DE12")
    one_way_capability = CapabilityFactory(organisation=one_way, **VISION_CAPABILITY)
    embed(welding, data_need, one_way_capability)
    partners = [s.target for s in organisation_suggestion_list(organisation=sme, user=alice)]
    assert partners.index(world["institute"]) < partners.index(one_way)


def test_reciprocal_suggestion_explains_both_directions(world, alice, sme):
    welding = CapabilityFactory(
        organisation=sme,
        title="Weld seam samples",
        description="We supply weld seam samples with real pores and cracks.",
    )
    data_need = NeedFactory(
        organisation=world["institute"],
        title="Weld seam samples with real defects",
        description="We need weld seam samples with pores and cracks to train our models.",
    )
    embed(welding, data_need)
    best = organisation_suggestion_list(organisation=sme, user=alice)[0]
    assert best.target == world["institute"]
    assert [(v.source, v.target) for v in best.via] == [
        (world["need"], world["vision"]),
        (welding, data_need),
    ]
    assert {c.signal for c in best.contributions if c.points > 0} == {
        "forward",
        "backward",
        "reciprocal",
    }


def test_dismissed_partner_organisation_disappears(world, alice, sme):
    suggestion_dismiss(user=alice, source=sme, target=world["institute"])
    partners = [s.target for s in organisation_suggestion_list(organisation=sme, user=alice)]
    assert world["institute"] not in partners
