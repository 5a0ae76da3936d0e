"""Account services called directly: who may do what, and the rules that keep an
organisation manageable."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Invitation, Membership, Organisation, Region
from accounts.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_set_role,
    organisation_create,
    organisation_update,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "a long and unusual passphrase 42"


# --- organisations ---------------------------------------------------------------------------


def test_creator_becomes_admin_of_the_new_organisation(carol):
    organisation = organisation_create(
        creator=carol, name="Vision Lab", kind="startup", country="de"
    )

    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (carol, Membership.Role.ADMIN)
    assert organisation.country == "DE"


def test_region_outside_the_country_is_refused_and_nothing_is_written(carol):
    bavaria = Region.objects.get(code="DE21")

    with pytest.raises(ValidationError) as error:
        organisation_create(
            creator=carol, name="Wiener KI", kind="sme", country="AT", region=bavaria
        )

    assert "region" in error.value.message_dict
    assert not Organisation.objects.filter(name="Wiener KI").exists()


def test_greek_region_matches_iso_country_code(carol):
    attica = Region.objects.filter(country="EL").first()

    organisation = organisation_create(
        creator=carol, name="Athens AI", kind="startup", country="GR", region=attica
    )

    assert organisation.region == attica


def test_invalid_kind_writes_neither_organisation_nor_membership(carol):
    with pytest.raises(ValidationError) as error:
        organisation_create(creator=carol, name="Oddity", kind="guild", country="DE")

    assert "kind" in error.value.message_dict
    assert not Organisation.objects.filter(name="Oddity").exists()
    assert Membership.objects.filter(user=carol).count() == 1


def test_admin_updates_profile_and_slug_stays(alice, sme):
    old_slug = sme.slug

    organisation_update(organisation=sme, actor=alice, name="Muster Robotics", sectors=["C", "J"])

    sme.refresh_from_db()
    assert (sme.name, sme.sectors, sme.slug) == ("Muster Robotics", ["C", "J"], old_slug)


def test_member_who_is_not_admin_cannot_update(bob, sme):
    with pytest.raises(PermissionDenied):
        organisation_update(organisation=sme, actor=bob, name="Taken over")

    sme.refresh_from_db()
    assert sme.name == "Muster Maschinenbau GmbH"


def test_outsider_cannot_update(carol, sme):
    with pytest.raises(PermissionDenied):
        organisation_update(organisation=sme, actor=carol, description="spam")


# --- memberships -----------------------------------------------------------------------------


def test_last_admin_cannot_be_removed(alice, bob, sme):
    membership = Membership.objects.get(user=alice, organisation=sme)

    with pytest.raises(ValidationError):
        membership_remove(membership=membership, actor=alice)

    assert Membership.objects.filter(user=alice, organisation=sme).exists()


def test_last_admin_cannot_be_demoted(alice, sme):
    membership = Membership.objects.get(user=alice, organisation=sme)

    with pytest.raises(ValidationError):
        membership_set_role(membership=membership, actor=alice, role=Membership.Role.MEMBER)

    membership.refresh_from_db()
    assert membership.is_admin


def test_admin_may_leave_once_another_admin_exists(alice, bob, sme):
    membership_set_role(
        membership=Membership.objects.get(user=bob, organisation=sme),
        actor=alice,
        role=Membership.Role.ADMIN,
    )

    membership_remove(membership=Membership.objects.get(user=alice, organisation=sme), actor=alice)

    assert list(sme.memberships.values_list("user__email", "role")) == [
        ("bob@example.org", "admin")
    ]


def test_member_may_leave_on_their_own(bob, sme):
    membership_remove(membership=Membership.objects.get(user=bob, organisation=sme), actor=bob)

    assert not Membership.objects.filter(user=bob).exists()


def test_member_cannot_remove_someone_else(alice, bob, sme):
    with pytest.raises(PermissionDenied):
        membership_remove(
            membership=Membership.objects.get(user=alice, organisation=sme), actor=bob
        )


def test_member_cannot_change_roles(alice, bob, sme):
    with pytest.raises(PermissionDenied):
        membership_set_role(
            membership=Membership.objects.get(user=bob, organisation=sme),
            actor=bob,
            role=Membership.Role.ADMIN,
        )


# --- invitations -----------------------------------------------------------------------------


def test_invitation_mails_the_accept_link(
    alice, sme, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            organisation=sme, inviter=alice, email="Dora@Example.org", role="member"
        )

    assert invitation.email == "dora@example.org"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["dora@example.org"]
    assert f"/invitations/{invitation.token}/" in mailoutbox[0].body
    assert sme.name in mailoutbox[0].subject


def test_member_who_is_not_admin_cannot_invite(bob, sme, mailoutbox):
    with pytest.raises(PermissionDenied):
        invitation_create(organisation=sme, inviter=bob, email="dora@example.org", role="member")

    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_inviting_an_existing_member_is_refused(alice, bob, sme):
    with pytest.raises(ValidationError) as error:
        invitation_create(organisation=sme, inviter=alice, email="BOB@example.org", role="member")

    assert "email" in error.value.message_dict


def test_inviting_the_same_address_twice_keeps_one_open_invitation(alice, sme):
    first = invitation_create(organisation=sme, inviter=alice, email="dora@example.org")
    second = invitation_create(
        organisation=sme, inviter=alice, email="dora@example.org", role="admin"
    )

    assert first.pk == second.pk
    assert Invitation.objects.get().role == "admin"


def test_accepting_creates_membership_with_the_invited_role(alice, sme):
    invitation = invitation_create(
        organisation=sme, inviter=alice, email="dora@example.org", role="admin"
    )
    dora = UserFactory(email="dora@example.org")

    membership = invitation_accept(invitation=invitation, user=dora)

    assert (membership.organisation, membership.role) == (sme, "admin")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_invitation_can_be_accepted_only_once(alice, sme):
    invitation = invitation_create(organisation=sme, inviter=alice, email="dora@example.org")
    dora = UserFactory(email="dora@example.org")
    invitation_accept(invitation=invitation, user=dora)
    Membership.objects.filter(user=dora).delete()

    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=dora)

    assert not Membership.objects.filter(user=dora).exists()


def test_invitation_cannot_be_accepted_by_another_account(alice, carol, sme):
    invitation = invitation_create(organisation=sme, inviter=alice, email="dora@example.org")

    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=carol)

    assert not Membership.objects.filter(user=carol, organisation=sme).exists()


def test_revoked_invitation_is_gone(alice, sme):
    invitation = invitation_create(organisation=sme, inviter=alice, email="dora@example.org")

    invitation_revoke(invitation=invitation, actor=alice)

    assert not Invitation.objects.exists()


def test_member_cannot_revoke_invitations(alice, bob, sme):
    invitation = invitation_create(organisation=sme, inviter=alice, email="dora@example.org")

    with pytest.raises(PermissionDenied):
        invitation_revoke(invitation=invitation, actor=bob)
