"""Pages for everyone (event list and page) and for participants (registration,
partners, requests, agenda)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import organisation_list_for_member
from events import selectors
from events.calendar import agenda_ics
from events.forms import (
    BookForm,
    ColleagueForm,
    DirectoryFilterForm,
    MeetingRequestForm,
    OutcomeForm,
    RegistrationForm,
)
from events.models import Meeting, MeetingRequest, PairScore
from events.services import outcomes, registration, requests
from events.services.schedule import free_common_slots, meeting_book, meeting_cancel
from events.views.common import add_errors, error_text
from matchmaking.suggestions.types import SIGNAL_LABELS

SUGGESTIONS_SHOWN = 10


def _labels(pair_score: PairScore | None) -> list[str]:
    if pair_score is None:
        return []
    return [str(SIGNAL_LABELS.get(signal, signal)) for signal in pair_score.reasons]


def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "events/event_list.html",
        {
            "events": selectors.event_list_public(),
            "organised": selectors.event_list_organised_by(user=request.user),
            "can_create": request.user.is_authenticated
            and (
                request.user.is_staff
                or selectors.organiser_organisation_list(user=request.user).exists()
            ),
        },
    )


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(slug=slug)
    if request.user.is_authenticated:
        registration.participant_claim(user=request.user, event=event)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "participant": selectors.participant_for(user=request.user, event=event),
            "is_organiser": selectors.user_organises(user=request.user, event=event),
            "registration_open": selectors.registration_is_open(event),
            "participant_count": selectors.participant_list(event=event).count(),
            "slots": selectors.slot_list(event=event),
        },
    )


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """Registers the user, or edits their registration."""
    event = selectors.access_event(slug=slug)
    participant = selectors.participant_for(user=request.user, event=event)
    organisations = organisation_list_for_member(user=request.user)
    if participant is not None:
        organisations = organisations.filter(id=participant.organisation_id)
        initial = {
            "organisation": participant.organisation,
            "role": participant.role,
            "needs": participant.needs.all(),
            "capabilities": participant.capabilities.all(),
            "available_slots": participant.available_slots.all(),
            "max_meetings": participant.max_meetings,
        }
    else:
        initial = {"organisation": organisations.first()}
    form = RegistrationForm(
        request.POST or None, event=event, organisations=organisations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {
            "needs": [n for n in data["needs"] if n.organisation_id == data["organisation"].id],
            "capabilities": [
                c for c in data["capabilities"] if c.organisation_id == data["organisation"].id
            ],
            "available_slots": list(data["available_slots"]) or list(event.slots.all()),
            "role": data["role"],
            "max_meetings": data["max_meetings"],
        }
        try:
            if participant is None:
                registration.participant_register(
                    event=event, user=request.user, organisation=data["organisation"], **chosen
                )
                messages.success(request, _("You are registered."))
            else:
                registration.participant_update(
                    participant=participant, user=request.user, **chosen
                )
                messages.success(request, _("Your registration is saved."))
            return redirect("events:participants", slug=event.slug)
        except ValidationError as error:
            add_errors(form, error)
    return render(
        request,
        "events/register.html",
        {
            "event": event,
            "form": form,
            "participant": participant,
            "registration_open": selectors.registration_is_open(event),
        },
    )


@login_required
def register_colleague(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation admin registers a colleague (each participant has their own agenda)."""
    event = selectors.access_event(slug=slug)
    colleagues = selectors.colleague_list_registrable(user=request.user, event=event)
    form = ColleagueForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        colleague = form.cleaned_data["colleague"]
        organisation = selectors.organisation_administered_with(
            admin=request.user, member=colleague
        )
        try:
            registration.participant_register(
                event=event,
                user=colleague,
                organisation=organisation,
                role=form.cleaned_data["role"],
                actor=request.user,
            )
            messages.success(request, _("%(name)s is registered.") % {"name": colleague})
            return redirect("events:detail", slug=event.slug)
        except ValidationError as error:
            add_errors(form, error)
    return render(
        request,
        "events/register_colleague.html",
        {"event": event, "form": form, "registration_open": selectors.registration_is_open(event)},
    )


@login_required
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    """Suggested partners first, then the searchable list of everyone."""
    event = selectors.access_event(slug=slug)
    me = selectors.access_participant_self(user=request.user, event=event)
    filters = DirectoryFilterForm(request.GET or None)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    suggested = [
        (other, score, _labels(score))
        for other, score in selectors.pair_score_list_for(participant=me)[:SUGGESTIONS_SHOWN]
    ]
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "me": me,
            "filters": filters,
            "suggested": suggested,
            "people": selectors.participant_directory(
                event=event, viewer=me, query=data.get("q", ""), kind=data.get("kind", "")
            ),
        },
    )


@login_required
def participant_detail(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    event = selectors.access_event(slug=slug)
    me = selectors.access_participant_self(user=request.user, event=event)
    other = selectors.access_other_participant(event=event, participant_id=participant_id)
    form = MeetingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            requests.meeting_request_send(
                sender=me, recipient=other, message=form.cleaned_data["message"]
            )
            messages.success(request, _("Your request was sent."))
            return redirect("events:requests", slug=event.slug)
        except ValidationError as error:
            add_errors(form, error)
    low, high = selectors.pair_key(me, other)
    pair_score = PairScore.objects.filter(low_id=low, high_id=high).first()
    needs, capabilities = selectors.postings_brought_visible_to(
        participant=other, user=request.user
    )
    return render(
        request,
        "events/participant_detail.html",
        {
            "event": event,
            "me": me,
            "other": other,
            "form": form,
            "pair_score": pair_score,
            "reasons": _labels(pair_score),
            "needs": needs,
            "capabilities": capabilities,
            "rule": selectors.pair_rules(event=event).get((low, high)),
        },
    )


@login_required
@require_POST
def met_before(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    event = selectors.access_event(slug=slug)
    me = selectors.access_participant_self(user=request.user, event=event)
    other = selectors.access_other_participant(event=event, participant_id=participant_id)
    requests.pair_met_before(participant=me, other=other)
    messages.success(
        request,
        _("Noted: %(name)s will not be suggested or scheduled.") % {"name": other.full_name},
    )
    return redirect("events:participants", slug=event.slug)


@login_required
def request_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(slug=slug)
    me = selectors.access_participant_self(user=request.user, event=event)
    rows = []
    booked = {
        selectors.pair_key(m.a_id, m.b_id)
        for m in selectors.agenda_for(participant=me).exclude(status=Meeting.Status.CANCELLED)
    }
    for meeting_request in selectors.request_list_for(participant=me):
        book_form = None
        key = selectors.pair_key(meeting_request.sender_id, meeting_request.recipient_id)
        if (
            event.self_booking
            and meeting_request.status == MeetingRequest.Status.ACCEPTED
            and key not in booked
        ):
            book_form = BookForm(
                slots=free_common_slots(a=meeting_request.sender, b=meeting_request.recipient),
                prefix=f"r{meeting_request.id}",
            )
        rows.append((meeting_request, book_form, key in booked))
    return render(request, "events/requests.html", {"event": event, "me": me, "rows": rows})


@login_required
@require_POST
def request_respond(request: HttpRequest, slug: str, request_id: int, action: str) -> HttpResponse:
    event = selectors.access_event(slug=slug)
    me = selectors.access_participant_self(user=request.user, event=event)
    meeting_request = selectors.access_request(participant=me, request_id=request_id)
    actions = {
        "accept": requests.meeting_request_accept,
        "decline": requests.meeting_request_decline,
        "withdraw": requests.meeting_request_withdraw,
    }
    if action not in actions:
        return redirect("events:requests", slug=event.slug)
    try:
        actions[action](request=meeting_request, participant=me)
        messages.success(request, _("Done."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("events:requests", slug=event.slug)


@login_required
@require_POST
def request_book(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    event = selectors.access_event(slug=slug)
    me = selectors.access_participant_self(user=request.user, event=event)
    meeting_request = selectors.access_request(participant=me, request_id=request_id)
    form = BookForm(
        request.POST,
        slots=list(event.slots.all()),
        prefix=f"r{meeting_request.id}",
    )
    if not form.is_valid():
        messages.error(request, _("Choose a slot."))
        return redirect("events:requests", slug=event.slug)
    try:
        meeting_book(request=meeting_request, participant=me, slot=form.cleaned_data["slot"])
        messages.success(request, _("Meeting booked. It is on your agenda."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("events:requests", slug=event.slug)


def _agenda_rows(me, meetings):
    return [(m, m.other(me)) for m in meetings]


@login_required
def agenda(request: HttpRequest, slug: str, printable: bool = False) -> HttpResponse:
    event = selectors.access_event(slug=slug)
    me = selectors.access_participant_self(user=request.user, event=event)
    meetings = list(selectors.agenda_for(participant=me))
    return render(
        request,
        "events/agenda_print.html" if printable else "events/agenda.html",
        {
            "event": event,
            "me": me,
            "rows": _agenda_rows(me, meetings),
            "outcome_form": OutcomeForm(),
        },
    )


@login_required
def agenda_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(slug=slug)
    me = selectors.access_participant_self(user=request.user, event=event)
    response = HttpResponse(
        agenda_ics(participant=me, meetings=list(selectors.agenda_for(participant=me))),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-agenda.ics"'
    return response


@login_required
@require_POST
def meeting_outcome(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    event = selectors.access_event(slug=slug)
    me = selectors.access_participant_self(user=request.user, event=event)
    meeting = selectors.access_meeting_for_participant(participant=me, meeting_id=meeting_id)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the meeting took place."))
        return redirect("events:agenda", slug=event.slug)
    try:
        outcomes.meeting_outcome_report(
            meeting=meeting,
            participant=me,
            held=form.cleaned_data["held"],
            rating=form.cleaned_data["rating"],
            follow_up=form.cleaned_data["follow_up"] or "none",
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Thank you, noted."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("events:agenda", slug=event.slug)


@login_required
@require_POST
def meeting_cancel_by_participant(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    event = selectors.access_event(slug=slug)
    me = selectors.access_participant_self(user=request.user, event=event)
    meeting = selectors.access_meeting_for_participant(participant=me, meeting_id=meeting_id)
    meeting_cancel(meeting=meeting, actor=request.user)
    messages.success(request, _("The meeting is cancelled; both of you were told."))
    return redirect("events:agenda", slug=event.slug)
