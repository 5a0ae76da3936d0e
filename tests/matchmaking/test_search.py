"""Marketplace search against the real full-text index (trigger-maintained search_vector)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Organisation, Region, Visibility
from matchmaking.models import Capability, Need
from matchmaking.search import PostingFilters, posting_search
from matchmaking.services import need_create
from matchmaking.taxonomy import CollaborationType, Domain, Technique
from tests.factories import CapabilityFactory, NeedFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def titles(model, user, **filters):
    found = posting_search(model=model, user=user, filters=PostingFilters(**filters))
    return [posting.title for posting in found]


def test_german_query_finds_english_capability_through_the_glossary(alice):
    CapabilityFactory(
        title="Weld seam inspection with deep learning",
        description="Our cameras check weld seams on steel parts in real time.",
    )
    CapabilityFactory(title="Speech assistant", description="Voice control for call centres.")
    assert titles(Capability, alice, q="Schweißnahtprüfung") == [
        "Weld seam inspection with deep learning"
    ]


def test_english_query_finds_german_posting_through_the_glossary(alice, carol):
    NeedFactory(
        title="Vorausschauende Wartung für Pumpen",
        description="Wir wollen Ausfälle unserer Pumpen früh erkennen.",
    )
    NeedFactory(title="Chatbot für den Kundenservice", description="Fragen beantworten.")
    assert titles(Need, carol, q="predictive maintenance") == ["Vorausschauende Wartung für Pumpen"]


def test_query_without_glossary_terms_still_uses_stemming_in_both_languages(alice):
    NeedFactory(title="Getriebe prüfen", description="Zahnräder werden vermessen.")
    assert titles(Need, alice, q="Zahnrad") == ["Getriebe prüfen"]


def test_better_text_match_ranks_first(alice):
    NeedFactory(title="Logistics dashboard", description="Also some image recognition.")
    NeedFactory(title="Image recognition", description="Image recognition for pallets.")
    assert titles(Need, alice, q="image recognition")[0] == "Image recognition"


def test_hidden_posting_is_never_found_by_outsiders(sme, carol):
    NeedFactory(organisation=sme, title="Geheime Bilderkennung", visibility=Visibility.HIDDEN)
    assert titles(Need, carol, q="Bilderkennung") == []
    assert titles(Need, AnonymousUser(), q="Bilderkennung") == []


def test_posting_of_hidden_organisation_is_never_found_by_outsiders(carol):
    hidden = OrganisationFactory(visibility=Visibility.HIDDEN)
    NeedFactory(organisation=hidden, title="Bilderkennung im Lager")
    assert titles(Need, carol, q="Bilderkennung") == []


def test_members_find_their_own_hidden_posting(sme, alice):
    NeedFactory(organisation=sme, title="Geheime Bilderkennung", visibility=Visibility.HIDDEN)
    assert titles(Need, alice, q="Bilderkennung") == ["Geheime Bilderkennung"]


def test_members_only_posting_is_not_found_anonymously(carol):
    NeedFactory(title="Bilderkennung für Mitglieder", visibility=Visibility.MEMBERS)
    assert titles(Need, AnonymousUser(), q="Bilderkennung") == []
    assert titles(Need, carol, q="Bilderkennung") == ["Bilderkennung für Mitglieder"]


def test_closed_postings_are_left_out_by_default(alice):
    NeedFactory(title="Open one")
    NeedFactory(title="Closed one", status=Need.Status.CLOSED)
    assert titles(Need, alice) == ["Open one"]


def test_status_filter_can_show_closed_postings(alice):
    NeedFactory(title="Open one")
    NeedFactory(title="Closed one", status=Need.Status.CLOSED)
    assert titles(Need, alice, status=Need.Status.CLOSED) == ["Closed one"]
    assert sorted(titles(Need, alice, status="")) == ["Closed one", "Open one"]


def test_organisation_kind_filter_narrows(alice):
    CapabilityFactory(title="From an institute")
    CapabilityFactory(
        title="From a startup", organisation=OrganisationFactory(kind=Organisation.Kind.STARTUP)
    )
    assert titles(Capability, alice, organisation_kinds=(Organisation.Kind.STARTUP,)) == [
        "From a startup"
    ]


def test_country_filter_narrows(alice):
    NeedFactory(title="German", organisation=OrganisationFactory(country="DE"))
    NeedFactory(title="Austrian", organisation=OrganisationFactory(country="AT"))
    assert titles(Need, alice, country="AT") == ["Austrian"]


def test_region_filter_narrows(alice):
    stuttgart, _ = Region.objects.get_or_create(
        code="DE11",
        defaults={"name": "Stuttgart", "country": "DE", "latitude": 48.7, "longitude": 9.2},
    )
    NeedFactory(title="Swabian", organisation=OrganisationFactory(region=stuttgart))
    NeedFactory(title="Elsewhere")
    assert titles(Need, alice, region="DE11") == ["Swabian"]


def test_technique_filter_matches_any_chosen_technique(alice):
    NeedFactory(title="Vision", techniques=[Technique.COMPUTER_VISION])
    NeedFactory(title="Forecast", techniques=[Technique.FORECASTING])
    NeedFactory(title="Robots", techniques=[Technique.ROBOTICS])
    found = titles(Need, alice, techniques=(Technique.FORECASTING, Technique.ROBOTICS))
    assert sorted(found) == ["Forecast", "Robots"]


def test_domain_filter_narrows(alice):
    NeedFactory(title="Clinic", domains=[Domain.HEALTH])
    NeedFactory(title="Factory", domains=[Domain.PRODUCTION])
    assert titles(Need, alice, domains=(Domain.HEALTH,)) == ["Clinic"]


def test_collaboration_type_filter_narrows(alice):
    NeedFactory(title="Pilot", collaboration_types=[CollaborationType.PILOT])
    NeedFactory(title="Licence", collaboration_types=[CollaborationType.LICENSING])
    assert titles(Need, alice, collaboration_types=(CollaborationType.PILOT,)) == ["Pilot"]


def test_trl_range_filter_narrows(alice):
    for trl in (2, 5, 8):
        CapabilityFactory(title=f"TRL {trl}", trl=trl)
    assert titles(Capability, alice, trl_min=4, trl_max=6) == ["TRL 5"]


def test_language_filter_narrows(sme, alice):
    need_create(
        organisation=sme,
        author=alice,
        title="Prognose der Nachfrage",
        description="Wir wollen den Absatz unserer Produkte vorhersagen.",
        trl=4,
    )
    need_create(
        organisation=sme,
        author=alice,
        title="Demand forecasting",
        description="We want to predict the sales of our products.",
        trl=4,
    )
    assert titles(Need, alice, language="de") == ["Prognose der Nachfrage"]


def test_filters_combine_with_the_text_query(alice):
    NeedFactory(title="Bilderkennung", domains=[Domain.HEALTH])
    NeedFactory(title="Bilderkennung", domains=[Domain.PRODUCTION], trl=3)
    NeedFactory(title="Bilderkennung", domains=[Domain.PRODUCTION], trl=7)
    found = posting_search(
        model=Need,
        user=alice,
        filters=PostingFilters(q="image recognition", domains=(Domain.PRODUCTION,), trl_min=5),
    )
    assert [(n.domains, n.trl) for n in found] == [([Domain.PRODUCTION], 7)]


def test_query_of_only_punctuation_finds_nothing_and_does_not_fail(alice):
    NeedFactory(title="Anything")
    assert titles(Need, alice, q='"() :*') == []


def test_negated_word_excludes_postings_containing_it(alice):
    NeedFactory(title="Bilderkennung im Lager")
    NeedFactory(title="Bilderkennung in der Klinik")
    assert titles(Need, alice, q="Bilderkennung -Klinik") == ["Bilderkennung im Lager"]


def test_two_german_terms_find_an_english_posting_with_both_ideas(alice):
    CapabilityFactory(title="Image recognition for hospitals", description="Radiology images.")
    CapabilityFactory(title="Image recognition for warehouses", description="Pallets.")
    assert titles(Capability, alice, q="Bilderkennung Krankenhaus") == [
        "Image recognition for hospitals"
    ]


def test_words_outside_the_glossary_still_narrow_an_expanded_query(alice):
    CapabilityFactory(title="Weld seam inspection for aluminium", description="Cameras.")
    CapabilityFactory(title="Weld seam inspection for steel", description="Cameras.")
    assert titles(Capability, alice, q="Schweißnahtprüfung aluminium") == [
        "Weld seam inspection for aluminium"
    ]


def test_user_or_between_terms_finds_either(alice):
    NeedFactory(title="Bilderkennung im Lager")
    NeedFactory(title="Demand forecasting")
    NeedFactory(title="Chatbot")
    found = titles(Need, alice, q="image recognition or Prognose")
    assert sorted(found) == ["Bilderkennung im Lager", "Demand forecasting"]


def test_quoted_phrase_is_not_widened_by_the_glossary(alice):
    NeedFactory(title="Bilderkennung im Lager")
    NeedFactory(title="Image recognition in the warehouse")
    assert titles(Need, alice, q='"Bilderkennung im Lager"') == ["Bilderkennung im Lager"]
