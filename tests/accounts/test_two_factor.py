"""Two-factor authentication (allauth MFA, TOTP): every user may turn it on; staff must."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from tests.conftest import PASSWORD, STAFF_TOTP_SECRET
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, email: str) -> None:
    client.post(reverse("accounts:login"), {"login": email, "password": PASSWORD})


def open_totp_setup(client):
    """allauth asks for the password again before any change to two-factor settings."""
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client.get(reverse("mfa_activate_totp"))


def test_staff_without_an_authenticator_is_sent_to_set_one_up(client):
    UserFactory(email="ops@example.org", is_staff=True, is_superuser=True)
    log_in(client, "ops@example.org")

    for path in ("/admin/", reverse("accounts:dashboard"), "/market/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")
    setup = open_totp_setup(client)
    assert setup.status_code == 200
    assert "secret" in setup.content.decode().lower()


def test_staff_with_an_authenticator_reaches_the_admin(client, staff):
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200


def test_member_may_use_the_site_without_two_factor(client, alice):
    log_in(client, "alice@example.org")

    assert client.get(reverse("accounts:dashboard")).status_code == 200
    assert open_totp_setup(client).status_code == 200


def test_login_of_a_user_with_totp_asks_for_the_code(client, staff):
    response = client.post(
        reverse("accounts:login"), {"login": "staff@example.org", "password": PASSWORD}
    )

    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    assert wrong.status_code == 200

    client.post(reverse("mfa_authenticate"), {"code": current_code(STAFF_TOTP_SECRET)})
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_admin_login_goes_through_the_site_login(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.url.startswith(reverse("accounts:login"))


def test_account_page_shows_confirmation_and_two_factor_status(client, alice):
    client.force_login(alice)

    html = client.get(reverse("accounts:account_security")).content.decode()

    assert "Confirmed" in html
    assert reverse("mfa_index") in html
    assert not Authenticator.objects.filter(user=alice).exists()
