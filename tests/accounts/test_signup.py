"""Sign up (with e-mail confirmation), log in and log out through the real pages."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import User
from accounts.selectors import user_has_confirmed_email
from matchmaking.collaboration.models import ContactRequest
from matchmaking.collaboration.services import contact_request_send
from matchmaking.models import Need
from matchmaking.services import need_create
from tests.factories import MembershipFactory, OrganisationFactory


def need_fields() -> dict:
    return {"title": "Weld seam inspection", "description": "Find pores in welds.", "trl": 5}


pytestmark = pytest.mark.django_db

STRONG = "a long and unusual passphrase 42"


def signup_data(**overrides):
    return {"full_name": "Dora Dörr", "email": "dora@example.org", "password1": STRONG, **overrides}


def confirmation_link(mail) -> str:
    return re.search(r"https?://[^/]+(/confirm-email/\S+/)", mail.body).group(1)


def test_signup_creates_account_logs_in_and_opens_dashboard(client):
    response = client.post(reverse("accounts:signup"), signup_data(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:dashboard")
    assert response.context["user"].email == "dora@example.org"
    assert User.objects.get().full_name == "Dora Dörr"


def test_signup_stores_the_email_in_lower_case_and_a_usable_password(client):
    client.post(reverse("accounts:signup"), signup_data(email="Dora@Example.ORG"))

    user = User.objects.get()
    assert user.email == "dora@example.org"
    assert user.check_password(STRONG)


def test_new_account_cannot_post_until_the_email_is_confirmed(client, mailoutbox):
    client.post(reverse("accounts:signup"), signup_data())
    user = User.objects.get()
    organisation = OrganisationFactory()
    MembershipFactory(user=user, organisation=organisation)

    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    refused = client.get(reverse("matchmaking:need_create"))
    with pytest.raises(PermissionDenied):
        need_create(organisation=organisation, author=user, **need_fields())

    assert 'data-testid="confirm-email"' in dashboard
    assert refused.url == reverse("accounts:dashboard")
    assert not Need.objects.exists()
    assert mailoutbox[0].to == ["dora@example.org"]


def test_following_the_confirmation_link_lets_the_account_post(client, mailoutbox):
    client.post(reverse("accounts:signup"), signup_data())
    user = User.objects.get()
    organisation = OrganisationFactory()
    MembershipFactory(user=user, organisation=organisation)

    link = confirmation_link(mailoutbox[0])
    client.post(link)

    assert user_has_confirmed_email(user)
    assert client.get(reverse("matchmaking:need_create")).status_code == 200
    need_create(organisation=organisation, author=user, **need_fields())
    assert Need.objects.count() == 1


def test_signup_with_bad_input_shows_field_errors_and_writes_nothing(client):
    response = client.post(
        reverse("accounts:signup"),
        signup_data(email="not-an-address", password1="123", full_name=""),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "password1", "full_name"}
    html = response.content.decode()
    assert 'id="id_email_error"' in html
    assert 'id="id_full_name_error"' in html
    assert not User.objects.exists()


def test_signup_with_weak_password_names_the_password_field(client):
    response = client.post(reverse("accounts:signup"), signup_data(password1="password"))

    assert "password1" in response.context["form"].errors
    assert 'id="id_password1_error"' in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_a_taken_email_says_so(client, alice):
    response = client.post(reverse("accounts:signup"), signup_data(email="Alice@Example.org"))

    assert "already exists" in str(response.context["form"].errors["email"])
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1


def test_signup_returns_to_a_local_next_page(client):
    target = "/invitations/abc/"

    response = client.post(f"{reverse('accounts:signup')}?next={target}", signup_data())

    assert response.url == target


def test_signup_ignores_a_next_page_on_another_site(client):
    response = client.post(
        f"{reverse('accounts:signup')}?next=https://evil.example/", signup_data()
    )

    assert response.url == reverse("accounts:dashboard")


def test_login_by_email_opens_the_dashboard(client, alice):
    response = client.post(
        reverse("accounts:login"),
        {"login": "alice@example.org", "password": "correct horse battery staple"},
    )

    assert response.url == reverse("accounts:dashboard")


def test_login_with_a_wrong_password_shows_an_error(client, alice):
    response = client.post(
        reverse("accounts:login"), {"login": "alice@example.org", "password": "wrong"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client, alice):
    client.force_login(alice)

    response = client.post(reverse("accounts:logout"))

    assert response.url == reverse("home")
    assert "_auth_user_id" not in client.session


def test_dashboard_needs_login(client):
    response = client.get(reverse("accounts:dashboard"))

    assert response.url == f"{reverse('accounts:login')}?next={reverse('accounts:dashboard')}"


def test_new_account_cannot_send_contact_requests_until_confirmed(client, carol):
    client.post(reverse("accounts:signup"), signup_data())
    user = User.objects.get(email="dora@example.org")
    organisation = OrganisationFactory()
    MembershipFactory(user=user, organisation=organisation)

    with pytest.raises(PermissionDenied):
        contact_request_send(
            sender=user,
            sender_organisation=organisation,
            recipient_organisation=carol.memberships.get().organisation,
            reason="We need vision know-how.",
        )

    assert not ContactRequest.objects.exists()
