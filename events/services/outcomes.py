"""After the event: either side says whether a meeting was held, rates it and names the
follow-up. A no-show is recorded against the side that did not come and lowers their
pairs' weight when later events are scheduled (services/schedule.py)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Meeting, MeetingFeedback, Participant


@transaction.atomic
def meeting_outcome_report(
    *,
    meeting: Meeting,
    participant: Participant,
    held: bool,
    rating: int | None = None,
    follow_up: str = MeetingFeedback.FollowUp.NONE,
    note: str = "",
) -> Meeting:
    if participant.id not in (meeting.a_id, meeting.b_id):
        raise PermissionDenied
    if meeting.status != Meeting.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed meeting has an outcome."))
    if meeting.slot.starts_at > timezone.now():
        raise ValidationError(_("This meeting has not started yet."))
    if not held:
        meeting.outcome = Meeting.Outcome.NO_SHOW
        meeting.no_show = meeting.other(participant)
        meeting.save(update_fields=["outcome", "no_show"])
        return meeting
    if rating is None:
        raise ValidationError({"rating": _("Rate the meeting from 1 to 5.")})
    meeting.outcome = Meeting.Outcome.HELD
    meeting.no_show = None
    meeting.save(update_fields=["outcome", "no_show"])
    feedback, _created = MeetingFeedback.objects.get_or_create(
        meeting=meeting,
        participant=participant,
        defaults={"rating": rating, "follow_up": follow_up, "note": note},
    )
    feedback.rating, feedback.follow_up, feedback.note = rating, follow_up, note
    feedback.full_clean()
    feedback.save()
    return meeting
