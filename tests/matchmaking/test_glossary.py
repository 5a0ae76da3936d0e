"""The glossary is pure: these tests need no database."""

import pytest

from matchmaking.glossary import (
    glossary_entries,
    glossary_expand_query,
    glossary_matches,
    glossary_query_parts,
    glossary_tags,
)
from matchmaking.taxonomy import Domain, Technique


def test_glossary_has_at_least_150_entries():
    assert len(glossary_entries()) >= 150


def test_every_glossary_code_exists_in_the_taxonomy():
    techniques = {e for entry in glossary_entries() for e in entry.techniques}
    domains = {d for entry in glossary_entries() for d in entry.domains}
    assert techniques <= set(Technique.values)
    assert domains <= set(Domain.values)


def test_every_technique_and_domain_is_reachable_from_the_glossary():
    techniques = {e for entry in glossary_entries() for e in entry.techniques}
    domains = {d for entry in glossary_entries() for d in entry.domains}
    assert (set(Technique.values) - techniques, set(Domain.values) - domains) == (set(), set())


def test_canonical_phrases_are_unique():
    canonicals = [entry.canonical for entry in glossary_entries()]
    assert len(canonicals) == len(set(canonicals))


def test_german_compound_maps_to_the_english_canonical_phrase():
    techniques, domains, terms = glossary_tags("Automatische Schweißnahtprüfung")
    assert terms == ["weld seam inspection"]
    assert Technique.COMPUTER_VISION in techniques
    assert Domain.MANUFACTURING_QUALITY in domains


def test_english_and_german_texts_share_the_canonical_term():
    english = glossary_tags("Visual inspection of weld seams on steel frames")[2]
    german = glossary_tags("Sichtprüfung von Schweißnähten")[2]
    assert "visual inspection" in set(english) & set(german)


def test_longest_match_wins_over_its_parts():
    terms = glossary_tags("Schweißnahtprüfung")[2]
    assert "weld seam" not in terms


def test_compound_part_is_found_inside_an_unlisted_compound():
    techniques, _, terms = glossary_tags("Robuste Objekterkennungssysteme für Lager")
    assert "object detection" in terms
    assert Technique.COMPUTER_VISION in techniques


def test_matching_ignores_case_and_umlaut_spelling():
    assert glossary_tags("KRANKENHÄUSER")[1] == {Domain.HEALTH}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vorausschauende Wartung", Technique.PREDICTIVE_MAINTENANCE),
        ("vorausschauenden Wartung", Technique.PREDICTIVE_MAINTENANCE),
        ("Bilderkennung", Technique.COMPUTER_VISION),
        ("ein Sprachmodell", Technique.NLP),
        ("Prognose des Absatzes", Technique.FORECASTING),
        ("predictive maintenance", Technique.PREDICTIVE_MAINTENANCE),
        ("IoT sensors at the edge", Technique.EDGE_AI),
    ],
)
def test_techniques_are_recognised_in_both_languages(text, expected):
    assert expected in glossary_tags(text)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lieferkette", Domain.LOGISTICS),
        ("supply chain", Domain.LOGISTICS),
        ("Krankenhaus", Domain.HEALTH),
        ("Landwirtschaft", Domain.AGRICULTURE),
        ("agriculture", Domain.AGRICULTURE),
    ],
)
def test_domains_are_recognised_in_both_languages(text, expected):
    assert expected in glossary_tags(text)[1]


@pytest.mark.parametrize(
    "text",
    [
        "Wir haben hohe Erwartungen an das Projekt",  # Erwartung contains "wartung"
        "Beispiele aus der Datenbank",  # "spiele", "bank"
        "Die Abbildung zeigt das Ergebnis",  # "bildung"
        "random forest trained on the median value",  # "forest", "train", "media"
        "Strömungssimulation",  # "strom"
    ],
)
def test_tiny_or_embedded_substrings_do_not_match(text):
    techniques, domains, _ = glossary_tags(text)
    assert (techniques, domains) == (set(), set())


def test_short_terms_match_only_whole_words():
    assert glossary_tags("Einsatz von KI")[2] == []
    assert glossary_tags("Kiosk")[2] == []
    assert "internet of things" in glossary_tags("IoT-Plattform")[2]


def test_generic_terms_are_not_reported_as_shared_terms():
    assert glossary_tags("artificial intelligence and machine learning") == (set(), set(), [])


def test_terms_are_reported_once_in_reading_order():
    terms = glossary_tags("Krankenhaus logistics, hospital logistics")[2]
    assert terms == ["hospital", "logistics"]


def test_expanded_german_query_contains_the_english_canonical_phrase():
    expanded = glossary_expand_query("Schweißnahtprüfung")
    assert expanded.startswith("Schweißnahtprüfung or ")
    assert " or weld seam inspection" in expanded


def test_expanded_english_query_contains_the_german_term():
    assert " or vorausschauend wartung" in glossary_expand_query("predictive maintenance")


def test_query_without_glossary_terms_is_left_alone():
    assert glossary_expand_query("Zahnrad Getriebe") == "Zahnrad Getriebe"


def test_unbalanced_quote_cannot_swallow_the_expansion():
    assert '"' not in glossary_expand_query('"Bilderkennung')


def test_empty_query_expands_to_empty():
    assert glossary_expand_query("  ") == ""


def test_query_parts_separate_terms_from_the_rest():
    parts = glossary_query_parts("Bilderkennung für Zahnräder -Klinik")
    assert parts.rest == "für Zahnräder -Klinik"
    assert parts.groups[0][:2] == ("Bilderkennung", "image recognition")


def test_query_parts_keep_quoted_and_negated_terms_for_the_user_syntax():
    parts = glossary_query_parts('"Bilderkennung im Lager" -Prognose')
    assert (parts.rest, parts.groups) == ('"Bilderkennung im Lager" -Prognose', ())


def test_query_parts_cover_the_whole_compound_the_term_sits_in():
    parts = glossary_query_parts("Objekterkennungssysteme")
    assert (parts.rest, parts.groups[0][0]) == ("", "Objekterkennungssysteme")


def test_match_positions_refer_to_the_original_text_even_with_sharp_s():
    text = "Straße: Schweißnahtprüfung"
    [match] = glossary_matches(text)
    assert text[match.start : match.end] == "Schweißnahtprüfung"


def test_of_two_terms_covering_the_same_word_the_longer_one_counts():
    assert glossary_tags("Bilderkennung")[2] == ["image recognition"]


def test_data_quality_is_not_manufacturing_quality():
    assert Domain.MANUFACTURING_QUALITY not in glossary_tags("Datenqualität verbessern")[1]
