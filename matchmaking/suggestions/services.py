"""The one way pages and the API record feedback on a suggestion."""

from django.core.exceptions import ValidationError

from accounts.models import User
from matchmaking.kinds import Item
from matchmaking.models import SuggestionFeedback
from matchmaking.suggestions import suggestion_find
from matchmaking.suggestions.feedback import FEEDBACK_SERVICES


def suggestion_feedback_give(
    *, user: User, source: Item, target: Item, action: str, reason: str = ""
) -> SuggestionFeedback:
    """Save, dismiss (with an optional reason) or contact `target` as a suggestion of
    `source`. The feedback keeps the score, rank and signals the pair has for this user
    now, which is what the user was looking at. Callers load source and target through
    the access gates (matchmaking.suggestions.feedback); a reason counts for dismissals
    only. ValidationError for an unknown action or a pair that is never suggested."""
    if action not in FEEDBACK_SERVICES:
        raise ValidationError({"action": f"Unknown action {action!r}."})
    shown = suggestion_find(source=source, target=target, user=user)
    extra = {"reason": reason} if action == "dismiss" else {}
    return FEEDBACK_SERVICES[action](
        user=user,
        source=source,
        target=target,
        snapshot=shown.snapshot() if shown else None,
        **extra,
    )
