"""A plausible collaboration history for the demo world (`manage.py seed_demo`): contact
requests answered and pending, threads, outcomes up to contracts, spread over the last
half year, and one anonymous need. Written through the services, so it obeys the same
rules as users do; idempotent (skipped once any contact request exists)."""

from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import Membership, Organisation
from matchmaking.collaboration import services
from matchmaking.collaboration.models import ContactOutcome, ContactRequest
from matchmaking.models import Capability, Need

# What becomes of the n-th request: None = still pending, "declined", or the outcomes
# recorded after acceptance (possibly none).
STORIES = (
    ["met", "proposal"],
    ["met", "follow_up", "partnership"],
    [],
    "declined",
    ["met", "proposal", "partnership", "contract"],
    None,
    ["met"],
    ["met", "follow_up"],
    "declined",
    None,
    ["met", "partnership"],
    [],
)
HISTORY_DAYS = 180
WELD_SME = "weber-prazisionsmaschinen-gmbh"
VISION_INSTITUTE = "institut-fur-industrielle-bildverarbeitung-stuttgart"


def _member(organisation: Organisation):
    membership = (
        Membership.objects.filter(organisation=organisation).select_related("user").order_by("id")
    ).first()
    return membership.user if membership else None


def _pairs() -> list[tuple[Need, Capability]]:
    """The weld-seam story first, then needs paired with capabilities of other
    organisations, spread over the world (deterministic)."""
    needs = list(Need.objects.select_related("organisation").order_by("id"))
    capabilities = list(Capability.objects.select_related("organisation").order_by("id"))
    candidates = []
    weld = [n for n in needs if n.organisation.slug == WELD_SME]
    vision = [c for c in capabilities if c.organisation.slug == VISION_INSTITUTE]
    if weld and vision:
        candidates.append((weld[0], vision[0]))
    step = max(len(needs) // len(STORIES), 1)
    for k, need in enumerate(needs[::step]):
        others = [c for c in capabilities if c.organisation_id != need.organisation_id]
        if others:
            candidates.append((need, others[(k * 7) % len(others)]))
    # One request per pair of organisations, as the services allow.
    pairs, seen = [], set()
    for need, capability in candidates:
        key = frozenset((need.organisation_id, capability.organisation_id))
        if key not in seen:
            seen.add(key)
            pairs.append((need, capability))
    return pairs[: len(STORIES)]


@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
def seed_collaboration_history() -> Counter[str]:
    """Requests, answers, messages and outcomes; returns what was written."""
    tally: Counter[str] = Counter()
    if ContactRequest.objects.exists():
        tally["contact_requests_existing"] = ContactRequest.objects.count()
        return tally
    now = timezone.now()
    with transaction.atomic():
        for k, (need, capability) in enumerate(_pairs()):
            sender, recipient = _member(need.organisation), _member(capability.organisation)
            if sender is None or recipient is None:
                continue
            request = services.contact_request_send(
                sender=sender,
                sender_organisation=need.organisation,
                target=capability,
                about=need,
                reason=f"Your “{capability.title}” could answer our need “{need.title}”.",
            )
            tally["contact_requests_created"] += 1
            story = STORIES[k]
            sent_at = now - timedelta(days=HISTORY_DAYS - k * (HISTORY_DAYS // len(STORIES)))
            answered_at = sent_at + timedelta(days=2)
            if story == "declined":
                services.contact_request_decline(
                    request=request, actor=recipient, reason="No capacity this year."
                )
            elif story is not None:
                services.contact_request_accept(request=request, actor=recipient)
                services.contact_message_post(
                    request=request, author=recipient, body="Gladly. When would suit you?"
                )
                services.contact_message_post(
                    request=request, author=sender, body="Next week, at our plant?"
                )
                for stage in story:
                    services.contact_outcome_record(request=request, actor=sender, stage=stage)
                    tally["outcomes_created"] += 1
                ContactOutcome.objects.filter(contact_request=request).update(
                    created_at=answered_at + timedelta(days=14)
                )
            ContactRequest.objects.filter(id=request.id).update(
                created_at=sent_at,
                responded_at=answered_at if story is not None else None,
            )
        anonymous = (
            Need.objects.filter(anonymous=False)
            .exclude(organisation__slug=WELD_SME)
            .order_by("-id")
        ).first()
        if anonymous is not None:
            # Written like the seed's postings, without a per-posting embedding task:
            # `embed --stale` afterwards refreshes its organisation's text.
            Need.objects.filter(id=anonymous.id).update(anonymous=True)
            tally["anonymous_postings"] += 1
    return tally
