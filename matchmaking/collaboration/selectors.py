"""Reads for contact requests, exclusions and what the collaboration feeds elsewhere
(ranking, the collaboration network, event suggestions).

Who sees a contact request: members of the sender's and of the recipient's organisation,
nobody else (404 alike for missing and not-yours). Before acceptance the sender side sees
the recipient of a request sent from an anonymous posting only as its stand-in."""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from accounts.selectors import AnyUser, organisation_ids_of
from matchmaking.collaboration.anonymity import anonymous_stand_in
from matchmaking.collaboration.models import (
    ContactMessage,
    ContactOutcome,
    ContactRequest,
    OrganisationExclusion,
)

Status = ContactRequest.Status
Stage = ContactOutcome.Stage
# The outcomes that make a contact a partnership (dashboard, network edges).
PARTNERSHIP_STAGES = (Stage.PARTNERSHIP, Stage.CONTRACT)


# --- contact requests --------------------------------------------------------------------


def _with_relations(requests: QuerySet[ContactRequest]) -> QuerySet[ContactRequest]:
    return requests.select_related(
        "sender",
        "responder",
        "sender_organisation",
        "sender_organisation__region",
        "recipient_organisation",
        "recipient_organisation__region",
        "about_need",
        "about_capability",
        "target_need",
        "target_capability",
    )


def contact_request_list_for(*, user: AnyUser, member_of: Collection[int] | None = None):
    """Every request sent or received by one of the user's organisations, newest first,
    each presented for the user (see `present`)."""
    own = set(organisation_ids_of(user) if member_of is None else member_of)
    requests = _with_relations(
        ContactRequest.objects.filter(
            Q(sender_organisation_id__in=own) | Q(recipient_organisation_id__in=own)
        )
    ).order_by("-created_at", "-id")
    return [present(request, member_of=own) for request in requests]


def access_contact_request(*, user: AnyUser, request_id: int) -> ContactRequest:
    """The one gate for a contact request: members of either side; 404 for everyone else."""
    own = set(organisation_ids_of(user))
    request = get_object_or_404(_with_relations(ContactRequest.objects), id=request_id)
    if not own & {request.sender_organisation_id, request.recipient_organisation_id}:
        raise Http404
    return present(request, member_of=own)


def is_hidden_from_sender(request: ContactRequest) -> bool:
    """A request sent from an anonymous posting names its recipient to the sender only
    once the poster has accepted."""
    target = request.target_posting
    return bool(target and target.anonymous and request.status != Status.ACCEPTED)


def present(request: ContactRequest, *, member_of: Collection[int]) -> ContactRequest:
    """The request as the viewer may see it: `side` is "sender" or "recipient" (the
    sender's when a user is on both sides), `counterpart` the other organisation, masked
    for the sender while the recipient is anonymous, and `contact_person` the other side's
    person once accepted."""
    is_sender = request.sender_organisation_id in member_of
    request.side = "sender" if is_sender else "recipient"
    if is_sender:
        request.counterpart = request.recipient_organisation
        if is_hidden_from_sender(request):
            request.counterpart = anonymous_stand_in(request.recipient_organisation)
        request.own_organisation = request.sender_organisation
        request.contact_person = request.responder if request.is_accepted else None
    else:
        request.counterpart = request.sender_organisation
        request.own_organisation = request.recipient_organisation
        request.contact_person = request.sender if request.is_accepted else None
    return request


def message_list_for(*, request: ContactRequest) -> QuerySet[ContactMessage]:
    return request.messages.select_related("author", "organisation")


def outcome_list_for(*, request: ContactRequest) -> QuerySet[ContactOutcome]:
    return request.outcomes.select_related("recorded_by")


def contact_requests_sent_since(*, organisation: Organisation, since: datetime) -> int:
    return ContactRequest.objects.filter(
        sender_organisation=organisation, created_at__gte=since
    ).count()


def last_decline(*, sender: Organisation, recipient: Organisation) -> ContactRequest | None:
    return (
        ContactRequest.objects.filter(
            sender_organisation=sender, recipient_organisation=recipient, status=Status.DECLINED
        )
        .order_by("-responded_at")
        .first()
    )


def open_contact_between(*, a: Organisation, b: Organisation) -> ContactRequest | None:
    """A pending or accepted request between the two organisations, either direction."""
    return (
        ContactRequest.objects.filter(
            Q(sender_organisation=a, recipient_organisation=b)
            | Q(sender_organisation=b, recipient_organisation=a),
            status__in=[Status.PENDING, Status.ACCEPTED],
        )
        .order_by("-created_at")
        .first()
    )


def contact_request_counts_for(*, user: User) -> int:
    """Pending requests waiting for an answer from one of the user's organisations."""
    return ContactRequest.objects.filter(
        recipient_organisation_id__in=organisation_ids_of(user), status=Status.PENDING
    ).count()


# --- exclusions --------------------------------------------------------------------------


def exclusion_list_for(*, organisation: Organisation) -> QuerySet[OrganisationExclusion]:
    return organisation.exclusions.select_related("excluded", "created_by")


def excluded_organisation_ids(*, organisation_ids: Iterable[int]) -> set[int]:
    """Organisations paired with any of `organisation_ids` by an exclusion, whichever side
    declared it: what suggestions for those organisations must leave out. One query."""
    ids = list(organisation_ids)
    if not ids:
        return set()
    rows = OrganisationExclusion.objects.filter(
        Q(organisation_id__in=ids) | Q(excluded_id__in=ids)
    ).values_list("organisation_id", "excluded_id")
    wanted = set(ids)
    excluded = set()
    for declared_by, excluded_id in rows:
        if declared_by in wanted:
            excluded.add(excluded_id)
        if excluded_id in wanted:
            excluded.add(declared_by)
    return excluded


def excluded_organisation_pairs(*, organisation_ids: Iterable[int] | None = None) -> set[frozenset]:
    """Unordered pairs of organisations never to be suggested to each other (both
    directions), optionally only those touching `organisation_ids`. For event
    suggestions and anything else that pairs organisations."""
    rows = OrganisationExclusion.objects.all()
    if organisation_ids is not None:
        ids = list(organisation_ids)
        rows = rows.filter(Q(organisation_id__in=ids) | Q(excluded_id__in=ids))
    return {frozenset(pair) for pair in rows.values_list("organisation_id", "excluded_id")}


# --- what collaboration feeds elsewhere --------------------------------------------------


@dataclass(frozen=True)
class CollaborationEdge:
    """Two organisations that work together, from this platform's records: `kind` is
    "contact" (an accepted request, dated by its acceptance) or the furthest outcome
    stage recorded (dated by that record)."""

    organisation_a: int
    organisation_b: int
    kind: str
    since: datetime


def collaboration_edge_list(*, since: datetime | None = None) -> list[CollaborationEdge]:
    """Accepted contacts and recorded partnerships/contracts as network edges (for the
    collaboration network). Two queries."""
    accepted = ContactRequest.objects.filter(status=Status.ACCEPTED)
    if since is not None:
        accepted = accepted.filter(responded_at__gte=since)
    edges = [
        CollaborationEdge(
            r.sender_organisation_id, r.recipient_organisation_id, "contact", r.responded_at
        )
        for r in accepted.only(
            "sender_organisation_id", "recipient_organisation_id", "responded_at"
        )
    ]
    partnerships = ContactOutcome.objects.filter(stage__in=PARTNERSHIP_STAGES).select_related(
        "contact_request"
    )
    if since is not None:
        partnerships = partnerships.filter(created_at__gte=since)
    for outcome in partnerships.order_by("created_at"):
        request = outcome.contact_request
        edges.append(
            CollaborationEdge(
                request.sender_organisation_id,
                request.recipient_organisation_id,
                outcome.stage,
                outcome.created_at,
            )
        )
    return edges


# How far each stage went, for the ranking's bounded collaboration signal: an accepted
# request is the first step, a contract the last.
STAGE_PROGRESS = {
    "accepted": 0.25,
    Stage.MET: 0.4,
    Stage.FOLLOW_UP: 0.5,
    Stage.PROPOSAL: 0.7,
    Stage.PARTNERSHIP: 0.9,
    Stage.CONTRACT: 1.0,
}


def collaboration_record_for(
    *, organisation_ids: Iterable[int], before: datetime | None = None
) -> dict[int, float]:
    """{organisation id: how far its contacts on the platform went, in [0, 1]}: the mean
    over its accepted requests of the furthest stage each reached (an accepted request
    alone counts 0.25), damped towards 0 for few contacts (n / (n + 2)). Organisations
    without an accepted request are absent. `before`: the record as it stood then (for the
    offline replay). At most two queries."""
    ids = list(organisation_ids)
    if not ids:
        return {}
    accepted = ContactRequest.objects.filter(
        Q(sender_organisation_id__in=ids) | Q(recipient_organisation_id__in=ids),
        status=Status.ACCEPTED,
    )
    outcomes = ContactOutcome.objects.all()
    if before is not None:
        accepted = accepted.filter(responded_at__lt=before)
        outcomes = outcomes.filter(created_at__lt=before)
    accepted = list(
        accepted.values_list("id", "sender_organisation_id", "recipient_organisation_id")
    )
    if not accepted:
        return {}
    furthest: dict[int, float] = {
        row["contact_request_id"]: max(STAGE_PROGRESS[s] for s in row["stages"])
        for row in outcomes.filter(contact_request_id__in=[a[0] for a in accepted])
        .values("contact_request_id")
        .annotate(stages=ArrayAgg("stage"))
    }
    progress: dict[int, list[float]] = defaultdict(list)
    wanted = set(ids)
    for request_id, sender, recipient in accepted:
        value = max(STAGE_PROGRESS["accepted"], furthest.get(request_id, 0.0))
        for organisation_id in (sender, recipient):
            if organisation_id in wanted:
                progress[organisation_id].append(value)
    return {
        organisation_id: (sum(values) / len(values)) * len(values) / (len(values) + 2)
        for organisation_id, values in progress.items()
    }


def own_open_posting_list(*, user: AnyUser) -> list:
    """Open needs and capabilities of the user's organisations, newest first: what a
    contact request may be about."""
    from matchmaking.models import Capability, Need

    own = organisation_ids_of(user)
    postings = []
    for model in (Need, Capability):
        postings += list(
            model.objects.filter(organisation_id__in=own, status="open")
            .select_related("organisation")
            .order_by("-created_at")[:50]
        )
    return postings
