"""Languages beyond German and English: detected with py3langid, stored on the posting,
indexed in their own text search configuration, matched by the multilingual encoder."""

import pytest

from matchmaking.languages import detect_language, search_configs, text_search_config
from matchmaking.models import Capability, Need
from matchmaking.search import PostingFilters, posting_search
from matchmaking.services import need_create
from matchmaking.suggestions import suggestion_list_for_need
from tests.factories import CapabilityFactory
from tests.matchmaking.suggestion_world import embed

FRENCH_NEED = {
    "title": "Contrôle visuel automatique des cordons de soudure",
    "description": (
        "Nous soudons des châssis en acier pour des machines agricoles et cherchons un "
        "contrôle visuel automatique des soudures. Les pores et les fissures doivent être "
        "détectés dans les images des caméras, directement sur la ligne de production."
    ),
    "trl": 6,
}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Wir suchen einen Partner für die Bilderkennung in der Produktion.", "de"),
        ("We are looking for a partner for image recognition in production.", "en"),
        ("Schweißnahtprüfung", "de"),
        (FRENCH_NEED["description"], "fr"),
        ("Cerchiamo un partner per la visione artificiale nella produzione.", "it"),
        ("Buscamos un socio para la visión artificial en la producción.", "es"),
        ("Wij zoeken een partner voor beeldherkenning in de productie.", "nl"),
        ("Szukamy partnera do rozpoznawania obrazów w produkcji.", "pl"),
        ("Hledáme partnera pro rozpoznávání obrazu ve výrobě.", "cs"),
        ("", "en"),
        ("   ", "en"),
    ],
)
def test_language_is_detected(text, language):
    assert detect_language(text) == language


def test_languages_without_a_postgres_configuration_use_simple():
    assert text_search_config("fr") == "french"
    assert text_search_config("pl") == "simple"
    assert search_configs("de") == ("english", "german")
    assert search_configs("cs") == ("english", "german", "simple")


@pytest.mark.django_db
def test_a_french_posting_is_stored_as_french_and_found_by_a_french_query(sme, alice):
    need = need_create(organisation=sme, author=alice, embed=False, **FRENCH_NEED)
    need.refresh_from_db()
    assert need.language == "fr"
    # "détection" and "détectés" only meet through the French stemmer.
    found = posting_search(model=Need, user=alice, filters=PostingFilters(q="détection"))
    assert [n.title for n in found] == [FRENCH_NEED["title"]]
    by_language = posting_search(model=Need, user=alice, filters=PostingFilters(language="fr"))
    assert list(by_language) == [need]


@pytest.mark.django_db
def test_a_changed_language_reindexes_the_posting(alice):
    """The trigger fires on a language change alone (e.g. migration 0005 re-detecting)."""
    capability = CapabilityFactory(
        title="Contrôle par vision", description=FRENCH_NEED["description"], language="en"
    )
    assert not posting_search(model=Capability, user=alice, filters=PostingFilters(q="détection"))
    Capability.objects.filter(id=capability.id).update(language="fr")
    found = posting_search(model=Capability, user=alice, filters=PostingFilters(q="détection"))
    assert [c.id for c in found] == [capability.id]


@pytest.mark.django_db
@pytest.mark.usefixtures("encoders")
def test_a_french_need_is_matched_with_the_english_weld_seam_capability(world, alice, sme):
    need = need_create(organisation=sme, author=alice, embed=False, **FRENCH_NEED)
    distractor = CapabilityFactory(
        title="Fraud detection in payments",
        description="Real-time detection of fraudulent card payments with graph methods.",
        techniques=[],
        domains=[],
    )
    embed(need, world["vision"], distractor)
    ranked = [s.target for s in suggestion_list_for_need(need=need, user=alice)]
    assert ranked[0] == world["vision"]
    assert ranked.index(world["vision"]) < ranked.index(distractor)
