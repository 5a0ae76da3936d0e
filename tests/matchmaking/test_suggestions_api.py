"""Suggestion endpoints of /api/v1/: explanations in the answer, who may ask, and the
feedback endpoint's validation (400 naming the field)."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from matchmaking.models import SuggestionFeedback
from matchmaking.taxonomy import Technique
from tests.factories import CapabilityFactory, NeedFactory
from tests.matchmaking.suggestion_world import (
    VISION_CAPABILITY,
    member_of,
    rank_all,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("encoders")]


@pytest.fixture
def api(alice):
    client = APIClient()
    client.force_authenticate(user=alice)
    return client


def need_suggestions(world) -> str:
    return reverse("api:need-suggestions", args=[world["need"].id])


def need_feedback(world) -> str:
    return reverse("api:need-suggestion-feedback", args=[world["need"].id])


def test_need_suggestions_carry_their_explanation(world, api):
    body = api.get(need_suggestions(world)).json()
    best = body["capabilities"][0]
    assert best["target"]["title"] == VISION_CAPABILITY["title"]
    assert best["target"]["organisation"]["slug"] == world["institute"].slug
    explanation = best["explanation"]
    assert {"signal", "label", "points"} <= set(explanation["contributions"][0])
    assert sum(c["points"] for c in explanation["contributions"]) == pytest.approx(
        best["score"], abs=1e-3
    )
    assert {"code": "computer_vision", "label": "Computer vision"} in explanation[
        "shared_techniques"
    ]
    assert explanation["distance_km"] == 69
    assert "camera images" in explanation["sentence_pair"]["target"]
    assert explanation["reasons"]


def test_strength_is_on_one_scale_for_capabilities_organisations_and_the_reverse_list(
    world, api, carol
):
    body = api.get(need_suggestions(world)).json()
    capability, organisation = body["capabilities"][0], body["organisations"][0]
    assert capability["strength"] > 50
    assert capability["weak"] is False
    assert 0 <= organisation["strength"] <= 100
    weakest = body["capabilities"][-1]
    assert weakest["strength"] < capability["strength"]
    member = member_of(world["institute"], "vision@example.org")
    api.force_authenticate(user=member)
    reverse_list = api.get(reverse("api:capability-suggestions", args=[world["vision"].id]))
    assert reverse_list.json()["needs"][0]["strength"] == capability["strength"]


def test_need_suggestions_list_organisations_with_the_capability_behind(world, api):
    best = api.get(need_suggestions(world)).json()["organisations"][0]
    assert best["target"]["kind"] == "organisation"
    assert best["target"]["id"] == world["institute"].id
    assert best["via"][0]["target"]["id"] == world["vision"].id


def test_shared_terms_are_labelled_in_the_requests_language(world, api):
    with translation.override("de"):
        german = str(Technique.COMPUTER_VISION.label)
    assert german != "Computer vision"  # the test means something only if translated
    body = api.get(need_suggestions(world), headers={"accept-language": "de"}).json()
    labels = [t["label"] for t in body["capabilities"][0]["explanation"]["shared_techniques"]]
    assert german in labels


def test_limit_caps_the_number_of_suggestions(world, api):
    body = api.get(need_suggestions(world), {"limit": 1}).json()
    assert len(body["capabilities"]) == 1


def test_limit_out_of_range_is_a_400_naming_it(world, api):
    response = api.get(need_suggestions(world), {"limit": 500})
    assert response.status_code == 400
    assert "limit" in response.json()


def test_capability_suggestions_list_needs(world):
    client = APIClient()
    client.force_authenticate(user=member_of(world["institute"], "vision@example.org"))
    body = client.get(reverse("api:capability-suggestions", args=[world["vision"].id])).json()
    assert [n["target"]["title"] for n in body["needs"]] == [world["need"].title]


def test_organisation_suggestions_are_reciprocal_partners(world, api, sme):
    body = api.get(reverse("api:organisation-suggestions", args=[sme.slug])).json()
    assert body["source"]["id"] == sme.id
    best = body["organisations"][0]
    assert best["target"]["id"] == world["institute"].id
    assert {c["signal"] for c in best["explanation"]["contributions"]} == {
        "forward",
        "backward",
        "reciprocal",
    }


def test_outsider_gets_404_for_a_public_needs_suggestions(world, carol):
    client = APIClient()
    client.force_authenticate(user=carol)
    assert client.get(need_suggestions(world)).status_code == 404


def test_anonymous_caller_gets_401(world):
    assert APIClient().get(need_suggestions(world)).status_code == 401


def test_hidden_capability_is_absent_from_the_api_answer(world, api):
    world["vision"].visibility = "hidden"
    world["vision"].save()
    body = api.get(need_suggestions(world)).json()
    assert world["vision"].id not in [c["target"]["id"] for c in body["capabilities"]]


# --- feedback ----------------------------------------------------------------------------


def test_dismiss_is_stored_with_its_reason_and_what_was_shown(world, api):
    response = api.post(
        need_feedback(world),
        {
            "action": "dismiss",
            "target_kind": "capability",
            "target_id": world["vision"].id,
            "reason": "too far along",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["rank"] == 1
    row = SuggestionFeedback.objects.get()
    assert (row.action, row.reason, row.target_capability) == (
        "dismissed",
        "too far along",
        world["vision"],
    )
    assert "techniques" in row.explanation["contributions"]


def test_dismissed_capability_is_gone_from_the_next_answer(world, api):
    data = {"action": "dismiss", "target_kind": "capability", "target_id": world["vision"].id}
    api.post(need_feedback(world), data, format="json")
    body = api.get(need_suggestions(world)).json()
    assert world["vision"].id not in [c["target"]["id"] for c in body["capabilities"]]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "like", "target_kind": "capability", "target_id": 1}, "action"),
        ({"action": "save", "target_kind": "need", "target_id": 1}, "target_kind"),
        ({"action": "save", "target_kind": "capability", "target_id": "x"}, "target_id"),
        ({"action": "save", "target_kind": "capability"}, "target_id"),
        ({"target_kind": "capability", "target_id": 1}, "action"),
    ],
)
def test_invalid_feedback_is_a_400_naming_the_field(world, api, data, field):
    response = api.post(need_feedback(world), data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not SuggestionFeedback.objects.exists()


def test_reason_is_only_accepted_with_a_dismissal(world, api):
    data = {
        "action": "save",
        "target_kind": "capability",
        "target_id": world["vision"].id,
        "reason": "x",
    }
    response = api.post(need_feedback(world), data, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()


def test_too_long_reason_is_a_400_naming_it(world, api):
    data = {
        "action": "dismiss",
        "target_kind": "capability",
        "target_id": world["vision"].id,
        "reason": "x" * 301,
    }
    response = api.post(need_feedback(world), data, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()


def test_hidden_target_is_a_400_like_a_missing_one(world, api):
    hidden = CapabilityFactory(visibility="hidden")
    data = {"action": "save", "target_kind": "capability", "target_id": hidden.id}
    missing = {"action": "save", "target_kind": "capability", "target_id": 10**9}
    hidden_answer = api.post(need_feedback(world), data, format="json")
    missing_answer = api.post(need_feedback(world), missing, format="json")
    assert hidden_answer.status_code == missing_answer.status_code == 400
    assert hidden_answer.json() == missing_answer.json()


def test_own_organisations_capability_is_a_400_naming_the_target(world, api, sme):
    own = CapabilityFactory(organisation=sme)
    data = {"action": "save", "target_kind": "capability", "target_id": own.id}
    response = api.post(need_feedback(world), data, format="json")
    assert response.status_code == 400
    assert "target_id" in response.json()


def test_outsider_feedback_gets_404(world, carol):
    client = APIClient()
    client.force_authenticate(user=carol)
    data = {"action": "save", "target_kind": "capability", "target_id": world["vision"].id}
    assert client.post(need_feedback(world), data, format="json").status_code == 404


def test_organisation_feedback_dismisses_a_partner(world, api, sme):
    url = reverse("api:organisation-suggestion-feedback", args=[sme.slug])
    data = {"action": "dismiss", "target_kind": "organisation", "target_id": world["institute"].id}
    assert api.post(url, data, format="json").status_code == 201
    body = api.get(reverse("api:organisation-suggestions", args=[sme.slug])).json()
    assert world["institute"].id not in [o["target"]["id"] for o in body["organisations"]]


def test_capability_feedback_saves_a_need(world):
    member = member_of(world["institute"], "vision@example.org")
    client = APIClient()
    client.force_authenticate(user=member)
    url = reverse("api:capability-suggestion-feedback", args=[world["vision"].id])
    data = {"action": "save", "target_kind": "need", "target_id": world["need"].id}
    assert client.post(url, data, format="json").status_code == 201
    assert SuggestionFeedback.objects.get().source_capability == world["vision"]


def test_suggestion_endpoints_are_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    for path in (
        "/api/v1/needs/{id}/suggestions/",
        "/api/v1/needs/{id}/suggestions/feedback/",
        "/api/v1/capabilities/{id}/suggestions/",
        "/api/v1/capabilities/{id}/suggestions/feedback/",
        "/api/v1/organisations/{slug}/suggestions/",
        "/api/v1/organisations/{slug}/suggestions/feedback/",
    ):
        assert path in schema["paths"]


def test_fresh_need_is_pending_then_suggested_by_full_text_before_its_embedding(world, api, sme):
    fresh = NeedFactory(organisation=sme, title="Weld seam inspection", description="Weld seams.")
    url = reverse("api:need-suggestions", args=[fresh.id])
    assert api.get(url).json()["pending"] is True
    rank_all()  # the worker ranks it before any vector of it exists
    body = api.get(url).json()
    assert body["pending"] is False
    assert body["capabilities"][0]["target"]["id"] == world["vision"].id
