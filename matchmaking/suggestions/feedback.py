"""Feedback on suggestions: writes (save, dismiss, contact) and the reads the suggestion
service needs (what this user dismissed, saved or contacted).

A suggestion is a pair: a source (the need, capability or organisation the suggestions are
for) and a target (what was suggested). Only signed-in members of the source's organisation
may give feedback on its suggestions; verdicts are per user, so one member dismissing a
pair does not hide it from colleagues."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from accounts.selectors import (
    AnyUser,
    access_organisation,
    organisation_list_visible_to,
    user_is_member,
)
from matchmaking.kinds import (
    CAPABILITY,
    NEED,
    ORGANISATION,
    TARGET_KINDS,
    Item,
    item_kind,
    item_organisation_id,
)
from matchmaking.models import Capability, Need, SuggestionFeedback
from matchmaking.selectors import access_capability, access_need, posting_list_visible_to

Action = SuggestionFeedback.Action

# Saving and contacting both say "more like this"; dismissing says the opposite.
POSITIVE_ACTIONS = (Action.SAVED, Action.CONTACTED)


def _pair_fields(*, source: Item, target: Item) -> dict[str, Item]:
    return {f"source_{item_kind(source)}": source, f"target_{item_kind(target)}": target}


@dataclass(frozen=True)
class Snapshot:
    """What the user saw when acting; stored for offline evaluation."""

    score: float | None = None
    rank: int | None = None
    explanation: dict[str, Any] | None = None


def _check_pair(*, user: AnyUser, source: Item, target: Item) -> None:
    if not user.is_authenticated or not user_is_member(
        user=user,
        organisation=source.organisation if not isinstance(source, Organisation) else source,
    ):
        raise PermissionDenied("Only members of the source's organisation may give feedback.")
    if item_kind(target) not in TARGET_KINDS[item_kind(source)]:
        raise ValidationError(
            {"target_kind": f"A {item_kind(source)} is never suggested a {item_kind(target)}."}
        )
    if item_organisation_id(source) == item_organisation_id(target):
        raise ValidationError({"target_id": "An organisation is never suggested to itself."})


@transaction.atomic
def _feedback_record(
    *,
    user: User,
    source: Item,
    target: Item,
    action: str,
    reason: str = "",
    snapshot: Snapshot | None = None,
    undoes: tuple[str, ...] = (),
) -> SuggestionFeedback:
    """One row per user, pair and action: repeating an action updates its row (the unique
    constraint makes a concurrent double click fail loudly instead of duplicating)."""
    _check_pair(user=user, source=source, target=target)
    pair = _pair_fields(source=source, target=target)
    if undoes:
        SuggestionFeedback.objects.filter(user=user, action__in=undoes, **pair).delete()
    feedback = (
        SuggestionFeedback.objects.select_for_update()
        .filter(user=user, action=action, **pair)
        .first()
    ) or SuggestionFeedback(user=user, action=action, **pair)
    feedback.reason = reason
    if snapshot is not None:
        feedback.score = snapshot.score
        feedback.rank = snapshot.rank
        feedback.explanation = snapshot.explanation or {}
    feedback.full_clean()
    feedback.save()
    return feedback


def suggestion_save(
    *, user: User, source: Item, target: Item, snapshot: Snapshot | None = None
) -> SuggestionFeedback:
    """Keep a suggestion; similar targets rank higher for this user afterwards. Saving a
    dismissed pair brings it back (the API's way to undo a dismissal)."""
    return _feedback_record(
        user=user,
        source=source,
        target=target,
        action=Action.SAVED,
        snapshot=snapshot,
        undoes=(Action.DISMISSED,),
    )


def suggestion_dismiss(
    *, user: User, source: Item, target: Item, reason: str = "", snapshot: Snapshot | None = None
) -> SuggestionFeedback:
    """ "Not relevant": the pair never comes back for this user; colleagues still see it.
    A dismissal replaces an earlier save of the same pair."""
    return _feedback_record(
        user=user,
        source=source,
        target=target,
        action=Action.DISMISSED,
        reason=reason.strip(),
        snapshot=snapshot,
        undoes=(Action.SAVED,),
    )


def suggestion_contact(
    *, user: User, source: Item, target: Item, snapshot: Snapshot | None = None
) -> SuggestionFeedback:
    """The user reached out to the target: the strongest positive verdict for evaluation."""
    return _feedback_record(
        user=user,
        source=source,
        target=target,
        action=Action.CONTACTED,
        snapshot=snapshot,
        undoes=(Action.DISMISSED,),
    )


FEEDBACK_SERVICES = {
    "save": suggestion_save,
    "dismiss": suggestion_dismiss,
    "contact": suggestion_contact,
}


# Reads ----------------------------------------------------------------------------------


def access_suggestion_source(*, user: AnyUser, kind: str, key: int | str) -> Item:
    """The one gate for acting on (or listing) a source's suggestions: signed-in members of
    the source's organisation only; 404 alike for missing, invisible and not-yours, so the
    answer reveals nothing."""
    if kind == NEED:
        source: Item = access_need(user=user, need_id=int(key))
        organisation = source.organisation
    elif kind == CAPABILITY:
        source = access_capability(user=user, capability_id=int(key))
        organisation = source.organisation
    elif kind == ORGANISATION:
        source = access_organisation(user=user, slug=str(key))
        organisation = source
    else:
        raise Http404
    if not user_is_member(user=user, organisation=organisation):
        raise Http404
    return source


def access_suggestion_target(*, user: AnyUser, kind: str, target_id: int) -> Item:
    """A target loads only when the user may see it: feedback must not confirm that a
    hidden posting or organisation exists."""
    if kind == NEED:
        return get_object_or_404(posting_list_visible_to(model=Need, user=user), id=target_id)
    if kind == CAPABILITY:
        return get_object_or_404(posting_list_visible_to(model=Capability, user=user), id=target_id)
    if kind == ORGANISATION:
        return get_object_or_404(organisation_list_visible_to(user=user), id=target_id)
    raise Http404


def feedback_actions_for_sources(
    *, user: AnyUser, source_kind: str, source_ids: Collection[int]
) -> dict[int, dict[tuple[str, int], set[str]]]:
    """{source id: {(target kind, target id): {actions}}} of this user, in one query."""
    actions: dict[int, dict[tuple[str, int], set[str]]] = {
        source_id: defaultdict(set) for source_id in source_ids
    }
    if user.pk is None or not source_ids:
        return actions
    column = f"source_{source_kind}_id"
    rows = SuggestionFeedback.objects.filter(
        user=user, **{f"{column}__in": list(source_ids)}
    ).values_list(
        column, "action", "target_need_id", "target_capability_id", "target_organisation_id"
    )
    for source_id, action, need_id, capability_id, organisation_id in rows:
        if need_id:
            target = (NEED, need_id)
        elif capability_id:
            target = (CAPABILITY, capability_id)
        else:
            target = (ORGANISATION, organisation_id)
        actions[source_id][target].add(action)
    return actions


def feedback_actions_for_source(*, user: AnyUser, source: Item) -> dict[tuple[str, int], set[str]]:
    """{(target kind, target id): {actions}} of this user for one source, in one query."""
    return feedback_actions_for_sources(
        user=user, source_kind=item_kind(source), source_ids=[source.id]
    )[source.id]


@dataclass(frozen=True)
class LikedItem:
    """A target the user saved or contacted, reduced to what "similar" compares."""

    kind: str
    id: int
    organisation_id: int
    techniques: frozenset[str]
    domains: frozenset[str]


def liked_item_list(*, user: AnyUser, kind: str, limit: int = 50) -> list[LikedItem]:
    """The user's most recent positive verdicts on targets of one kind, from any source: a
    capability saved for one need says something about what this user wants for the next.
    One query."""
    if user.pk is None or kind == ORGANISATION:
        return []
    prefix = f"target_{kind}"
    rows = (
        SuggestionFeedback.objects.filter(
            user=user, action__in=POSITIVE_ACTIONS, **{f"{prefix}__isnull": False}
        )
        .order_by("-created_at")
        .values_list(
            f"{prefix}_id",
            f"{prefix}__organisation_id",
            f"{prefix}__techniques",
            f"{prefix}__domains",
        )[:limit]
    )
    seen: set[int] = set()
    liked = []
    for target_id, organisation_id, techniques, domains in rows:
        if target_id in seen:
            continue
        seen.add(target_id)
        liked.append(
            LikedItem(
                kind=kind,
                id=target_id,
                organisation_id=organisation_id,
                techniques=frozenset(techniques or ()),
                domains=frozenset(domains or ()),
            )
        )
    return liked


def feedback_list_for_evaluation() -> list[dict[str, Any]]:
    """Every verdict as a plain row (for the offline evaluation and exports)."""
    return list(
        SuggestionFeedback.objects.order_by("created_at").values(
            "user_id",
            "action",
            "reason",
            "score",
            "rank",
            "explanation",
            "source_need_id",
            "source_capability_id",
            "source_organisation_id",
            "target_need_id",
            "target_capability_id",
            "target_organisation_id",
            "created_at",
        )
    )
