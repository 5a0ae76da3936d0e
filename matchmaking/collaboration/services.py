"""Writes for contact requests, their thread and outcomes, and exclusions.

Only members of an organisation act for it: they send its requests, answer the requests it
receives, write in its threads, record outcomes and declare its exclusions. E-mails leave
after commit through Celery (tasks.contact_request_notify), so a refused or rolled-back
write sends nothing."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.selectors import AnyUser, user_is_member
from accounts.services import require_confirmed_email
from matchmaking.collaboration.models import (
    ContactMessage,
    ContactOutcome,
    ContactRequest,
    OrganisationExclusion,
)
from matchmaking.collaboration.selectors import (
    contact_requests_sent_since,
    last_decline,
    open_contact_between,
)
from matchmaking.collaboration.tasks import contact_request_notify as contact_request_notify_task
from matchmaking.models import Capability, Need, Posting
from matchmaking.suggestions.feedback import suggestion_contact

Status = ContactRequest.Status


def _require_member(*, user: AnyUser, organisation: Organisation) -> None:
    if not user.is_authenticated or not user_is_member(user=user, organisation=organisation):
        raise PermissionDenied("Only members of the organisation may act for it.")


def _notify_after_commit(request: ContactRequest, event: str) -> None:
    transaction.on_commit(lambda: contact_request_notify_task.delay(request.id, event))


def _posting_fields(prefix: str, posting: Posting | None) -> dict[str, Posting]:
    if posting is None:
        return {}
    kind = "need" if isinstance(posting, Need) else "capability"
    return {f"{prefix}_{kind}": posting}


@transaction.atomic
def contact_request_send(
    *,
    sender: User,
    sender_organisation: Organisation,
    reason: str,
    recipient_organisation: Organisation | None = None,
    about: Need | Capability | None = None,
    target: Need | Capability | None = None,
) -> ContactRequest:
    """Ask another organisation for contact. `about` is one of the sender's postings,
    `target` the recipient's posting the request was sent from (it decides the recipient
    when given, so an anonymous posting's owner never has to be named by the sender).

    Refused: not a member (403); the own organisation; a pending or accepted contact
    between the two; the sender organisation's daily cap reached; a decline by the same
    recipient within the cool-down (all 400, nothing written)."""
    _require_member(user=sender, organisation=sender_organisation)
    require_confirmed_email(user=sender)
    if target is not None:
        recipient_organisation = Organisation.objects.get(id=target.organisation_id)
    if recipient_organisation is None:
        raise ValidationError({"recipient_organisation": _("Choose whom to contact.")})
    if recipient_organisation.id == sender_organisation.id:
        raise ValidationError(
            {"recipient_organisation": _("Your organisation cannot contact itself.")}
        )
    if about is not None and about.organisation_id != sender_organisation.id:
        raise ValidationError({"about": _("Choose one of your organisation's postings.")})
    # The sender organisation's row is the lock: two colleagues sending at once cannot
    # both pass the cap check.
    Organisation.objects.select_for_update().filter(id=sender_organisation.id).first()
    now = timezone.now()
    existing = open_contact_between(a=sender_organisation, b=recipient_organisation)
    if existing is not None:
        message = (
            _("You are already in contact with this organisation.")
            if existing.is_accepted
            else _("A contact request between your organisations is waiting for an answer.")
        )
        raise ValidationError(message, code="already_open")
    declined = last_decline(sender=sender_organisation, recipient=recipient_organisation)
    cooldown = timedelta(days=settings.CONTACT_REQUEST_COOLDOWN_DAYS)
    if declined is not None and declined.responded_at + cooldown > now:
        raise ValidationError(
            _("This organisation declined your last request. You can ask again from %(date)s.")
            % {"date": (declined.responded_at + cooldown).date().isoformat()},
            code="cooldown",
        )
    sent_today = contact_requests_sent_since(
        organisation=sender_organisation, since=now - timedelta(days=1)
    )
    if sent_today >= settings.CONTACT_REQUESTS_PER_DAY:
        raise ValidationError(
            _(
                "Your organisation has sent %(cap)d contact requests in the last 24 hours, the "
                "most allowed. Please try again later."
            )
            % {"cap": settings.CONTACT_REQUESTS_PER_DAY},
            code="daily_cap",
        )
    request = ContactRequest(
        sender=sender,
        sender_organisation=sender_organisation,
        recipient_organisation=recipient_organisation,
        reason=reason.strip(),
        **_posting_fields("about", about),
        **_posting_fields("target", target),
    )
    request.full_clean()
    request.save()
    if about is not None and target is not None and type(about) is not type(target):
        # Sent from a suggestion: the strongest positive verdict for evaluation and ranking.
        suggestion_contact(user=sender, source=about, target=target)
    _notify_after_commit(request, "sent")
    return request


def _answer(*, request: ContactRequest, actor: User, status: str, reason: str) -> ContactRequest:
    _require_member(user=actor, organisation=request.recipient_organisation)
    locked = ContactRequest.objects.select_for_update().get(id=request.id)
    if locked.status != Status.PENDING:
        raise ValidationError(_("This request has already been answered."), code="answered")
    request.status = status
    request.response_reason = reason.strip()
    request.responder = actor
    request.responded_at = timezone.now()
    request.full_clean()
    request.save(update_fields=["status", "response_reason", "responder", "responded_at"])
    _notify_after_commit(request, status)
    return request


@transaction.atomic
def contact_request_accept(
    *, request: ContactRequest, actor: User, reason: str = ""
) -> ContactRequest:
    """The recipient agrees to talk: both sides now see each other's contact person (and,
    for an anonymous posting, each other's organisation) and share a thread."""
    return _answer(request=request, actor=actor, status=Status.ACCEPTED, reason=reason)


@transaction.atomic
def contact_request_decline(
    *, request: ContactRequest, actor: User, reason: str = ""
) -> ContactRequest:
    """The recipient says no (optionally why); the sender may ask again after the cool-down."""
    return _answer(request=request, actor=actor, status=Status.DECLINED, reason=reason)


def _require_side(*, request: ContactRequest, actor: AnyUser) -> Organisation:
    """The actor's organisation on this accepted request (the sender's if both)."""
    for organisation in (request.sender_organisation, request.recipient_organisation):
        if actor.is_authenticated and user_is_member(user=actor, organisation=organisation):
            if not request.is_accepted:
                raise ValidationError(_("This is possible once the request is accepted."))
            return organisation
    raise PermissionDenied("Only the two organisations of a contact may do this.")


@transaction.atomic
def contact_message_post(*, request: ContactRequest, author: User, body: str) -> ContactMessage:
    organisation = _require_side(request=request, actor=author)
    message = ContactMessage(
        contact_request=request, author=author, organisation=organisation, body=body.strip()
    )
    message.full_clean()
    message.save()
    _notify_after_commit(request, "message")
    return message


@transaction.atomic
def contact_outcome_record(
    *, request: ContactRequest, actor: User, stage: str, note: str = ""
) -> ContactOutcome:
    """Where the contact stands now (met, follow-up, proposal, partnership, contract)."""
    organisation = _require_side(request=request, actor=actor)
    outcome = ContactOutcome(
        contact_request=request,
        stage=stage,
        note=note.strip(),
        recorded_by=actor,
        organisation=organisation,
    )
    outcome.full_clean()
    outcome.save()
    return outcome


@transaction.atomic
def exclusion_add(
    *, organisation: Organisation, excluded: Organisation, reason: str, actor: User
) -> OrganisationExclusion:
    """Keep `excluded` out of the organisation's suggestions and the organisation out of
    theirs. Declaring the same pair again changes its reason."""
    _require_member(user=actor, organisation=organisation)
    if excluded.id == organisation.id:
        raise ValidationError({"excluded": _("An organisation is never suggested to itself.")})
    exclusion = (
        OrganisationExclusion.objects.select_for_update()
        .filter(organisation=organisation, excluded=excluded)
        .first()
    ) or OrganisationExclusion(organisation=organisation, excluded=excluded, created_by=actor)
    exclusion.reason = reason
    exclusion.full_clean(validate_constraints=False)
    exclusion.save()
    return exclusion


@transaction.atomic
def exclusion_remove(*, exclusion: OrganisationExclusion, actor: User) -> None:
    _require_member(user=actor, organisation=exclusion.organisation)
    exclusion.delete()
