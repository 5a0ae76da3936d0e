"""django-axes locks an e-mail and client address pair after AXES_FAILURE_LIMIT wrong
passwords, on the HTML login and the token endpoint alike; X-Forwarded-For from a client
that is not a configured proxy changes nothing."""

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, password, **headers):
    return client.post(
        reverse("accounts:login"),
        {"login": "bob@example.org", "password": password},
        **headers,
    )


def _token(client, password, **headers):
    return client.post(
        reverse("api:token-obtain"),
        {"email": "bob@example.org", "password": password},
        format="json",
        **headers,
    )


def test_html_login_locks_after_the_failure_limit_even_with_the_right_password(client, bob):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"wrong {attempt}")

    response = _login(client, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_html_login_still_works_below_the_failure_limit(client, bob):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, f"wrong {attempt}")

    response = _login(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_changing_x_forwarded_for_does_not_lift_the_lockout(client, bob):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"wrong {attempt}", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")

    response = _login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77")

    assert response.status_code == 429


def test_token_endpoint_locks_after_the_failure_limit(bob):
    client = APIClient()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _token(client, f"wrong {attempt}", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")

    response = _token(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77")

    assert response.status_code == 429
    assert "token" not in response.json()


def test_forwarded_address_counts_only_from_a_trusted_proxy(client, bob, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"wrong {attempt}", HTTP_X_FORWARDED_FOR="203.0.113.5")

    other_client = _login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77")

    assert other_client.status_code == 302
