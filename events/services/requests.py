"""Meeting requests between participants, and a participant's own pair verdicts."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Meeting, MeetingRequest, PairRule, Participant
from events.notifications import notify_after_commit
from events.selectors import open_request_count, pair_key, ruled_out_pairs


@transaction.atomic
def meeting_request_send(
    *, sender: Participant, recipient: Participant, message: str = ""
) -> MeetingRequest:
    """Refused for pairs that never meet (declined, vetoed, met before), pairs already
    asked either way, one's own organisation, and recipients at the event's request cap
    (popular participants are not flooded)."""
    event = sender.event
    if recipient.event_id != event.id or recipient.status != Participant.Status.REGISTERED:
        raise ValidationError({"recipient": _("Not a participant of this event.")})
    if recipient.organisation_id == sender.organisation_id:
        raise ValidationError({"recipient": _("Meet colleagues outside the brokerage.")})
    if pair_key(sender, recipient) in ruled_out_pairs(event=event):
        raise ValidationError({"recipient": _("This pair will not meet at this event.")})
    if MeetingRequest.objects.filter(
        sender__in=[sender, recipient], recipient__in=[sender, recipient]
    ).exists():
        raise ValidationError({"recipient": _("There is already a request between you two.")})
    if open_request_count(recipient=recipient) >= event.request_cap:
        raise ValidationError(
            {"recipient": _("This participant has too many open requests; try again later.")}
        )
    request = MeetingRequest(event=event, sender=sender, recipient=recipient, message=message)
    request.full_clean()
    request.save()
    notify_after_commit("request_received", request_id=request.id)
    return request


def _respond(request: MeetingRequest, participant: Participant, status: str) -> MeetingRequest:
    if participant.id != request.recipient_id:
        raise PermissionDenied
    if request.status != MeetingRequest.Status.PENDING:
        raise ValidationError({"status": _("This request was already answered.")})
    request.status = status
    request.responded_at = timezone.now()
    request.save(update_fields=["status", "responded_at"])
    return request


@transaction.atomic
def meeting_request_accept(*, request: MeetingRequest, participant: Participant) -> MeetingRequest:
    _respond(request, participant, MeetingRequest.Status.ACCEPTED)
    notify_after_commit("request_accepted", request_id=request.id)
    return request


@transaction.atomic
def meeting_request_decline(*, request: MeetingRequest, participant: Participant) -> MeetingRequest:
    """Declining is a hard "not this pair": no request, draft or booking for it again, and
    a draft meeting of the pair is cancelled."""
    _respond(request, participant, MeetingRequest.Status.DECLINED)
    low, high = pair_key(request.sender, request.recipient)
    Meeting.objects.filter(
        event=request.event, a_id=low, b_id=high, status=Meeting.Status.DRAFT
    ).update(status=Meeting.Status.CANCELLED)
    return request


@transaction.atomic
def meeting_request_withdraw(
    *, request: MeetingRequest, participant: Participant
) -> MeetingRequest:
    if participant.id != request.sender_id:
        raise PermissionDenied
    if request.status != MeetingRequest.Status.PENDING:
        raise ValidationError({"status": _("Only a pending request can be withdrawn.")})
    request.status = MeetingRequest.Status.WITHDRAWN
    request.save(update_fields=["status"])
    return request


@transaction.atomic
def pair_met_before(*, participant: Participant, other: Participant) -> PairRule:
    """The participant already knows the other: not suggested, requested or scheduled."""
    if other.event_id != participant.event_id or other.id == participant.id:
        raise ValidationError({"other": _("Not a participant of this event.")})
    low, high = pair_key(participant, other)
    rule, _created = PairRule.objects.update_or_create(
        event=participant.event,
        low_id=low,
        high_id=high,
        defaults={"rule": PairRule.Rule.MET_BEFORE, "created_by": participant.user},
    )
    return rule
