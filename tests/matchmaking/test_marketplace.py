"""The marketplace page: tabs, search box, filters, cards, pagination, query count."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Visibility
from matchmaking.models import Need
from matchmaking.taxonomy import Domain, Technique
from tests.factories import CapabilityFactory, NeedFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = reverse("matchmaking:marketplace")


def test_marketplace_lists_open_needs_by_default(client):
    NeedFactory(title="Weld seams in Ulm")
    CapabilityFactory(title="Vision lab")
    response = client.get(URL)
    assert response.status_code == 200
    assert "Weld seams in Ulm" in response.text
    assert "Vision lab" not in response.text


def test_capabilities_tab_lists_capabilities(client):
    NeedFactory(title="Weld seams in Ulm")
    CapabilityFactory(title="Vision lab")
    response = client.get(URL, {"show": "capabilities"})
    assert "Vision lab" in response.text
    assert "Weld seams in Ulm" not in response.text


def test_card_shows_organisation_kind_trl_badges_and_deadline(client):
    organisation = OrganisationFactory(name="Muster Maschinenbau GmbH")
    NeedFactory(
        organisation=organisation,
        trl=4,
        techniques=[Technique.COMPUTER_VISION],
        domains=[Domain.HEALTH],
        deadline=datetime.date(2031, 3, 1),
    )
    text = client.get(URL).text
    for expected in ("Muster Maschinenbau GmbH", "SME", "TRL 4", "Computer vision", "Health"):
        assert expected in text
    assert "2031" in text


def test_german_search_box_finds_english_capability(client):
    CapabilityFactory(title="Weld seam inspection by deep learning")
    CapabilityFactory(title="Speech interfaces")
    response = client.get(URL, {"show": "capabilities", "q": "Schweißnahtprüfung"})
    assert "Weld seam inspection by deep learning" in response.text
    assert "Speech interfaces" not in response.text


def test_hidden_posting_never_appears_for_anonymous_visitors(client):
    NeedFactory(title="Secret weld inspection", visibility=Visibility.HIDDEN)
    NeedFactory(title="Members weld inspection", visibility=Visibility.MEMBERS)
    response = client.get(URL, {"q": "weld"})
    assert "Secret weld inspection" not in response.text
    assert "Members weld inspection" not in response.text


def test_technique_filter_narrows_the_page(client):
    NeedFactory(title="Vision need", techniques=[Technique.COMPUTER_VISION])
    NeedFactory(title="Robot need", techniques=[Technique.ROBOTICS])
    response = client.get(URL, {"techniques": [Technique.ROBOTICS]})
    assert "Robot need" in response.text
    assert "Vision need" not in response.text


def test_invalid_trl_range_shows_an_error_and_ignores_that_bound(client):
    NeedFactory(title="Low", trl=2)
    NeedFactory(title="High", trl=8)
    response = client.get(URL, {"trl_min": "7", "trl_max": "3"})
    assert response.status_code == 200
    assert "must not be below" in response.text
    assert "High" in response.text
    assert "Low" not in response.text


def test_non_numeric_filter_value_is_reported_not_a_server_error(client):
    response = client.get(URL, {"trl_min": "abc"})
    assert response.status_code == 200
    assert "errorlist" in response.text


def test_closed_needs_appear_when_asked_for(client):
    NeedFactory(title="Finished project", status=Need.Status.CLOSED)
    assert "Finished project" not in client.get(URL).text
    assert "Finished project" in client.get(URL, {"status": "closed"}).text


def test_pagination_splits_results_and_keeps_the_filters(client):
    for n in range(23):
        NeedFactory(title=f"Robot need {n}", techniques=[Technique.ROBOTICS])
    response = client.get(URL, {"techniques": [Technique.ROBOTICS]})
    assert response.text.count('class="card-title"') == 20
    assert "techniques=robotics&amp;page=2" in response.text
    second = client.get(URL, {"techniques": [Technique.ROBOTICS], "page": 2})
    assert second.text.count('class="card-title"') == 3


def test_signed_in_user_sees_post_buttons(client, alice):
    client.force_login(alice)
    text = client.get(URL).text
    assert reverse("matchmaking:need_create") in text
    assert reverse("matchmaking:capability_create") in text


def test_marketplace_query_count_does_not_grow_with_results(
    client, alice, django_assert_num_queries
):
    client.force_login(alice)
    for n in range(5):
        NeedFactory(title=f"Need {n}")
    client.get(URL)  # warm caches
    # savepoint + release (ATOMIC_REQUESTS), session, user, the user's memberships,
    # regions for the filter, count, one page of postings with their organisations.
    with django_assert_num_queries(8):
        client.get(URL, {"q": "inspection", "techniques": [Technique.COMPUTER_VISION]})
    for n in range(10):
        NeedFactory(title=f"More {n}", organisation=OrganisationFactory())
    with django_assert_num_queries(8):
        client.get(URL, {"q": "inspection", "techniques": [Technique.COMPUTER_VISION]})
