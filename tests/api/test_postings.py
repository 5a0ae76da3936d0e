"""Needs and capabilities through the API: writing, validation, filters, pagination."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from accounts.models import Organisation, Region, Visibility
from matchmaking.models import Capability, Need
from tests.factories import CapabilityFactory, NeedFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def need_payload(organisation, **overrides):
    return {
        "organisation": getattr(organisation, "slug", organisation),
        "title": "Weld seam inspection",
        "description": "Cameras should find cracks in weld seams on steel frames.",
        "trl": 6,
        "techniques": ["computer_vision"],
        "domains": ["manufacturing_quality"],
        **overrides,
    }


# --- create, update, delete --------------------------------------------------------------


def test_member_creates_need_with_author_and_detected_language(client_as, sme, bob):
    response = client_as("bob").post(reverse("api:need-list"), need_payload(sme), format="json")

    assert response.status_code == 201
    need = Need.objects.get()
    assert (need.organisation, need.author, need.language) == (sme, bob, "en")
    assert response.json()["id"] == need.pk
    assert response.json()["organisation"]["slug"] == sme.slug


def test_organisation_may_be_given_by_id(client_as, sme):
    payload = need_payload(str(sme.pk))

    response = client_as("bob").post(reverse("api:need-list"), payload, format="json")

    assert response.status_code == 201
    assert Need.objects.get().organisation == sme


def test_capability_create_writes_a_capability(client_as, sme):
    payload = need_payload(sme, title="Defect detection on camera images")

    response = client_as("alice").post(reverse("api:capability-list"), payload, format="json")

    assert response.status_code == 201
    assert Capability.objects.get().title == "Defect detection on camera images"
    assert not Need.objects.exists()


def test_german_text_is_stored_as_german(client_as, sme):
    payload = need_payload(
        sme,
        title="Schweißnahtprüfung mit Kameras",
        description="Wir suchen eine automatische Prüfung der Schweißnähte an unseren Rahmen.",
    )

    response = client_as("bob").post(reverse("api:need-list"), payload, format="json")

    assert response.json()["language"] == "de"


def test_optional_fields_take_their_defaults_on_create(client_as, sme):
    payload = {"organisation": sme.slug, "title": "Bare", "description": "Text.", "trl": 3}

    response = client_as("bob").post(reverse("api:need-list"), payload, format="json")

    body = response.json()
    assert (body["status"], body["visibility"], body["region_scope"]) == ("open", "public", "eu")
    assert body["techniques"] == []


def test_patch_changes_only_the_given_fields(client_as, sme):
    need = NeedFactory(organisation=sme, title="Old", trl=6, budget_band="lt50k")

    response = client_as("bob").patch(
        reverse("api:need-detail", kwargs={"pk": need.pk}), {"trl": 4}, format="json"
    )

    assert response.status_code == 200
    need.refresh_from_db()
    assert (need.title, need.trl, need.budget_band) == ("Old", 4, "lt50k")


def test_put_replaces_the_posting_and_resets_omitted_fields(client_as, sme):
    need = NeedFactory(organisation=sme, budget_band="lt50k", techniques=["nlp"])
    payload = {"title": "Replaced", "description": "All new.", "trl": 2}

    response = client_as("alice").put(
        reverse("api:need-detail", kwargs={"pk": need.pk}), payload, format="json"
    )

    assert response.status_code == 200
    need.refresh_from_db()
    assert (need.title, need.trl, need.budget_band, need.techniques) == ("Replaced", 2, "", [])


def test_put_without_required_fields_names_them(client_as, sme):
    need = NeedFactory(organisation=sme, title="Kept")

    response = client_as("alice").put(
        reverse("api:need-detail", kwargs={"pk": need.pk}), {"title": "X"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"description", "trl"}
    need.refresh_from_db()
    assert need.title == "Kept"


def test_organisation_of_a_posting_cannot_be_moved(client_as, sme, carol):
    need = NeedFactory(organisation=sme)
    other = carol.memberships.get().organisation

    client_as("alice").patch(
        reverse("api:need-detail", kwargs={"pk": need.pk}),
        {"organisation": other.slug},
        format="json",
    )

    need.refresh_from_db()
    assert need.organisation == sme


def test_close_through_patch_keeps_the_posting_readable(client_as, sme):
    need = NeedFactory(organisation=sme)
    url = reverse("api:need-detail", kwargs={"pk": need.pk})

    client_as("bob").patch(url, {"status": "closed"}, format="json")

    response = client_as("anonymous").get(url)
    assert response.json()["status"] == "closed"


# --- validation --------------------------------------------------------------------------


def test_trl_out_of_range_is_named_and_nothing_is_written(client_as, sme):
    response = client_as("bob").post(
        reverse("api:need-list"), need_payload(sme, trl=12), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["trl"]
    assert not Need.objects.exists()


def test_every_bad_field_is_named_at_once(client_as, sme):
    payload = need_payload(sme, trl=0, title="", region_scope="galaxy")

    response = client_as("bob").post(reverse("api:need-list"), payload, format="json")

    assert set(response.json()) == {"trl", "title", "region_scope"}


def test_unknown_technique_code_is_rejected_with_the_allowed_codes(client_as, sme):
    payload = need_payload(sme, techniques=["computer_vision", "telepathy"])

    response = client_as("bob").post(reverse("api:need-list"), payload, format="json")

    assert response.status_code == 400
    message = response.json()["techniques"]["1"][0]
    assert '"telepathy" is not a valid choice' in message
    assert "computer_vision" in message
    assert "explainable_ai" in message
    assert not Need.objects.exists()


def test_unknown_budget_band_lists_the_allowed_bands(client_as, sme):
    response = client_as("bob").post(
        reverse("api:need-list"), need_payload(sme, budget_band="lots"), format="json"
    )

    assert "lt50k, 50k-250k, 250k-1m, gt1m" in response.json()["budget_band"][0]


def test_unknown_organisation_is_named(client_as):
    response = client_as("bob").post(
        reverse("api:need-list"), need_payload("nobody"), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["organisation"]


def test_bad_patch_leaves_the_posting_unchanged(client_as, sme):
    need = NeedFactory(organisation=sme, title="Before", trl=6)

    response = client_as("bob").patch(
        reverse("api:need-detail", kwargs={"pk": need.pk}),
        {"title": "After", "trl": "high"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["trl"]
    need.refresh_from_db()
    assert (need.title, need.trl) == ("Before", 6)


def test_non_json_body_is_a_400(client_as, sme):
    response = client_as("bob").post(
        reverse("api:need-list"), "{not json", content_type="application/json"
    )

    assert response.status_code == 400


# --- filters -----------------------------------------------------------------------------


@pytest.fixture
def market(sme, carol):
    """Four visible needs spread over the filter dimensions, plus one hidden that no
    filter may reveal to an outsider."""
    Region.objects.get_or_create(
        code="DE21",
        defaults={"name": "Oberbayern", "country": "DE", "latitude": 48, "longitude": 11},
    )
    Region.objects.get_or_create(
        code="AT13", defaults={"name": "Wien", "country": "AT", "latitude": 48.2, "longitude": 16.4}
    )
    vienna = OrganisationFactory(
        slug="wien-ai", kind=Organisation.Kind.STARTUP, country="AT", region_id="AT13"
    )
    Organisation.objects.filter(pk=sme.pk).update(region_id="DE21")
    NeedFactory(
        organisation=sme,
        title="Weld seam inspection",
        description="Cameras should find cracks in weld seams.",
        techniques=["computer_vision"],
        domains=["manufacturing_quality"],
        collaboration_types=["pilot"],
        trl=7,
        language="en",
    )
    NeedFactory(
        organisation=sme,
        title="Wartungsprognose für Pressen",
        description="Wir möchten Ausfälle unserer Pressen vorhersagen.",
        techniques=["predictive_maintenance", "forecasting"],
        domains=["production"],
        collaboration_types=["rnd_project"],
        trl=4,
        language="de",
    )
    NeedFactory(
        organisation=vienna,
        title="Chatbot for citizens",
        description="Answer questions about permits in plain language.",
        techniques=["nlp"],
        domains=["public_services"],
        collaboration_types=["service_contract"],
        trl=8,
        language="en",
        status="closed",
    )
    NeedFactory(
        organisation=vienna,
        title="Route planning",
        description="Plan delivery routes for cargo bikes.",
        techniques=["optimisation"],
        domains=["logistics"],
        collaboration_types=["pilot"],
        trl=5,
        language="en",
    )
    NeedFactory(
        organisation=sme,
        title="Secret weld project",
        description="Cameras and weld seams, hidden.",
        visibility=Visibility.HIDDEN,
        trl=7,
    )


FILTER_CASES = [
    ({"organisation": "wien-ai"}, {"Route planning"}),
    ({"organisation_kind": "startup"}, {"Route planning"}),
    (
        {"organisation_kind": ["startup", "sme"]},
        {"Route planning", "Weld seam inspection", "Wartungsprognose für Pressen"},
    ),
    ({"country": "de"}, {"Weld seam inspection", "Wartungsprognose für Pressen"}),
    ({"region": "AT13"}, {"Route planning"}),
    ({"technique": "forecasting"}, {"Wartungsprognose für Pressen"}),
    (
        {"technique": ["optimisation", "computer_vision"]},
        {"Route planning", "Weld seam inspection"},
    ),
    ({"domain": "logistics"}, {"Route planning"}),
    ({"collaboration_type": "pilot"}, {"Weld seam inspection", "Route planning"}),
    ({"trl_min": 7}, {"Weld seam inspection"}),
    ({"trl_max": 5}, {"Wartungsprognose für Pressen", "Route planning"}),
    ({"trl_min": 5, "trl_max": 7}, {"Weld seam inspection", "Route planning"}),
    ({"status": "closed"}, {"Chatbot for citizens"}),
    ({"status": "closed", "technique": "nlp"}, {"Chatbot for citizens"}),
    ({"status": "all", "country": "AT"}, {"Chatbot for citizens", "Route planning"}),
    ({"language": "de"}, {"Wartungsprognose für Pressen"}),
    ({"q": "weld"}, {"Weld seam inspection"}),
    ({"q": "Pressen"}, {"Wartungsprognose für Pressen"}),
    ({"q": "Ausfall"}, {"Wartungsprognose für Pressen"}),
    ({"country": "AT", "collaboration_type": "pilot"}, {"Route planning"}),
]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        pytest.param(query, titles, id=urlencode(query, doseq=True))
        for query, titles in FILTER_CASES
    ],
)
def test_list_filter_narrows_to_matching_visible_needs(client_as, market, query, titles):
    response = client_as("carol").get(reverse("api:need-list"), query)

    assert response.status_code == 200
    assert {item["title"] for item in response.json()["results"]} == titles


def test_without_filters_the_list_holds_every_visible_open_need(client_as, market):
    response = client_as("carol").get(reverse("api:need-list"))

    assert response.json()["count"] == 3


def test_full_text_ranks_the_title_match_first(client_as, sme):
    NeedFactory(organisation=sme, title="Route planning", description="Mentions inspection.")
    NeedFactory(organisation=sme, title="Visual inspection", description="Of parts.")

    response = client_as("anonymous").get(reverse("api:need-list"), {"q": "inspection"})

    titles = [item["title"] for item in response.json()["results"]]
    assert titles == ["Visual inspection", "Route planning"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"technique": "telepathy"}, "technique"),
        ({"organisation_kind": "guild"}, "organisation_kind"),
        ({"status": "maybe"}, "status"),
        ({"trl_min": "ten"}, "trl_min"),
    ],
)
def test_bad_filter_is_a_400_naming_the_parameter(client_as, query, field):
    response = client_as("anonymous").get(reverse("api:capability-list"), query)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_inverted_trl_range_matches_nothing(client_as, sme):
    NeedFactory(organisation=sme, trl=5)

    response = client_as("anonymous").get(reverse("api:need-list"), {"trl_min": 8, "trl_max": 3})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_empty_filter_parameter_means_any(client_as, sme):
    NeedFactory(organisation=sme)

    response = client_as("anonymous").get(reverse("api:need-list"), {"status": ""})

    assert response.json()["count"] == 1


def test_capability_list_filters_too(client_as):
    CapabilityFactory(title="Vision lab", techniques=["computer_vision"])
    CapabilityFactory(title="Speech lab", techniques=["speech"])

    response = client_as("anonymous").get(reverse("api:capability-list"), {"technique": "speech"})

    assert [item["title"] for item in response.json()["results"]] == ["Speech lab"]


# --- pagination and cost -----------------------------------------------------------------


def test_list_is_paginated_by_twenty(client_as, sme):
    NeedFactory.create_batch(25, organisation=sme)

    response = client_as("anonymous").get(reverse("api:need-list"))

    body = response.json()
    assert (body["count"], len(body["results"]), body["previous"]) == (25, 20, None)
    assert "page=2" in body["next"]


def test_second_page_holds_the_rest(client_as, sme):
    NeedFactory.create_batch(25, organisation=sme)

    response = client_as("anonymous").get(reverse("api:need-list"), {"page": 2})

    assert len(response.json()["results"]) == 5
    assert response.json()["next"] is None


def test_page_size_is_chosen_by_the_client_up_to_a_hundred(client_as, sme):
    NeedFactory.create_batch(3, organisation=sme)

    small = client_as("anonymous").get(reverse("api:need-list"), {"page_size": 2})
    huge = client_as("anonymous").get(reverse("api:need-list"), {"page_size": 10_000})

    assert len(small.json()["results"]) == 2
    assert len(huge.json()["results"]) == 3


def test_page_past_the_end_is_a_404(client_as, sme):
    NeedFactory(organisation=sme)

    response = client_as("anonymous").get(reverse("api:need-list"), {"page": 9})

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [2, 12])
def test_list_costs_the_same_queries_for_any_number_of_rows(
    client_as, sme, bob, rows, django_assert_num_queries
):
    NeedFactory.create_batch(rows, organisation=sme)
    client = client_as("bob")

    # The caller's memberships, the count, the page with organisation and region joined,
    # inside the request's savepoint (ATOMIC_REQUESTS) and its release.
    with django_assert_num_queries(5):
        response = client.get(reverse("api:need-list"))

    assert len(response.json()["results"]) == rows
