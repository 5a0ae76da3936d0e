"""Reads for organisations and memberships, and the one rule of who sees what.

Visibility (docs/permissions.md): `public` is seen by everyone, `members` by every
signed-in user, `hidden` only by members of the owning organisation. Staff are not an
exception on the pages or the API; they manage everything through the Django admin.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Membership, Organisation, User, Visibility

AnyUser = User | AnonymousUser


def visible_visibilities(user: AnyUser) -> list[str]:
    """Visibility levels open to anyone in the user's position, regardless of membership."""
    if user.is_authenticated:
        return [Visibility.PUBLIC, Visibility.MEMBERS]
    return [Visibility.PUBLIC]


def organisation_ids_of(user: AnyUser) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def organisation_list_visible_to(*, user: AnyUser) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        Q(visibility__in=visible_visibilities(user)) | Q(id__in=organisation_ids_of(user))
    ).select_related("region")


def access_organisation(*, user: AnyUser, slug: str) -> Organisation:
    """The one gate for reading an organisation: 404 alike for missing and not visible."""
    return get_object_or_404(organisation_list_visible_to(user=user), slug=slug)


def membership_for(*, user: AnyUser, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def user_is_member(*, user: AnyUser, organisation: Organisation) -> bool:
    return membership_for(user=user, organisation=organisation) is not None


def user_is_org_admin(*, user: AnyUser, organisation: Organisation) -> bool:
    membership = membership_for(user=user, organisation=organisation)
    return membership is not None and membership.is_admin


def organisation_list_for_member(*, user: AnyUser) -> QuerySet[Organisation]:
    """Organisations the user belongs to (any role): where they may post."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")
