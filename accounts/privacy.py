"""GDPR: everything about a person or an organisation as JSON, and deleting either.

Deleting keeps aggregate statistics and erases what identifies someone:
- a person's account row stays as an inactive placeholder without e-mail, name or
  password, so their verdicts on suggestions and their share of figures stay countable;
  their logins (confirmed addresses, authenticators, API token), memberships, open
  invitations and regional roles go, and the audit log forgets their e-mail and IP.
- an organisation's row keeps only kind, country, region, size and sectors under a neutral
  name; its postings keep their dates, techniques, domains and TRL but lose title, text
  and author, become hidden and closed (the retention task removes them later); members,
  invitations and embeddings go.

Closed postings are removed for good `CLOSED_POSTING_RETENTION_DAYS` after their last
change by a periodic task (matchmaking.tasks.postings_purge_closed)."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import Invitation, Membership, Organisation, ProgrammeManager, User, Visibility

EXPORT_FORMAT = "ai-partnering-export/1"


def _posting_data(posting) -> dict[str, Any]:
    return {
        "id": posting.id,
        "title": posting.title,
        "description": posting.description,
        "language": posting.language,
        "techniques": posting.techniques,
        "domains": posting.domains,
        "collaboration_types": posting.collaboration_types,
        "sovereignty": posting.sovereignty,
        "region_scope": posting.region_scope,
        "budget_band": posting.budget_band,
        "deadline": posting.deadline,
        "trl": posting.trl,
        "status": posting.status,
        "visibility": posting.visibility,
        "author": posting.author.email if posting.author else None,
        "created_at": posting.created_at,
        "updated_at": posting.updated_at,
    }


def _feedback_data(feedback) -> dict[str, Any]:
    return {
        "action": feedback.action,
        "reason": feedback.reason,
        "source": {
            "need": feedback.source_need_id,
            "capability": feedback.source_capability_id,
            "organisation": feedback.source_organisation_id,
        },
        "target": {
            "need": feedback.target_need_id,
            "capability": feedback.target_capability_id,
            "organisation": feedback.target_organisation_id,
        },
        "score": feedback.score,
        "rank": feedback.rank,
        "created_at": feedback.created_at,
    }


def _audit_data(entries) -> list[dict[str, Any]]:
    return [
        {
            "at": entry.timestamp,
            "action": entry.get_action_display(),
            "object": f"{entry.content_type.model} {entry.object_repr}",
            "changes": entry.changes,
            "by": entry.actor.email if entry.actor else None,
        }
        for entry in entries.select_related("content_type", "actor")
    ]


def user_data_export(*, user: User) -> dict[str, Any]:
    """What the platform stores about one person (GDPR art. 15 and 20). Secrets (password
    hash, TOTP seed, API token) are named, never copied."""
    from matchmaking.models import Capability, Need, SuggestionFeedback

    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_staff": user.is_staff,
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "two_factor": list(
            Authenticator.objects.filter(user=user).values("type", "created_at", "last_used_at")
        ),
        "api_token": Token.objects.filter(user=user).exists(),
        "memberships": [
            {"organisation": m.organisation.name, "slug": m.organisation.slug, "role": m.role}
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "programme_areas": list(
            ProgrammeManager.objects.filter(user=user).values("country", "region_id")
        ),
        "needs_written": [
            _posting_data(p) for p in Need.objects.filter(author=user).select_related("author")
        ],
        "capabilities_written": [
            _posting_data(p)
            for p in Capability.objects.filter(author=user).select_related("author")
        ],
        "suggestion_feedback": [
            _feedback_data(f) for f in SuggestionFeedback.objects.filter(user=user)
        ],
        "invitations_sent": list(
            Invitation.objects.filter(invited_by=user).values(
                "organisation__name", "email", "role", "created_at", "accepted_at"
            )
        ),
        "changes_made": _audit_data(LogEntry.objects.filter(actor=user)),
    }


def _require_admin(*, actor: User, organisation: Organisation) -> None:
    if not Membership.objects.filter(
        user_id=actor.pk, organisation=organisation, role=Membership.Role.ADMIN
    ).exists():
        raise PermissionDenied(_("Only administrators of this organisation may do this."))


def organisation_data_export(*, organisation: Organisation, actor: User) -> dict[str, Any]:
    """Everything stored about an organisation, for its administrators."""
    from matchmaking.models import Capability, Need, SuggestionFeedback

    _require_admin(actor=actor, organisation=organisation)
    sources = (
        Q(source_organisation=organisation)
        | Q(source_need__organisation=organisation)
        | Q(source_capability__organisation=organisation)
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "organisation": {
            field: getattr(organisation, field)
            for field in (
                "name",
                "slug",
                "kind",
                "description",
                "website",
                "country",
                "region_id",
                "city",
                "size_band",
                "languages",
                "sectors",
                "visibility",
                "created_at",
                "updated_at",
            )
        },
        "members": [
            {"email": m.user.email, "full_name": m.user.full_name, "role": m.role}
            for m in Membership.objects.filter(organisation=organisation).select_related("user")
        ],
        "open_invitations": list(
            Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True).values(
                "email", "role", "created_at"
            )
        ),
        "needs": [
            _posting_data(p)
            for p in Need.objects.filter(organisation=organisation).select_related("author")
        ],
        "capabilities": [
            _posting_data(p)
            for p in Capability.objects.filter(organisation=organisation).select_related("author")
        ],
        "suggestion_feedback": [
            _feedback_data(f) for f in SuggestionFeedback.objects.filter(sources)
        ],
        "audit_log": _audit_data(
            LogEntry.objects.filter(additional_data__organisation_id=organisation.id)
        ),
    }


@transaction.atomic
def organisation_delete(*, organisation: Organisation, actor: User) -> None:
    """Erase an organisation (see the module docstring for what stays). Admins only."""

    _require_admin(actor=actor, organisation=organisation)
    _organisation_erase(organisation)


def _organisation_erase(organisation: Organisation) -> None:
    from matchmaking.models import Capability, Embedding, Need, SuggestionFeedback

    for model in (Need, Capability):
        postings = model.objects.filter(organisation=organisation)
        Embedding.objects.filter(**{f"{model._meta.model_name}__in": postings}).delete()
        postings.update(
            title=_("Deleted posting"),
            description="",
            author=None,
            deadline=None,
            visibility=Visibility.HIDDEN,
            status="closed",
            updated_at=timezone.now(),
        )
    Embedding.objects.filter(organisation=organisation).delete()
    SuggestionFeedback.objects.filter(
        Q(source_organisation=organisation)
        | Q(source_need__organisation=organisation)
        | Q(source_capability__organisation=organisation)
    ).update(reason="")
    Membership.objects.filter(organisation=organisation).delete()
    Invitation.objects.filter(organisation=organisation).delete()
    Organisation.objects.filter(pk=organisation.pk).update(
        name=_("Deleted organisation %(number)d") % {"number": organisation.pk},
        slug=f"deleted-{organisation.pk}",
        description="",
        website="",
        city="",
        visibility=Visibility.HIDDEN,
        updated_at=timezone.now(),
    )


@transaction.atomic
def user_delete(*, user: User, actor: User) -> None:
    """Erase a person's account; only they may. The last administrator of an organisation
    that has other members must hand over first; an organisation of which they are the only
    member is erased with them."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("Only the account holder may delete an account."))
    admin_of = [
        (
            organisation,
            Membership.objects.filter(organisation=organisation).count(),
            Membership.objects.filter(
                organisation=organisation, role=Membership.Role.ADMIN
            ).count(),
        )
        for organisation in Organisation.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.ADMIN
        )
    ]
    blocking = [o.name for o, members, admins in admin_of if admins == 1 and members > 1]
    if blocking:
        raise ValidationError(
            _(
                "You are the last administrator of %(names)s. Make another member an "
                "administrator first."
            )
            % {"names": ", ".join(blocking)}
        )
    for organisation, members, _admins in admin_of:
        if members == 1:
            _organisation_erase(organisation)
    _user_erase(user)


def _user_erase(user: User) -> None:
    from matchmaking.models import Capability, Need, SuggestionFeedback

    old_email = user.email
    for model in (Need, Capability):
        model.objects.filter(author=user).update(author=None)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    ProgrammeManager.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=old_email, accepted_at__isnull=True).delete()
    SuggestionFeedback.objects.filter(user=user).update(reason="")
    LogEntry.objects.filter(actor=user).update(actor_email=None, remote_addr=None, remote_port=None)
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.full_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    # A new password hash also ends every session of the account.
    user.set_unusable_password()
    user.save()
