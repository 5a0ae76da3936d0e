"""Following an invitation link: signed out, signed in, wrong account, used twice."""

import pytest
from django.urls import reverse

from accounts.models import Invitation, Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "a long and unusual passphrase 42"


@pytest.fixture
def invitation(alice, sme):
    return Invitation.objects.create(
        organisation=sme, email="dora@example.org", role="member", invited_by=alice
    )


def accept_url(invitation) -> str:
    return reverse("accounts:invitation_accept", args=[invitation.token])


def test_signed_out_visitor_is_offered_signup_and_login_that_come_back(client, invitation):
    response = client.get(accept_url(invitation))

    html = response.content.decode()
    assert f"/signup/?next=/invitations/{invitation.token}/" in html
    assert f"/login/?next=/invitations/{invitation.token}/" in html
    assert "Muster Maschinenbau GmbH" in html


def test_new_person_signs_up_from_the_link_and_joins(client, invitation, sme):
    signup = f"{reverse('accounts:signup')}?next={accept_url(invitation)}"
    back = client.post(
        signup, {"full_name": "Dora", "email": "dora@example.org", "password1": STRONG}
    )
    assert back.url == accept_url(invitation)

    response = client.post(accept_url(invitation))

    assert response.url == reverse("accounts:organisation_detail", args=[sme.slug])
    assert Membership.objects.get(user__email="dora@example.org").organisation == sme


def test_link_cannot_be_used_twice(client, invitation):
    dora = UserFactory(email="dora@example.org")
    client.force_login(dora)
    client.post(accept_url(invitation))

    response = client.get(accept_url(invitation))

    assert response.status_code == 410
    assert Membership.objects.filter(user=dora).count() == 1


def test_someone_else_signed_in_is_told_to_switch_accounts(client, carol, invitation, sme):
    client.force_login(carol)

    response = client.post(accept_url(invitation))

    assert "dora@example.org" in response.context["error"]
    assert not Membership.objects.filter(user=carol, organisation=sme).exists()


def test_unknown_token_is_404(client):
    response = client.get(reverse("accounts:invitation_accept", args=["no-such-token"]))

    assert response.status_code == 404
