"""The organisation directory and its filters."""

import pytest
from django.urls import reverse

from accounts.models import Organisation, Region
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    return {
        "stuttgart_sme": OrganisationFactory(
            name="Schwaben Stahl", kind="sme", country="DE", region=Region.objects.get(code="DE11")
        ),
        "munich_lab": OrganisationFactory(
            name="Bavarian Vision Lab",
            kind="research_institute",
            country="DE",
            region=Region.objects.get(code="DE21"),
            description="Computer vision for quality inspection",
        ),
        "vienna_startup": OrganisationFactory(
            name="Wien Robotics", kind="startup", country="AT", city="Wien"
        ),
    }


def names(response) -> set[str]:
    return {organisation.name for organisation in response.context["page"].object_list}


def test_directory_lists_all_public_organisations_without_filters(client, network):
    response = client.get(reverse("accounts:organisation_list"))

    assert names(response) == {"Schwaben Stahl", "Bavarian Vision Lab", "Wien Robotics"}


def test_kind_filter(client, network):
    response = client.get(reverse("accounts:organisation_list"), {"kind": "research_institute"})

    assert names(response) == {"Bavarian Vision Lab"}


def test_country_filter(client, network):
    response = client.get(reverse("accounts:organisation_list"), {"country": "AT"})

    assert names(response) == {"Wien Robotics"}


def test_region_filter(client, network):
    response = client.get(reverse("accounts:organisation_list"), {"region": "DE11"})

    assert names(response) == {"Schwaben Stahl"}


def test_filters_combine(client, network):
    response = client.get(
        reverse("accounts:organisation_list"), {"country": "DE", "kind": "startup"}
    )

    assert names(response) == set()
    assert "No organisation matches these filters." in response.content.decode()


def test_text_search_looks_into_the_description(client, network):
    response = client.get(reverse("accounts:organisation_list"), {"q": "inspection"})

    assert names(response) == {"Bavarian Vision Lab"}


def test_unknown_filter_value_is_reported_and_ignored(client, network):
    response = client.get(reverse("accounts:organisation_list"), {"kind": "guild"})

    assert "kind" in response.context["form"].errors
    assert len(names(response)) == 3


def test_directory_is_paginated(client):
    OrganisationFactory.create_batch(30)

    first = client.get(reverse("accounts:organisation_list"))
    second = client.get(reverse("accounts:organisation_list"), {"page": 2})

    assert len(first.context["page"].object_list) == 24
    assert len(second.context["page"].object_list) == Organisation.objects.count() - 24


def test_directory_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    OrganisationFactory.create_batch(20, region=Region.objects.get(code="DE11"))

    with django_assert_max_num_queries(6):
        client.get(reverse("accounts:organisation_list"))
