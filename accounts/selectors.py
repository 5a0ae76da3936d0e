"""Reads for organisations and memberships, and the one rule of who sees what.

Visibility (docs/permissions.md): `public` is seen by everyone, `members` by every
signed-in user, `hidden` only by members of the owning organisation. Staff are not an
exception on the pages or the API; they manage everything through the Django admin.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.countries import nuts_prefix
from accounts.models import Invitation, Membership, Organisation, Region, User, Visibility


class SignedInOutsider(AnonymousUser):
    """Any signed-in user without a membership: sees `public` and `members` objects and no
    hidden ones. The match store ranks for this reader (matchmaking/suggestions/store.py),
    so stored suggestions never hold what a member of another organisation may not see."""

    @property
    def is_authenticated(self) -> bool:
        return True


SIGNED_IN_OUTSIDER = SignedInOutsider()

AnyUser = User | AnonymousUser


def visible_visibilities(user: AnyUser) -> list[str]:
    """Visibility levels open to anyone in the user's position, regardless of membership."""
    if user.is_authenticated:
        return [Visibility.PUBLIC, Visibility.MEMBERS]
    return [Visibility.PUBLIC]


def organisation_ids_of(user: AnyUser) -> list[int]:
    if not user.is_authenticated or user.pk is None:
        return []
    return list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def organisation_id_subquery(user: User) -> QuerySet[Membership]:
    """The user's organisation ids as a subquery: filters on it cost no query of their own."""
    return Membership.objects.filter(user=user).values("organisation_id")


def organisation_list_visible_to(
    *, user: AnyUser, organisation_ids: Iterable[int] | None = None
) -> QuerySet[Organisation]:
    """`organisation_ids`: the user's own, when the caller has them already (saves a query)."""
    if organisation_ids is None:
        organisation_ids = organisation_ids_of(user)
    return Organisation.objects.filter(
        Q(visibility__in=visible_visibilities(user)) | Q(id__in=organisation_ids)
    ).select_related("region")


def access_organisation(*, user: AnyUser, slug: str) -> Organisation:
    """The one gate for reading an organisation: 404 alike for missing and not visible."""
    return get_object_or_404(organisation_list_visible_to(user=user), slug=slug)


def membership_for(*, user: AnyUser, organisation: Organisation) -> Membership | None:
    """None for anonymous users and for unsaved stand-ins (an anonymous posting's owner as
    shown to outsiders: matchmaking/collaboration/anonymity.py)."""
    if not user.is_authenticated or organisation.pk is None:
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


def membership_list_for_user(*, user: AnyUser) -> QuerySet[Membership]:
    """The user's memberships with their organisations, for the dashboard."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__region")
        .order_by("organisation__name")
    )


def access_organisation_for_member(*, user: AnyUser, slug: str) -> tuple[Organisation, Membership]:
    """Pages only members see (the member list with e-mail addresses): 404 for everyone
    else, so the page does not confirm that a hidden organisation exists."""
    organisation = access_organisation(user=user, slug=slug)
    membership = membership_for(user=user, organisation=organisation)
    if membership is None:
        raise Http404
    return organisation, membership


def membership_list_for_organisation(*, organisation: Organisation) -> QuerySet[Membership]:
    """Admins first, then by name: the order of the members page."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def access_membership(*, organisation: Organisation, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        organisation=organisation,
        id=membership_id,
    )


def invitation_list_open(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True).order_by(
        "-created_at"
    )


def access_invitation(*, organisation: Organisation, invitation_id: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("organisation"),
        organisation=organisation,
        id=invitation_id,
    )


def invitation_expiry_cutoff() -> datetime:
    """Open invitations sent before this no longer work (INVITATION_MAX_AGE_DAYS)."""
    return timezone.now() - timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


def invitation_by_token(*, token: str) -> Invitation:
    """The token is the secret: whoever holds the link may see whom it invites and where.
    An open invitation past INVITATION_MAX_AGE_DAYS answers 404, like a missing one."""
    expired = Q(accepted_at__isnull=True, created_at__lt=invitation_expiry_cutoff())
    return get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by").exclude(expired),
        token=token,
    )


def organisation_directory(
    *,
    user: AnyUser,
    kind: str = "",
    country: str = "",
    region: str = "",
    query: str = "",
) -> QuerySet[Organisation]:
    """The organisation directory: visible organisations, narrowed by the filters that are
    set. Empty filters mean "any"."""
    organisations = organisation_list_visible_to(user=user)
    if kind:
        organisations = organisations.filter(kind=kind)
    if country:
        organisations = organisations.filter(country=country)
    if region:
        organisations = organisations.filter(region_id=region)
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(description__icontains=query) | Q(city__icontains=query)
        )
    return organisations.annotate(member_count=Count("memberships")).order_by("name")


def region_list(*, country: str = "") -> QuerySet[Region]:
    regions = Region.objects.order_by("country", "code")
    if country:
        regions = regions.filter(country__in={country, nuts_prefix(country)})
    return regions


def user_has_confirmed_email(user: AnyUser) -> bool:
    """Whether the user has confirmed an e-mail address (allauth's EmailAddress)."""
    return (
        user.is_authenticated
        and EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    )
