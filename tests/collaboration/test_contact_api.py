"""The contact request endpoints: who may do what, and errors that name the field."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matchmaking.collaboration.models import ContactRequest

pytestmark = pytest.mark.django_db


def api_as(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def test_send_accept_message_outcome_through_the_api(alice, sme, carol, institute, vision):
    sent = api_as(alice).post(
        reverse("api:contact-request-list"),
        {
            "sender_organisation": sme.slug,
            "target_kind": "capability",
            "target_id": vision.id,
            "reason": "Weld seams",
        },
        format="json",
    )
    assert sent.status_code == 201, sent.json()
    pk = sent.json()["id"]
    assert sent.json()["contact_person"] is None
    accepted = api_as(carol).post(
        reverse("api:contact-request-accept", args=[pk]), {}, format="json"
    )
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["contact_person"]["email"] == "alice@example.org"
    message = api_as(alice).post(
        reverse("api:contact-request-messages", args=[pk]), {"body": "Hello"}, format="json"
    )
    assert message.status_code == 201
    outcome = api_as(carol).post(
        reverse("api:contact-request-outcomes", args=[pk]), {"stage": "partnership"}, format="json"
    )
    assert outcome.status_code == 201
    thread = api_as(carol).get(reverse("api:contact-request-messages", args=[pk])).json()
    assert [m["body"] for m in thread] == ["Hello"]


@pytest.fixture
def pending(send, alice, sme, institute):
    return send(sender=alice, sender_organisation=sme, recipient_organisation=institute)


@pytest.mark.parametrize(
    ("who", "name", "method", "expected"),
    [
        (None, "contact-request-detail", "get", 401),
        ("stranger", "contact-request-detail", "get", 404),
        ("staff", "contact-request-detail", "get", 404),
        ("bob", "contact-request-detail", "get", 200),
        ("carol", "contact-request-detail", "get", 200),
        (None, "contact-request-accept", "post", 401),
        ("stranger", "contact-request-accept", "post", 404),
        ("alice", "contact-request-accept", "post", 403),
        ("alice", "contact-request-decline", "post", 403),
        ("carol", "contact-request-decline", "post", 200),
        ("carol", "contact-request-messages", "post", 400),
        ("stranger", "contact-request-messages", "get", 404),
        ("stranger", "contact-request-outcomes", "post", 404),
        ("alice", "contact-request-outcomes", "post", 400),
    ],
)
def test_contact_api_permissions(
    pending, alice, bob, carol, staff, django_user_model, who, name, method, expected
):
    users = {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "staff": staff,
        "stranger": django_user_model.objects.create_user("s@example.org", "pw"),
    }
    api = api_as(users.get(who))
    url = reverse(f"api:{name}", args=[pending.id])
    response = getattr(api, method)(url, {"body": "Hi", "stage": "met"}, format="json")
    assert response.status_code == expected, response.content


def test_cap_answers_400_with_the_reason(alice, sme, institute, settings):
    settings.CONTACT_REQUESTS_PER_DAY = 0
    response = api_as(alice).post(
        reverse("api:contact-request-list"),
        {"sender_organisation": sme.slug, "organisation": institute.slug, "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "24 hours" in response.json()["non_field_errors"][0]
    assert not ContactRequest.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"organisation": "nobody"}, "organisation"),
        ({"sender_organisation": "institut-fur-bildverarbeitung"}, "sender_organisation"),
        ({"target_kind": "need"}, "target_id"),
        ({"target_kind": "need", "target_id": 999999}, "target_id"),
        ({"organisation": None}, "organisation"),
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_input_names_the_field(alice, sme, institute, body, field):
    data = {"sender_organisation": sme.slug, "organisation": institute.slug, "reason": "Hi"}
    data.update(body)
    data = {k: v for k, v in data.items() if v is not None}
    response = api_as(alice).post(reverse("api:contact-request-list"), data, format="json")
    assert response.status_code == 400
    assert field in response.json()
