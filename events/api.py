"""REST endpoints for events, registrations, requests, meetings and agendas, mounted
under /api/v1/events/. Who may see what comes from events.selectors (404 alike for
missing and not yours); who may write from events.services (403, or 400 naming the
field for a broken rule)."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ApiPagination, ApiView, CodeChoiceField, code_list_field, error_responses
from accounts.models import Organisation
from accounts.selectors import organisation_list_for_member, organisation_list_visible_to
from events import selectors
from events.models import (
    Event,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Participant,
    ScheduleRun,
    Slot,
)
from events.services import events as event_services
from events.services import outcomes, registration, requests, schedule
from matchmaking.models import Capability, Need
from matchmaking.suggestions.types import SIGNAL_LABELS
from matchmaking.taxonomy import Language

SLUG = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$"
)

# --- serializers -------------------------------------------------------------------------


class SessionSerializer(serializers.Serializer):
    date = serializers.DateField()
    starts = serializers.TimeField(format="%H:%M")
    ends = serializers.TimeField(format="%H:%M")

    class Meta:
        ref_name = "EventSession"


class EventOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    venue = serializers.CharField()
    time_zone = serializers.CharField()
    host = serializers.CharField(source="host.slug", allow_null=True, help_text=_("Host slug."))
    meeting_minutes = serializers.IntegerField()
    tables = serializers.IntegerField()
    max_meetings = serializers.IntegerField()
    request_cap = serializers.IntegerField()
    sme_min_meetings = serializers.IntegerField()
    languages = serializers.ListField(child=serializers.CharField())
    registration_open = serializers.BooleanField()
    registration_opens_at = serializers.DateTimeField(allow_null=True)
    registration_closes_at = serializers.DateTimeField(allow_null=True)
    self_booking = serializers.BooleanField()
    schedule_published_at = serializers.DateTimeField(allow_null=True)
    sessions = SessionSerializer(many=True, source="sessions.all")

    class Meta:
        ref_name = "Event"


class EventInputSerializer(serializers.Serializer):
    host = serializers.SlugField(required=False, help_text=_("Slug of the host organisation."))
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    venue = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    time_zone = serializers.CharField(max_length=64, required=False, default="Europe/Berlin")
    meeting_minutes = serializers.IntegerField(
        min_value=5, max_value=240, required=False, default=30
    )
    tables = serializers.IntegerField(min_value=1, max_value=1000, required=False, default=10)
    max_meetings = serializers.IntegerField(min_value=1, max_value=100, required=False, default=8)
    request_cap = serializers.IntegerField(min_value=1, max_value=1000, required=False, default=15)
    sme_min_meetings = serializers.IntegerField(
        min_value=0, max_value=100, required=False, default=2
    )
    languages = code_list_field(Language.choices, required=False, default=list)
    registration_opens_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    registration_closes_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None
    )
    self_booking = serializers.BooleanField(required=False, default=True)
    sessions = SessionSerializer(many=True, help_text=_("In the event's time zone."))

    class Meta:
        ref_name = "EventInput"


class SlotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()

    class Meta:
        ref_name = "EventSlot"


class ParticipantSerializer(serializers.Serializer):
    """What participants see of each other: no e-mail address."""

    id = serializers.IntegerField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    organisation = serializers.CharField(source="organisation.slug")
    organisation_name = serializers.CharField(source="organisation.name")
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, source="organisation.kind")

    class Meta:
        ref_name = "EventParticipant"


class RegistrationSerializer(ParticipantSerializer):
    """A registration in full, for its owner and the event's organisers."""

    email = serializers.EmailField()
    # Output only; the querysets tell the schema generator the id type.
    needs = serializers.PrimaryKeyRelatedField(many=True, queryset=Need.objects.all())
    capabilities = serializers.PrimaryKeyRelatedField(many=True, queryset=Capability.objects.all())
    available_slots = serializers.PrimaryKeyRelatedField(many=True, queryset=Slot.objects.all())
    max_meetings = serializers.IntegerField(allow_null=True)

    class Meta:
        ref_name = "EventRegistration"


class RegistrationInputSerializer(serializers.Serializer):
    organisation = serializers.SlugField(help_text=_("Slug of your organisation."))
    role = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    needs = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    capabilities = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    available_slots = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text=_("Empty: all.")
    )
    max_meetings = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None
    )

    class Meta:
        ref_name = "EventRegistrationInput"


class SuggestedPartnerSerializer(serializers.Serializer):
    participant = ParticipantSerializer()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())

    class Meta:
        ref_name = "EventSuggestedPartner"


class MeetingRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sender = ParticipantSerializer()
    recipient = ParticipantSerializer()
    message = serializers.CharField()
    status = serializers.ChoiceField(choices=MeetingRequest.Status.choices)
    created_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "EventMeetingRequest"


class MeetingRequestInputSerializer(serializers.Serializer):
    recipient = serializers.IntegerField(help_text=_("Participant id."))
    message = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "EventMeetingRequestInput"


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    a = ParticipantSerializer()
    b = ParticipantSerializer()
    slot = SlotSerializer()
    table = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Meeting.Status.choices)
    source = serializers.ChoiceField(choices=Meeting.Source.choices)
    sequence = serializers.IntegerField()
    outcome = serializers.CharField()

    class Meta:
        ref_name = "EventMeeting"


class SlotInputSerializer(serializers.Serializer):
    slot = serializers.IntegerField()

    class Meta:
        ref_name = "EventSlotInput"


class MoveInputSerializer(SlotInputSerializer):
    table = serializers.IntegerField(min_value=1)

    class Meta:
        ref_name = "EventMoveInput"


class OutcomeInputSerializer(serializers.Serializer):
    held = serializers.BooleanField()
    rating = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, default=None
    )
    follow_up = CodeChoiceField(
        choices=MeetingFeedback.FollowUp.choices,
        required=False,
        default=MeetingFeedback.FollowUp.NONE,
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "EventOutcomeInput"


class ScheduleRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ScheduleRun.Status.choices)
    progress = serializers.FloatField()
    meetings_added = serializers.IntegerField()
    score = serializers.FloatField(allow_null=True)
    bound = serializers.FloatField(allow_null=True)
    gap = serializers.FloatField(allow_null=True)
    unscheduled_required = serializers.IntegerField()
    message = serializers.CharField()
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "EventScheduleRun"


class RegistrationStateSerializer(serializers.Serializer):
    open = serializers.BooleanField()

    class Meta:
        ref_name = "EventRegistrationState"


# --- helpers -----------------------------------------------------------------------------


def _event_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in {"host", "sessions"}}


def _sessions(data: list[dict]) -> list[tuple]:
    return [(s["date"], s["starts"], s["ends"]) for s in data]


def _me(request: Request, slug: str) -> tuple[Event, Participant]:
    event = selectors.access_event(slug=slug)
    return event, selectors.access_participant_self(user=request.user, event=event)


def _organised(request: Request, slug: str) -> Event:
    return selectors.access_event_for_organiser(user=request.user, slug=slug)


def _owned(model, ids: list[int], organisation: Organisation) -> list:
    found = list(model.objects.filter(id__in=ids, organisation=organisation))
    if len(found) != len(set(ids)):
        field = "needs" if model is Need else "capabilities"
        raise serializers.ValidationError({field: [_("Only your organisation's postings.")]})
    return found


# --- events ------------------------------------------------------------------------------


@extend_schema(tags=["events"])
class EventListApi(ApiView):
    """GET: every event (public). POST: create one, as an admin of an organiser
    organisation (or staff); the creator becomes its organiser."""

    pagination_class = ApiPagination

    @extend_schema(responses={200: EventOutputSerializer(many=True), **error_responses(401, 404)})
    def get(self, request: Request) -> Response:
        return self.paginate(
            selectors.event_list_public().prefetch_related("sessions"), EventOutputSerializer
        )

    @extend_schema(
        request=EventInputSerializer,
        responses={201: EventOutputSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        serializer = EventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        host = None
        if data.get("host"):
            host = get_object_or_404(
                organisation_list_visible_to(user=request.user), slug=data["host"]
            )
        event = event_services.event_create(
            actor=request.user,
            host=host,
            sessions=_sessions(data["sessions"]),
            **_event_fields(data),
        )
        return Response(EventOutputSerializer(event).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["events"], parameters=[SLUG])
class EventDetailApi(ApiView):
    @extend_schema(responses={200: EventOutputSerializer, **error_responses(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        return Response(EventOutputSerializer(selectors.access_event(slug=slug)).data)

    @extend_schema(
        request=EventInputSerializer(partial=True),
        responses={200: EventOutputSerializer, **error_responses(400, 401, 404)},
    )
    def patch(self, request: Request, slug: str) -> Response:
        event = _organised(request, slug)
        serializer = EventInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        sessions = _sessions(data["sessions"]) if "sessions" in data else None
        event = event_services.event_update(
            event=event, actor=request.user, sessions=sessions, **_event_fields(data)
        )
        return Response(EventOutputSerializer(event).data)


@extend_schema(tags=["events"], parameters=[SLUG])
class EventRegistrationStateApi(ApiView):
    """Organisers open or close registration."""

    @extend_schema(
        request=RegistrationStateSerializer,
        responses={200: EventOutputSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        event = _organised(request, slug)
        serializer = RegistrationStateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = event_services.event_registration_set(
            event=event, actor=request.user, is_open=serializer.validated_data["open"]
        )
        return Response(EventOutputSerializer(event).data)


@extend_schema(tags=["events"], parameters=[SLUG])
class SlotListApi(ApiView):
    @extend_schema(responses={200: SlotSerializer(many=True), **error_responses(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.access_event(slug=slug)
        return Response(SlotSerializer(selectors.slot_list(event=event), many=True).data)


# --- registrations and participants ------------------------------------------------------


@extend_schema(tags=["events"], parameters=[SLUG])
class RegistrationListApi(ApiView):
    """GET: the caller's own registration, or every registration for the event's
    organisers. POST: register yourself for one of your organisations."""

    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    @extend_schema(responses={200: RegistrationSerializer(many=True), **error_responses(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.access_event(slug=slug)
        people = selectors.participant_list(event=event).prefetch_related(
            "needs", "capabilities", "available_slots"
        )
        if not selectors.user_organises(user=request.user, event=event):
            people = people.filter(user=request.user)
        return self.paginate(people.order_by("id"), RegistrationSerializer)

    @extend_schema(
        request=RegistrationInputSerializer,
        responses={201: RegistrationSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        event = selectors.access_event(slug=slug)
        serializer = RegistrationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = get_object_or_404(
            organisation_list_for_member(user=request.user), slug=data["organisation"]
        )
        slots = list(event.slots.filter(id__in=data["available_slots"]))
        if len(slots) != len(set(data["available_slots"])):
            raise serializers.ValidationError({"available_slots": [_("Not slots of this event.")]})
        participant = registration.participant_register(
            event=event,
            user=request.user,
            organisation=organisation,
            needs=_owned(Need, data["needs"], organisation),
            capabilities=_owned(Capability, data["capabilities"], organisation),
            available_slots=slots,
            role=data["role"],
            max_meetings=data["max_meetings"],
        )
        return Response(RegistrationSerializer(participant).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["events"], parameters=[SLUG])
class ParticipantListApi(ApiView):
    """The event's other participants, for its participants and organisers."""

    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    @extend_schema(responses={200: ParticipantSerializer(many=True), **error_responses(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.access_event(slug=slug)
        me = selectors.participant_for(user=request.user, event=event)
        if me is None and not selectors.user_organises(user=request.user, event=event):
            raise Http404
        return self.paginate(
            selectors.participant_directory(event=event, viewer=me).order_by("id"),
            ParticipantSerializer,
        )


@extend_schema(tags=["events"], parameters=[SLUG])
class SuggestedPartnerListApi(ApiView):
    """The caller's suggested partners in the event, best first, with the engine's reasons."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: SuggestedPartnerSerializer(many=True), **error_responses(401, 404)}
    )
    def get(self, request: Request, slug: str) -> Response:
        _event, me = _me(request, slug)
        rows = [
            {
                "participant": other,
                "score": score.score,
                "reasons": [str(SIGNAL_LABELS.get(s, s)) for s in score.reasons],
            }
            for other, score in selectors.pair_score_list_for(participant=me)
        ]
        return Response(SuggestedPartnerSerializer(rows, many=True).data)


# --- requests ----------------------------------------------------------------------------


@extend_schema(tags=["events"], parameters=[SLUG])
class MeetingRequestListApi(ApiView):
    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    @extend_schema(
        responses={200: MeetingRequestSerializer(many=True), **error_responses(401, 404)}
    )
    def get(self, request: Request, slug: str) -> Response:
        _event, me = _me(request, slug)
        return self.paginate(selectors.request_list_for(participant=me), MeetingRequestSerializer)

    @extend_schema(
        request=MeetingRequestInputSerializer,
        responses={201: MeetingRequestSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        event, me = _me(request, slug)
        serializer = MeetingRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recipient = Participant.objects.filter(
            event=event, id=serializer.validated_data["recipient"]
        ).first()
        if recipient is None:
            raise serializers.ValidationError(
                {"recipient": [_("Not a participant of this event.")]}
            )
        created = requests.meeting_request_send(
            sender=me, recipient=recipient, message=serializer.validated_data["message"]
        )
        return Response(MeetingRequestSerializer(created).data, status=status.HTTP_201_CREATED)


REQUEST_ACTIONS = {
    "accept": requests.meeting_request_accept,
    "decline": requests.meeting_request_decline,
    "withdraw": requests.meeting_request_withdraw,
}


@extend_schema(
    tags=["events"],
    parameters=[
        SLUG,
        OpenApiParameter(
            "action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(REQUEST_ACTIONS)
        ),
    ],
)
class MeetingRequestActionApi(ApiView):
    """The recipient accepts or declines (a hard no); the sender withdraws."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_events_requests_respond",
        request=None,
        responses={200: MeetingRequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, request_id: int, action: str) -> Response:
        _event, me = _me(request, slug)
        meeting_request = selectors.access_request(participant=me, request_id=request_id)
        if action not in REQUEST_ACTIONS:
            raise Http404
        return Response(
            MeetingRequestSerializer(
                REQUEST_ACTIONS[action](request=meeting_request, participant=me)
            ).data
        )


@extend_schema(tags=["events"], parameters=[SLUG])
class MeetingRequestBookApi(ApiView):
    """Either side of an accepted request books a free common slot (self-booking)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=SlotInputSerializer,
        responses={201: MeetingSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, request_id: int) -> Response:
        event, me = _me(request, slug)
        meeting_request = selectors.access_request(participant=me, request_id=request_id)
        serializer = SlotInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        slot = event.slots.filter(id=serializer.validated_data["slot"]).first()
        if slot is None:
            raise serializers.ValidationError({"slot": [_("Not a slot of this event.")]})
        meeting = schedule.meeting_book(request=meeting_request, participant=me, slot=slot)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


# --- agendas and meetings ----------------------------------------------------------------


@extend_schema(tags=["events"], parameters=[SLUG])
class AgendaApi(ApiView):
    """The caller's meetings (self-booked or published; cancelled ones included)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeetingSerializer(many=True), **error_responses(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        _event, me = _me(request, slug)
        return Response(MeetingSerializer(selectors.agenda_for(participant=me), many=True).data)


@extend_schema(tags=["events"], parameters=[SLUG])
class MeetingOutcomeApi(ApiView):
    """After the meeting: held (with a rating and follow-up) or a no-show of the other side."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=OutcomeInputSerializer,
        responses={200: MeetingSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, meeting_id: int) -> Response:
        _event, me = _me(request, slug)
        meeting = selectors.access_meeting_for_participant(participant=me, meeting_id=meeting_id)
        serializer = OutcomeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = outcomes.meeting_outcome_report(
            meeting=meeting, participant=me, **serializer.validated_data
        )
        return Response(MeetingSerializer(meeting).data)


@extend_schema(tags=["events"], parameters=[SLUG])
class MeetingListApi(ApiView):
    """Every live meeting of the event, drafts included: for its organisers."""

    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    @extend_schema(responses={200: MeetingSerializer(many=True), **error_responses(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        return self.paginate(
            selectors.meeting_list(event=_organised(request, slug)), MeetingSerializer
        )


@extend_schema(tags=["events"], parameters=[SLUG])
class MeetingMoveApi(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=MoveInputSerializer,
        responses={200: MeetingSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request: Request, slug: str, meeting_id: int) -> Response:
        event = _organised(request, slug)
        meeting = selectors.access_meeting_for_organiser(event=event, meeting_id=meeting_id)
        serializer = MoveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        slot = event.slots.filter(id=serializer.validated_data["slot"]).first()
        if slot is None:
            raise serializers.ValidationError({"slot": [_("Not a slot of this event.")]})
        meeting = schedule.meeting_move(
            meeting=meeting, actor=request.user, slot=slot, table=serializer.validated_data["table"]
        )
        return Response(MeetingSerializer(meeting).data)


@extend_schema(tags=["events"], parameters=[SLUG])
class MeetingCancelApi(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: MeetingSerializer, **error_responses(401, 404)})
    def post(self, request: Request, slug: str, meeting_id: int) -> Response:
        event = _organised(request, slug)
        meeting = selectors.access_meeting_for_organiser(event=event, meeting_id=meeting_id)
        return Response(
            MeetingSerializer(schedule.meeting_cancel(meeting=meeting, actor=request.user)).data
        )


@extend_schema(tags=["events"], parameters=[SLUG])
class ScheduleRunListApi(ApiView):
    """GET: the optimiser's runs, newest first, with progress and gap to the bound.
    POST: start a run (Celery); drafts are replaced, confirmed meetings stay."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ScheduleRunSerializer(many=True), **error_responses(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        event = _organised(request, slug)
        return Response(
            ScheduleRunSerializer(ScheduleRun.objects.filter(event=event)[:20], many=True).data
        )

    @extend_schema(
        request=None, responses={202: ScheduleRunSerializer, **error_responses(400, 401, 404)}
    )
    def post(self, request: Request, slug: str) -> Response:
        run = schedule.schedule_run_start(event=_organised(request, slug), actor=request.user)
        return Response(ScheduleRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["events"], parameters=[SLUG])
class SchedulePublishApi(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "EventSchedulePublished", {"published": serializers.IntegerField()}
            ),
            **error_responses(401, 404),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        count = schedule.schedule_publish(event=_organised(request, slug), actor=request.user)
        return Response({"published": count})
