"""The organiser's rules on pairs: pin (must meet) and veto (never meet)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import Meeting, PairRule, Participant
from events.selectors import pair_key, user_organises

ORGANISER_RULES = (PairRule.Rule.PIN, PairRule.Rule.VETO)


@transaction.atomic
def pair_rule_set(*, a: Participant, b: Participant, rule: str, actor: User) -> PairRule | None:
    """Pins or vetoes a pair, or clears the organiser's rule when `rule` is empty. A veto
    also cancels the pair's draft meeting."""
    event = a.event
    if not user_organises(user=actor, event=event):
        raise PermissionDenied
    if b.event_id != event.id or a.id == b.id:
        raise ValidationError({"pair": _("Both must be participants of this event.")})
    low, high = pair_key(a, b)
    rules = PairRule.objects.filter(event=event, low_id=low, high_id=high)
    if not rule:
        rules.filter(rule__in=ORGANISER_RULES).delete()
        return None
    if rule not in ORGANISER_RULES:
        raise ValidationError({"rule": _("Pin or veto.")})
    if rule == PairRule.Rule.VETO:
        Meeting.objects.filter(
            event=event, a_id=low, b_id=high, status=Meeting.Status.DRAFT
        ).update(status=Meeting.Status.CANCELLED)
    pair_rule, _created = PairRule.objects.update_or_create(
        event=event, low_id=low, high_id=high, defaults={"rule": rule, "created_by": actor}
    )
    return pair_rule
