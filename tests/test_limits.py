"""Garbage in gets a 4xx naming what is wrong, never a 500, and nothing is written: deep
JSON, oversized bodies and texts, NUL characters, deadlines in the past."""

import datetime
import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from matchmaking.models import DESCRIPTION_MAX_LENGTH, Need

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob_api(bob):
    client = APIClient()
    client.force_authenticate(user=bob)
    return client


def _need(sme, **overrides):
    return {
        "organisation": sme.slug,
        "title": "Weld seam inspection",
        "description": "Cameras that find cracks in weld seams.",
        "trl": 6,
        **overrides,
    }


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("url_name", ["api:token-obtain", "api:need-list"])
def test_deeply_nested_json_is_a_400_with_a_message(bob_api, url_name):
    response = bob_api.post(reverse(url_name), _deep(1000), content_type="application/json")

    assert response.status_code == 400
    assert "nested deeper" in response.json()["detail"]


def test_json_brackets_inside_strings_do_not_count_as_depth(bob_api, sme):
    body = _need(sme, description="[" * 500 + " brackets in the text " + "{" * 500)

    response = bob_api.post(
        reverse("api:need-list"), json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 201


def test_a_body_over_the_cap_is_a_413(bob_api):
    body = json.dumps({"padding": "x" * (settings.REQUEST_BODY_MAX_BYTES + 1)})

    response = bob_api.post(reverse("api:need-list"), body, content_type="application/json")

    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]
    assert Need.objects.count() == 0


def test_a_one_megabyte_description_is_refused_naming_the_field(bob_api, sme):
    words = " ".join(f"word{n}" for n in range(150_000))[: 1024 * 1024]

    response = bob_api.post(reverse("api:need-list"), _need(sme, description=words), format="json")

    assert response.status_code == 400
    assert "description" in response.json()
    assert Need.objects.count() == 0


def test_a_description_at_the_limit_is_accepted(bob_api, sme):
    text = ("Schweißnahtprüfung mit Kameras. " * 1000)[:DESCRIPTION_MAX_LENGTH]

    response = bob_api.post(reverse("api:need-list"), _need(sme, description=text), format="json")

    assert response.status_code == 201


def test_a_ten_thousand_character_title_is_refused_naming_the_field(bob_api, sme):
    response = bob_api.post(reverse("api:need-list"), _need(sme, title="T" * 10_000), format="json")

    assert response.status_code == 400
    assert "title" in response.json()
    assert Need.objects.count() == 0


def test_nul_characters_are_refused_naming_the_field(bob_api, sme):
    response = bob_api.post(
        reverse("api:need-list"), _need(sme, description="weld\x00seams"), format="json"
    )

    assert response.status_code == 400
    assert "description" in response.json()
    assert Need.objects.count() == 0


def test_nul_characters_in_a_search_are_not_a_500(client):
    response = client.get(reverse("matchmaking:marketplace"), {"q": "weld\x00seams"})

    assert response.status_code < 500


def test_api_refuses_a_deadline_in_the_past_like_the_form(bob_api, sme, client, bob):
    yesterday = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()

    api = bob_api.post(reverse("api:need-list"), _need(sme, deadline=yesterday), format="json")
    client.force_login(bob)
    page = client.post(
        reverse("matchmaking:need_create"),
        {
            **_need(sme, deadline=yesterday),
            "organisation": sme.pk,
            "region_scope": "eu",
            "visibility": "public",
        },
    )

    assert api.status_code == 400
    assert api.json()["deadline"] == ["The deadline lies in the past."]
    assert "The deadline lies in the past." in page.content.decode()
    assert Need.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("description", "x" * (1024 * 1024)), ("description", "a\x00b"), ("name", "n" * 10_000)],
)
def test_the_organisation_api_refuses_garbage_naming_the_field_and_keeps_the_profile(
    alice, sme, field, value
):
    client = APIClient()
    client.force_authenticate(user=alice)
    before = {field: getattr(sme, field)}

    response = client.patch(
        reverse("api:organisation-detail", args=[sme.slug]), {field: value}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    sme.refresh_from_db()
    assert {field: getattr(sme, field)} == before


def test_nul_characters_in_login_credentials_are_a_400_not_a_500(bob):
    response = APIClient().post(
        reverse("api:token-obtain"),
        {"email": "bob@example.org\x00", "password": "x\x00"},
        format="json",
    )

    assert response.status_code == 400


def test_the_posting_form_refuses_a_long_title_and_nul_naming_both_fields(client, bob, sme):
    client.force_login(bob)
    form = {
        **_need(sme, title="T" * 10_000, description="weld\x00seams"),
        "organisation": sme.pk,
        "region_scope": "eu",
        "visibility": "public",
    }

    response = client.post(reverse("matchmaking:need_create"), form)

    errors = response.context["form"].errors
    assert response.status_code == 200  # the form again, with its errors
    assert "title" in errors
    assert "description" in errors
    assert Need.objects.count() == 0
