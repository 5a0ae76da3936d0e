"""Token and session authentication of the API."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Visibility
from tests.accounts.test_two_factor import current_code
from tests.conftest import PASSWORD, STAFF_TOTP_SECRET
from tests.factories import NeedFactory, UserFactory

pytestmark = pytest.mark.django_db


def obtain_token(client, email, password=PASSWORD, **extra):
    return client.post(
        reverse("api:token-obtain"),
        {"email": email, "password": password, **extra},
        format="json",
    )


def test_email_and_password_give_a_token(api_client, bob):
    response = obtain_token(api_client, "bob@example.org")

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=bob).key


def test_the_same_token_comes_back_on_every_call(api_client, bob):
    first = obtain_token(api_client, "bob@example.org").json()["token"]

    second = obtain_token(api_client, "Bob@Example.org").json()["token"]

    assert first == second


def test_wrong_password_gives_no_token(api_client, bob):
    response = obtain_token(api_client, "bob@example.org", password="guess")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(api_client, bob):
    bob.is_active = False
    bob.save()

    response = obtain_token(api_client, "bob@example.org")

    assert response.status_code == 400


def test_missing_fields_are_named(api_client):
    response = api_client.post(reverse("api:token-obtain"), {}, format="json")

    assert set(response.json()) == {"email", "password"}


def test_token_signs_the_caller_in(api_client, sme, bob):
    need = NeedFactory(organisation=sme, visibility=Visibility.HIDDEN)
    token = obtain_token(api_client, "bob@example.org").json()["token"]

    response = APIClient().get(
        reverse("api:need-detail", kwargs={"pk": need.pk}), HTTP_AUTHORIZATION=f"Token {token}"
    )

    assert response.status_code == 200


def test_token_lets_a_member_write(api_client, sme, bob):
    token = obtain_token(api_client, "bob@example.org").json()["token"]
    payload = {"organisation": sme.slug, "title": "Via token", "description": "Text.", "trl": 4}

    response = APIClient().post(
        reverse("api:need-list"), payload, format="json", HTTP_AUTHORIZATION=f"Token {token}"
    )

    assert response.status_code == 201


def test_invalid_token_is_a_401(api_client):
    response = api_client.get(reverse("api:need-list"), HTTP_AUTHORIZATION="Token nonsense")

    assert response.status_code == 401


def test_anonymous_write_is_a_401_asking_for_a_token(api_client, sme):
    response = api_client.post(reverse("api:need-list"), {}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_session_signs_the_caller_in(sme, bob):
    need = NeedFactory(organisation=sme, visibility=Visibility.HIDDEN)
    client = APIClient()
    client.login(email="bob@example.org", password=PASSWORD)

    response = client.get(reverse("api:need-detail", kwargs={"pk": need.pk}))

    assert response.status_code == 200


def test_session_write_without_csrf_token_is_refused(sme, bob):
    need = NeedFactory(organisation=sme, title="Before")
    client = APIClient(enforce_csrf_checks=True)
    client.login(email="bob@example.org", password=PASSWORD)

    response = client.patch(
        reverse("api:need-detail", kwargs={"pk": need.pk}), {"title": "After"}, format="json"
    )

    assert response.status_code == 403
    need.refresh_from_db()
    assert need.title == "Before"


def test_password_guessing_is_throttled(api_client, bob):
    statuses = {
        obtain_token(api_client, "bob@example.org", password=f"guess{n}").status_code
        for n in range(25)
    }

    assert 429 in statuses


# --- staff two-factor: a token is no way around it (accounts/authentication.py) ----------


def test_staff_without_an_authenticator_gets_no_token(api_client):
    UserFactory(email="ops@example.org", is_staff=True)

    response = obtain_token(api_client, "ops@example.org")

    assert response.status_code == 400
    assert "two-factor" in response.json()["non_field_errors"][0]
    assert not Token.objects.exists()


def test_staff_with_an_authenticator_needs_the_current_code(api_client, staff):
    assert obtain_token(api_client, "staff@example.org").json() == {
        "code": ["Staff accounts give the current code of their authenticator app."]
    }
    assert obtain_token(api_client, "staff@example.org", code="000000").status_code == 400
    assert not Token.objects.exists()

    response = obtain_token(api_client, "staff@example.org", code=current_code(STAFF_TOTP_SECRET))

    assert response.json()["token"] == Token.objects.get(user=staff).key


def test_a_staff_code_is_used_only_once(api_client, staff):
    code = current_code(STAFF_TOTP_SECRET)
    assert obtain_token(api_client, "staff@example.org", code=code).status_code == 200

    assert obtain_token(api_client, "staff@example.org", code=code).status_code == 400


def test_token_of_staff_without_an_authenticator_is_refused(api_client, staff):
    """A token issued before, then the authenticator removed (or the member made staff)."""
    token = Token.objects.create(user=staff)
    staff.authenticator_set.all().delete()

    response = api_client.get(reverse("api:need-list"), HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 401
    assert "two-factor" in response.json()["detail"]


def test_token_of_staff_with_an_authenticator_works(api_client, staff):
    token = Token.objects.create(user=staff)

    response = api_client.get(reverse("api:need-list"), HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
