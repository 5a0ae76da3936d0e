"""Writes for users, organisations, memberships and invitations.

Every write checks its permission here, not in the view, so pages, the API and
management commands share one rule set. Refusals raise `PermissionDenied`; broken
business rules (the last admin, a used invitation) raise `ValidationError` naming the
field, so forms and serializers can show them next to the input.
"""

import json
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.countries import country_matches_region, is_known_country
from accounts.models import (
    Invitation,
    Membership,
    Organisation,
    Region,
    User,
    Visibility,
    unique_slug,
)
from accounts.selectors import invitation_expiry_cutoff, user_has_confirmed_email

REGIONS_FILE = Path(__file__).resolve().parent / "data" / "nuts2.json"

# What an admin may change on the profile; slug stays fixed so shared links keep working.
ORGANISATION_EDITABLE_FIELDS = frozenset(
    {
        "name",
        "kind",
        "description",
        "website",
        "country",
        "region",
        "city",
        "size_band",
        "languages",
        "sectors",
        "visibility",
    }
)


@transaction.atomic
def region_sync_from_data() -> int:
    """Upsert the shipped NUTS-2 list. Runs after every migrate, so it must stay idempotent."""
    if not REGIONS_FILE.exists():
        return 0
    rows = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))["regions"]
    for row in rows:
        Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "country": row["country"],
                "latitude": row["lat"],
                "longitude": row["lon"],
            },
        )
    return len(rows)


# --- users -------------------------------------------------------------------------------


def user_email_confirm(*, user: User) -> None:
    """Mark the user's address as confirmed without a link: for accounts created by
    `seed_demo`, and when an invitation sent to that address is accepted (the token
    travelled by that mail)."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def require_confirmed_email(*, user: User) -> None:
    """Posting and contact requests speak for an organisation to strangers: only an account
    whose e-mail address is confirmed may do them (sign-up sends the link)."""
    if not user_has_confirmed_email(user):
        raise PermissionDenied(
            _("Please confirm your e-mail address first: follow the link we sent you.")
        )


# --- organisations -----------------------------------------------------------------------


# Longest organisation description accepted; only its start is embedded (see
# matchmaking.embedding_service.ORGANISATION_PROFILE_CHARS).
ORGANISATION_DESCRIPTION_MAX_LENGTH = 20_000


def _organisation_validate_place(organisation: Organisation) -> None:
    """Country codes are stored upper-case; a region must lie in the chosen country. The
    description is bounded like a posting's (pages and API alike)."""
    if len(organisation.description or "") > ORGANISATION_DESCRIPTION_MAX_LENGTH:
        raise ValidationError(
            {
                "description": _("At most %(limit)d characters (it has %(length)d).")
                % {
                    "limit": ORGANISATION_DESCRIPTION_MAX_LENGTH,
                    "length": len(organisation.description),
                }
            }
        )
    organisation.country = (organisation.country or "").strip().upper()
    if not is_known_country(organisation.country):
        raise ValidationError({"country": _("Choose a European country (ISO code, e.g. DE).")})
    if organisation.region is not None and not country_matches_region(
        organisation.country, organisation.region.country
    ):
        raise ValidationError({"region": _("This region does not lie in the chosen country.")})


@transaction.atomic
def organisation_create(
    *,
    creator: User,
    name: str,
    kind: str,
    country: str,
    description: str = "",
    website: str = "",
    region: Region | None = None,
    city: str = "",
    size_band: str = "",
    languages: list[str] | None = None,
    sectors: list[str] | None = None,
    visibility: str = Visibility.PUBLIC,
) -> Organisation:
    """Create an organisation with `creator` as its first admin, in one transaction."""
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        country=country,
        description=description,
        website=website,
        region=region,
        city=city.strip(),
        size_band=size_band,
        languages=list(languages or []),
        sectors=list(sectors or []),
        visibility=visibility,
    )
    _organisation_validate_place(organisation)
    organisation.slug = unique_slug(Organisation, organisation.name)
    organisation.full_clean()
    organisation.save()
    membership = Membership(user=creator, organisation=organisation, role=Membership.Role.ADMIN)
    membership.full_clean()
    membership.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **fields) -> Organisation:
    """Change profile fields. Only admins of the organisation may; unknown field names are
    a programming error, not user input, so they raise TypeError."""
    _require_admin(actor=actor, organisation=organisation)
    unknown = set(fields) - ORGANISATION_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"organisation_update got unknown fields: {sorted(unknown)}")
    for field, value in fields.items():
        if field in {"name", "city"} and isinstance(value, str):
            value = value.strip()
        setattr(organisation, field, value)
    _organisation_validate_place(organisation)
    organisation.full_clean()
    organisation.save()
    # Imported here: matchmaking builds on accounts, not the other way round.
    from matchmaking.services import organisation_embed_after_commit

    organisation_embed_after_commit(organisation.id)
    return organisation


# --- memberships -------------------------------------------------------------------------


def _require_admin(*, actor: User, organisation: Organisation) -> None:
    is_admin = (
        actor.is_authenticated
        and Membership.objects.filter(
            user=actor, organisation=organisation, role=Membership.Role.ADMIN
        ).exists()
    )
    if not is_admin:
        raise PermissionDenied(_("Only administrators of this organisation may do this."))


def _lock_admins(organisation: Organisation) -> list[int]:
    """Lock the admin rows, so two admins demoting each other at once cannot both succeed
    and leave the organisation without an admin."""
    return list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Membership.Role.ADMIN)
        .values_list("id", flat=True)
    )


@transaction.atomic
def membership_set_role(*, membership: Membership, actor: User, role: str) -> Membership:
    """Promote or demote a member. An organisation always keeps at least one admin."""
    _require_admin(actor=actor, organisation=membership.organisation)
    admin_ids = _lock_admins(membership.organisation)
    if role != Membership.Role.ADMIN and membership.id in admin_ids and len(admin_ids) == 1:
        raise ValidationError({"role": _("An organisation needs at least one administrator.")})
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Admins remove anyone; a member may also leave on their own. The last admin cannot
    go: promote someone else first."""
    if membership.user_id != actor.id:
        _require_admin(actor=actor, organisation=membership.organisation)
    admin_ids = _lock_admins(membership.organisation)
    if membership.id in admin_ids and len(admin_ids) == 1:
        raise ValidationError(
            {"role": _("The last administrator cannot be removed. Promote another member first.")}
        )
    membership.delete()


# --- invitations -------------------------------------------------------------------------


def invitation_accept_url(invitation: Invitation, base_url: str = "") -> str:
    """Absolute link for the e-mail. Pages pass the URL the admin is using; other callers
    (API, shell) fall back to the SITE_URL setting, then to the development server."""
    base = base_url or settings.SITE_URL
    path = reverse("accounts:invitation_accept", kwargs={"token": invitation.token})
    return base.rstrip("/") + path


def _invitation_send(invitation: Invitation, language: str, base_url: str) -> None:
    with translation.override(language):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "inviter": invitation.invited_by,
            "accept_url": invitation_accept_url(invitation, base_url),
        }
        subject = _("Invitation to join %(organisation)s on AI Partnering") % {
            "organisation": invitation.organisation.name
        }
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    inviter: User,
    email: str,
    role: str = Membership.Role.MEMBER,
    base_url: str = "",
) -> Invitation:
    """Invite an e-mail address; only admins may. Inviting an address that already has an
    open invitation sends that invitation again (with the new role) rather than piling up
    links. The e-mail leaves only after commit, so a rolled-back invite sends nothing.
    `base_url` ("https://host") makes the link absolute; see `invitation_accept_url`."""
    _require_admin(actor=inviter, organisation=organisation)
    email = User.objects.normalize_email(email.strip()).lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    invitation = (
        Invitation.objects.select_for_update()
        .filter(organisation=organisation, email__iexact=email, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        invitation = Invitation(organisation=organisation, email=email)
    else:
        invitation.created_at = timezone.now()  # "sent on": a resent link lives anew
    invitation.role = role
    invitation.invited_by = inviter
    invitation.full_clean()
    invitation.save()
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: _invitation_send(invitation, language, base_url))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Turn an open invitation into a membership, once. The invitation is bound to its
    e-mail address, so a forwarded link does not let someone else in. Someone who is
    already a member keeps their membership and role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if membership is None:
        membership = Membership(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        membership.full_clean()
        membership.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    user_email_confirm(user=user)
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    """Withdraw an open invitation; its link stops working."""
    _require_admin(actor=actor, organisation=invitation.organisation)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has already been used."))
    invitation.delete()


def invitations_purge_expired() -> int:
    """Delete open invitations older than INVITATION_MAX_AGE_DAYS; accepted ones stay as
    the record of who joined how. Idempotent; run by the beat schedule."""
    deleted, _per_model = Invitation.objects.filter(
        accepted_at__isnull=True, created_at__lt=invitation_expiry_cutoff()
    ).delete()
    return deleted
