"""Reads for events. Who may do what lives here, in one place:
- anyone sees an event's public page (name, venue, sessions);
- an event's organisers (per-event grant, or admins of a host organisation that staff
  made an organiser) curate, schedule and see everything of that event;
- a participant sees their own registration, requests and agenda, and the other
  participants' names and organisations; postings only through `posting_list_visible_to`.
Staff are no exception on the pages (docs/permissions.md); they use the admin.
"""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Membership, Organisation
from accounts.selectors import AnyUser
from events.models import (
    Event,
    Meeting,
    MeetingRequest,
    PairRule,
    PairScore,
    Participant,
    ScheduleRun,
    Slot,
)
from matchmaking.models import Capability, Need
from matchmaking.selectors import posting_list_visible_to


def organiser_organisation_list(*, user: AnyUser) -> QuerySet[Organisation]:
    """Organisations staff made organisers, where the user is an admin: may host events."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        organiser_grant__isnull=False,
        memberships__user=user,
        memberships__role=Membership.Role.ADMIN,
    ).order_by("name")


def event_list_organised_by(*, user: AnyUser) -> QuerySet[Event]:
    if not user.is_authenticated:
        return Event.objects.none()
    return Event.objects.filter(
        Q(organisers=user) | Q(host__in=organiser_organisation_list(user=user))
    ).distinct()


def user_organises(*, user: AnyUser, event: Event) -> bool:
    return event_list_organised_by(user=user).filter(id=event.id).exists()


def event_list_public() -> QuerySet[Event]:
    return Event.objects.select_related("host").order_by("-created_at")


def access_event(*, slug: str) -> Event:
    return get_object_or_404(Event.objects.select_related("host"), slug=slug)


def access_event_for_organiser(*, user: AnyUser, slug: str) -> Event:
    """The one gate for organiser pages: 404 (not 403) for everyone else."""
    return get_object_or_404(event_list_organised_by(user=user), slug=slug)


def registration_is_open(event: Event) -> bool:
    now = timezone.now()
    return (
        event.registration_open
        and (event.registration_opens_at is None or event.registration_opens_at <= now)
        and (event.registration_closes_at is None or now < event.registration_closes_at)
    )


def slot_list(*, event: Event) -> QuerySet[Slot]:
    return Slot.objects.filter(event=event).order_by("starts_at")


def participant_list(*, event: Event) -> QuerySet[Participant]:
    return Participant.objects.filter(
        event=event, status=Participant.Status.REGISTERED
    ).select_related("organisation", "organisation__region", "user")


def colleague_list_registrable(*, user: AnyUser, event: Event) -> QuerySet:
    """Members of the organisations the user administers who are not yet registered."""
    from accounts.models import User

    if not user.is_authenticated:
        return User.objects.none()
    administered = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values(
        "organisation_id"
    )
    registered = Participant.objects.filter(event=event).values("email")
    return (
        User.objects.filter(memberships__organisation_id__in=administered, is_active=True)
        .exclude(email__in=registered)
        .distinct()
        .order_by("full_name", "email")
    )


def organisation_administered_with(*, admin: AnyUser, member) -> Organisation:
    """The (first) organisation `admin` administers and `member` belongs to."""
    return (
        Organisation.objects.filter(
            memberships__user=admin, memberships__role=Membership.Role.ADMIN
        )
        .filter(memberships__user=member)
        .order_by("name")
        .first()
    )


def participant_for(*, user: AnyUser, event: Event) -> Participant | None:
    if not user.is_authenticated:
        return None
    return participant_list(event=event).filter(user=user).first()


def access_participant_self(*, user: AnyUser, event: Event) -> Participant:
    """The viewer's own registration, or 404: every participant page starts here."""
    participant = participant_for(user=user, event=event)
    if participant is None:
        raise Http404
    return participant


def access_other_participant(*, event: Event, participant_id: int) -> Participant:
    return get_object_or_404(participant_list(event=event), id=participant_id)


def participant_directory(
    *, event: Event, viewer: Participant | None, query: str = "", kind: str = "", country: str = ""
) -> QuerySet[Participant]:
    """The event's participants a participant may browse, narrowed by the filters set."""
    people = participant_list(event=event)
    if viewer is not None:
        people = people.exclude(id=viewer.id)
    if query:
        people = people.filter(
            Q(full_name__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(role__icontains=query)
            | Q(organisation__description__icontains=query)
        )
    if kind:
        people = people.filter(organisation__kind=kind)
    if country:
        people = people.filter(organisation__country=country)
    return people.order_by("organisation__name", "full_name")


def postings_brought_visible_to(
    *, participant: Participant, user: AnyUser
) -> tuple[list[Need], list[Capability]]:
    """What a participant brings to the event, as far as `user` may see it: a hidden
    posting stays hidden inside an event too."""
    needs = posting_list_visible_to(model=Need, user=user).filter(
        id__in=participant.needs.values("id")
    )
    capabilities = posting_list_visible_to(model=Capability, user=user).filter(
        id__in=participant.capabilities.values("id")
    )
    return list(needs), list(capabilities)


def pair_key(a: Participant | int, b: Participant | int) -> tuple[int, int]:
    a_id = a if isinstance(a, int) else a.id
    b_id = b if isinstance(b, int) else b.id
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def pair_score_list_for(*, participant: Participant) -> list[tuple[Participant, PairScore]]:
    """Suggested partners of a participant among the event's participants, best first,
    without pairs ruled out (vetoed, met before, declined)."""
    scores = (
        PairScore.objects.filter(Q(low=participant) | Q(high=participant), score__gt=0)
        .filter(
            low__status=Participant.Status.REGISTERED, high__status=Participant.Status.REGISTERED
        )
        .select_related("low__organisation", "high__organisation")
        .order_by("-score")
    )
    ruled_out = ruled_out_pairs(event=participant.event)
    return [
        (s.high if s.low_id == participant.id else s.low, s)
        for s in scores
        if (s.low_id, s.high_id) not in ruled_out
    ]


def ruled_out_pairs(*, event: Event) -> set[tuple[int, int]]:
    """Pairs that never meet: organiser vetoes, "met before", and declined requests."""
    ruled = {
        (low, high)
        for low, high in PairRule.objects.filter(
            event=event, rule__in=[PairRule.Rule.VETO, PairRule.Rule.MET_BEFORE]
        ).values_list("low_id", "high_id")
    }
    declined = MeetingRequest.objects.filter(
        event=event, status=MeetingRequest.Status.DECLINED
    ).values_list("sender_id", "recipient_id")
    return ruled | {pair_key(a, b) for a, b in declined}


def pair_rules(*, event: Event) -> dict[tuple[int, int], str]:
    return {
        (low, high): rule
        for low, high, rule in PairRule.objects.filter(event=event).values_list(
            "low_id", "high_id", "rule"
        )
    }


def candidate_pair_list(*, event: Event, limit: int = 200) -> QuerySet[PairScore]:
    """The organiser's curation list: the event's pairs by score, with both sides."""
    return (
        PairScore.objects.filter(event=event)
        .filter(
            low__status=Participant.Status.REGISTERED, high__status=Participant.Status.REGISTERED
        )
        .select_related("low__organisation", "high__organisation")
        .order_by("-score")[:limit]
    )


def request_list_for(*, participant: Participant) -> QuerySet[MeetingRequest]:
    """Requests the participant sent or received, and nobody else's."""
    return (
        MeetingRequest.objects.filter(Q(sender=participant) | Q(recipient=participant))
        .select_related("sender__organisation", "recipient__organisation")
        .order_by("-created_at")
    )


def access_request(*, participant: Participant, request_id: int) -> MeetingRequest:
    return get_object_or_404(request_list_for(participant=participant), id=request_id)


def open_request_count(*, recipient: Participant) -> int:
    return MeetingRequest.objects.filter(
        recipient=recipient, status=MeetingRequest.Status.PENDING
    ).count()


def meeting_list(*, event: Event) -> QuerySet[Meeting]:
    """Every live meeting of an event (organisers' view: drafts included)."""
    return (
        Meeting.objects.filter(event=event)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("slot", "a__organisation", "b__organisation")
        .order_by("slot__starts_at", "table")
    )


def agenda_for(*, participant: Participant) -> QuerySet[Meeting]:
    """A participant's agenda: meetings they were told about (self-booked or published),
    cancelled ones included so that calendars can drop them. Drafts stay hidden."""
    return (
        Meeting.objects.filter(Q(a=participant) | Q(b=participant), announced_at__isnull=False)
        .select_related("slot", "a__organisation", "b__organisation", "event")
        .order_by("slot__starts_at")
    )


def access_meeting_for_participant(*, participant: Participant, meeting_id: int) -> Meeting:
    return get_object_or_404(agenda_for(participant=participant), id=meeting_id)


def access_meeting_for_organiser(*, event: Event, meeting_id: int) -> Meeting:
    return get_object_or_404(meeting_list(event=event), id=meeting_id)


def latest_schedule_run(*, event: Event) -> ScheduleRun | None:
    return ScheduleRun.objects.filter(event=event).first()


def meeting_list_held(*, organisation_ids: list[int] | None = None) -> QuerySet[Meeting]:
    """Meetings that took place (an outcome of "held"), across events: evidence that two
    organisations talked, e.g. for the collaboration network. Narrowed to meetings with
    one of `organisation_ids` when given."""
    meetings = Meeting.objects.filter(outcome=Meeting.Outcome.HELD).select_related(
        "a__organisation", "b__organisation", "slot", "event"
    )
    if organisation_ids is not None:
        meetings = meetings.filter(
            Q(a__organisation_id__in=organisation_ids) | Q(b__organisation_id__in=organisation_ids)
        )
    return meetings


def no_show_count(*, email: str, exclude_event: Event | None = None) -> int:
    """How often the person behind this address missed a meeting at earlier events."""
    misses = Meeting.objects.filter(no_show__email__iexact=email)
    if exclude_event is not None:
        misses = misses.exclude(event=exclude_event)
    return misses.count()


def event_statistics(*, event: Event) -> dict:
    """The figures behind the organiser's dashboard charts."""
    meetings = meeting_list(event=event)
    per_slot = dict(
        meetings.values_list("slot_id").annotate(n=Count("id")).values_list("slot_id", "n")
    )
    requests = dict(
        MeetingRequest.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    per_participant: dict[int, int] = {p.id: 0 for p in participant_list(event=event)}
    for a_id, b_id in meetings.values_list("a_id", "b_id"):
        per_participant[a_id] = per_participant.get(a_id, 0) + 1
        per_participant[b_id] = per_participant.get(b_id, 0) + 1
    held = meetings.filter(outcome=Meeting.Outcome.HELD)
    by_kind: dict[str, int] = {}
    by_region: dict[str, int] = {}
    for meeting in held:
        for side in (meeting.a, meeting.b):
            kind = side.organisation.get_kind_display()
            by_kind[kind] = by_kind.get(kind, 0) + 1
            region = side.organisation.region_id or side.organisation.country
            by_region[region] = by_region.get(region, 0) + 1
    return {
        "slots": [(slot, per_slot.get(slot.id, 0)) for slot in slot_list(event=event)],
        "requests": requests,
        "per_participant": per_participant,
        "held_by_kind": by_kind,
        "held_by_region": by_region,
        "no_shows": meetings.filter(outcome=Meeting.Outcome.NO_SHOW).count(),
    }
