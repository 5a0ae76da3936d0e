"""The members page: list, invite, change role, remove, leave."""

import pytest
from django.urls import reverse

from accounts.models import Invitation, Membership

pytestmark = pytest.mark.django_db


def members_url(organisation) -> str:
    return reverse("accounts:organisation_members", args=[organisation.slug])


def membership_of(user, organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


def test_member_sees_colleagues_with_roles(client, alice, bob, sme):
    client.force_login(bob)

    response = client.get(members_url(sme))

    html = response.content.decode()
    assert "alice@example.org" in html
    assert "bob@example.org" in html
    assert [m.user.email for m, _form in response.context["members"]] == [
        "alice@example.org",
        "bob@example.org",
    ]


def test_member_sees_no_invite_form(client, alice, bob, sme):
    client.force_login(bob)

    response = client.get(members_url(sme))

    assert "Send invitation" not in response.content.decode()


def test_admin_invites_by_email_and_the_mail_carries_the_link(
    client, alice, sme, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(members_url(sme), {"email": "dora@example.org", "role": "member"})

    invitation = Invitation.objects.get()
    assert response.url == members_url(sme)
    assert invitation.invited_by == alice
    link = "http://testserver" + reverse("accounts:invitation_accept", args=[invitation.token])
    assert link in mailoutbox[0].body


def test_invite_with_bad_email_shows_the_error_and_writes_nothing(client, alice, sme, mailoutbox):
    client.force_login(alice)

    response = client.post(members_url(sme), {"email": "dora-at-example", "role": "member"})

    assert "email" in response.context["invite_form"].errors
    assert 'id="id_email_error"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_member_cannot_invite_through_the_page(client, alice, bob, sme):
    client.force_login(bob)

    response = client.post(members_url(sme), {"email": "dora@example.org", "role": "admin"})

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_admin_promotes_a_member(client, alice, bob, sme):
    client.force_login(alice)
    url = reverse("accounts:membership_role", args=[sme.slug, membership_of(bob, sme).id])

    client.post(url, {"role": "admin"})

    assert membership_of(bob, sme).is_admin


def test_last_admin_demoting_themselves_gets_an_explanation(client, alice, sme):
    client.force_login(alice)
    url = reverse("accounts:membership_role", args=[sme.slug, membership_of(alice, sme).id])

    response = client.post(url, {"role": "member"}, follow=True)

    assert "at least one administrator" in response.content.decode()
    assert membership_of(alice, sme).is_admin


def test_admin_removes_a_member(client, alice, bob, sme):
    client.force_login(alice)
    url = reverse("accounts:membership_remove", args=[sme.slug, membership_of(bob, sme).id])

    client.post(url)

    assert not Membership.objects.filter(user=bob).exists()


def test_member_cannot_remove_the_admin(client, alice, bob, sme):
    client.force_login(bob)
    url = reverse("accounts:membership_remove", args=[sme.slug, membership_of(alice, sme).id])

    response = client.post(url)

    assert response.status_code == 403
    assert Membership.objects.filter(user=alice).exists()


def test_member_leaves_and_lands_on_the_dashboard(client, alice, bob, sme):
    client.force_login(bob)
    url = reverse("accounts:membership_remove", args=[sme.slug, membership_of(bob, sme).id])

    response = client.post(url)

    assert response.url == reverse("accounts:dashboard")
    assert not Membership.objects.filter(user=bob).exists()


def test_removing_needs_post(client, alice, bob, sme):
    client.force_login(alice)
    url = reverse("accounts:membership_remove", args=[sme.slug, membership_of(bob, sme).id])

    response = client.get(url)

    assert response.status_code == 405
    assert Membership.objects.filter(user=bob).exists()


def test_admin_withdraws_an_invitation(client, alice, sme):
    invitation = Invitation.objects.create(organisation=sme, email="dora@example.org")
    client.force_login(alice)

    client.post(reverse("accounts:invitation_revoke", args=[sme.slug, invitation.id]))

    assert not Invitation.objects.exists()


def test_membership_of_another_organisation_cannot_be_reached(client, alice, carol, sme):
    client.force_login(alice)
    foreign = Membership.objects.get(user=carol)

    response = client.post(reverse("accounts:membership_remove", args=[sme.slug, foreign.id]))

    assert response.status_code == 404
    assert Membership.objects.filter(user=carol).exists()
