"""Organisations through the API: create, update, validation, filters."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation, Region
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    for code, name, country in [("DE21", "Oberbayern", "DE"), ("AT13", "Wien", "AT")]:
        Region.objects.get_or_create(
            code=code, defaults={"name": name, "country": country, "latitude": 48, "longitude": 12}
        )


def test_creator_becomes_the_first_administrator(client_as, carol):
    payload = {"name": "KI-Labor Passau", "kind": "research_institute", "country": "DE"}

    response = client_as("carol").post(reverse("api:organisation-list"), payload, format="json")

    assert response.status_code == 201
    organisation = Organisation.objects.get(name="KI-Labor Passau")
    assert response.json()["slug"] == organisation.slug == "ki-labor-passau"
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (carol, Membership.Role.ADMIN)


def test_create_with_every_field_stores_them(client_as, regions):
    payload = {
        "name": "Wien AI",
        "kind": "startup",
        "country": "at",
        "region": "AT13",
        "city": "Wien",
        "website": "https://wien-ai.example.org",
        "description": "Sprachmodelle für Behörden.",
        "size_band": "10-49",
        "languages": ["de", "en"],
        "sectors": ["J", "M"],
        "visibility": "members",
    }

    response = client_as("carol").post(reverse("api:organisation-list"), payload, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["country"], body["region"]["code"], body["sectors"]) == ("AT", "AT13", ["J", "M"])


def test_unknown_kind_is_rejected_with_the_allowed_kinds(client_as):
    payload = {"name": "Guild", "kind": "guild", "country": "DE"}

    response = client_as("carol").post(reverse("api:organisation-list"), payload, format="json")

    assert response.status_code == 400
    message = response.json()["kind"][0]
    assert '"guild" is not a valid choice' in message
    assert "research_institute" in message


def test_country_refused_by_the_service_is_named_and_nothing_is_written(client_as, carol):
    payload = {"name": "Atlantis AG", "kind": "sme", "country": "XX"}

    response = client_as("carol").post(reverse("api:organisation-list"), payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["country"]
    assert not Organisation.objects.filter(name="Atlantis AG").exists()
    assert Membership.objects.filter(user=carol).count() == 1


def test_region_outside_the_country_is_named(client_as, regions):
    payload = {"name": "Grenzfall GmbH", "kind": "sme", "country": "DE", "region": "AT13"}

    response = client_as("carol").post(reverse("api:organisation-list"), payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["region"]


def test_unknown_region_code_is_named(client_as):
    payload = {"name": "Nowhere GmbH", "kind": "sme", "country": "DE", "region": "ZZ99"}

    response = client_as("carol").post(reverse("api:organisation-list"), payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["region"]


def test_admin_patch_changes_only_the_given_fields(client_as, sme):
    Organisation.objects.filter(pk=sme.pk).update(city="Augsburg", description="Old")

    response = client_as("alice").patch(
        reverse("api:organisation-detail", kwargs={"slug": sme.slug}),
        {"description": "Neu"},
        format="json",
    )

    assert response.status_code == 200
    sme.refresh_from_db()
    assert (sme.description, sme.city) == ("Neu", "Augsburg")


def test_put_replaces_the_profile_and_resets_omitted_fields(client_as, sme):
    Organisation.objects.filter(pk=sme.pk).update(city="Augsburg", sectors=["C"])
    payload = {"name": "Muster GmbH", "kind": "startup", "country": "AT"}

    response = client_as("alice").put(
        reverse("api:organisation-detail", kwargs={"slug": sme.slug}), payload, format="json"
    )

    assert response.status_code == 200
    sme.refresh_from_db()
    assert (sme.name, sme.kind, sme.country, sme.city, sme.sectors) == (
        "Muster GmbH",
        "startup",
        "AT",
        "",
        [],
    )


def test_slug_stays_when_the_name_changes(client_as, sme):
    slug = sme.slug

    client_as("alice").patch(
        reverse("api:organisation-detail", kwargs={"slug": slug}),
        {"name": "Renamed GmbH"},
        format="json",
    )

    sme.refresh_from_db()
    assert (sme.name, sme.slug) == ("Renamed GmbH", slug)


def test_bad_update_leaves_the_organisation_unchanged(client_as, sme):
    response = client_as("alice").patch(
        reverse("api:organisation-detail", kwargs={"slug": sme.slug}),
        {"name": "Renamed", "website": "not a url"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["website"]
    sme.refresh_from_db()
    assert sme.name == "Muster Maschinenbau GmbH"


def test_missing_organisation_is_a_404(client_as):
    response = client_as("alice").get(
        reverse("api:organisation-detail", kwargs={"slug": "no-such-org"})
    )

    assert response.status_code == 404


@pytest.fixture
def directory(sme, regions):
    Organisation.objects.filter(pk=sme.pk).update(region_id="DE21", city="München")
    OrganisationFactory(name="Wien AI", kind="startup", country="AT", region_id="AT13")
    OrganisationFactory(
        name="Fraunhofer Demo", kind="research_institute", description="Bildverarbeitung"
    )


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"kind": "startup"}, ["Wien AI"]),
        ({"country": "at"}, ["Wien AI"]),
        ({"region": "DE21"}, ["Muster Maschinenbau GmbH"]),
        ({"q": "wien"}, ["Wien AI"]),
        ({"q": "bildverarbeitung"}, ["Fraunhofer Demo"]),
        ({}, ["Fraunhofer Demo", "Muster Maschinenbau GmbH", "Wien AI"]),
    ],
    ids=["kind", "country", "region", "name", "description", "none"],
)
def test_directory_filter_narrows_the_list(client_as, directory, query, names):
    response = client_as("anonymous").get(reverse("api:organisation-list"), query)

    assert [item["name"] for item in response.json()["results"]] == names


def test_unknown_kind_filter_is_a_400(client_as):
    response = client_as("anonymous").get(reverse("api:organisation-list"), {"kind": "guild"})

    assert response.status_code == 400
    assert list(response.json()) == ["kind"]
