"""Pages of an event's organisers: create and edit, registration, import, curation,
schedule generation, the grid and its CSV, and the dashboard."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from events import selectors
from events.charts import bar_chart
from events.forms import CsvImportForm, EventForm, MoveForm, PairRuleForm
from events.models import Event, MeetingRequest, ScheduleRun
from events.services import curation, registration, schedule
from events.services import events as event_services
from events.views.common import add_errors, error_text
from matchmaking.suggestions.types import SIGNAL_LABELS

PAIRS_SHOWN = 150


def _hosts(user) -> QuerySet[Organisation]:
    return selectors.organiser_organisation_list(user=user)


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    hosts = _hosts(request.user)
    if not (request.user.is_staff or hosts.exists()):
        raise PermissionDenied
    form = EventForm(
        request.POST or None,
        hosts=hosts,
        staff=request.user.is_staff,
        initial={"host": hosts.first()},
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in event_services.EVENT_EDITABLE_FIELDS}
        try:
            event = event_services.event_create(
                actor=request.user,
                host=form.cleaned_data.get("host"),
                sessions=form.cleaned_data["sessions"],
                **fields,
            )
            messages.success(request, _("Event created. Open registration when you are ready."))
            return redirect("events:organise", slug=event.slug)
        except ValidationError as error:
            add_errors(form, error)
    return render(request, "events/event_form.html", {"form": form, "creating": True})


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event_for_organiser(user=request.user, slug=slug)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in event_services.EVENT_EDITABLE_FIELDS}
        try:
            event_services.event_update(
                event=Event.objects.get(id=event.id),
                actor=request.user,
                sessions=form.cleaned_data["sessions"],
                **fields,
            )
            messages.success(request, _("Event saved."))
            return redirect("events:organise", slug=event.slug)
        except ValidationError as error:
            add_errors(form, error)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def registration_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event_for_organiser(user=request.user, slug=slug)
    is_open = request.POST.get("open") == "1"
    event_services.event_registration_set(event=event, actor=request.user, is_open=is_open)
    messages.success(
        request, _("Registration is open.") if is_open else _("Registration is closed.")
    )
    return redirect("events:organise", slug=event.slug)


@login_required
def organise(request: HttpRequest, slug: str) -> HttpResponse:
    """The organiser's dashboard: participants, import, figures and charts."""
    event = selectors.access_event_for_organiser(user=request.user, slug=slug)
    import_form = CsvImportForm(request.POST or None, request.FILES or None)
    import_errors = []
    if request.method == "POST" and import_form.is_valid():
        try:
            created = registration.participants_import_csv(
                event=event, actor=request.user, text=import_form.cleaned_data["file"]
            )
            messages.success(request, _("%(n)d participants imported.") % {"n": len(created)})
            return redirect("events:organise", slug=event.slug)
        except registration.CsvImportError as error:
            import_errors = error.row_errors
    stats = selectors.event_statistics(event=event)
    per_participant = stats["per_participant"]
    histogram: dict[int, int] = {}
    for count in per_participant.values():
        histogram[count] = histogram.get(count, 0) + 1
    request_labels = dict(MeetingRequest.Status.choices)
    total_answered = sum(v for k, v in stats["requests"].items() if k in ("accepted", "declined"))
    accepted = stats["requests"].get("accepted", 0)
    charts = [
        bar_chart(
            title=_("Meetings per slot"),
            rows=[(str(slot), n) for slot, n in stats["slots"]],
        ),
        bar_chart(
            title=_("Requests"),
            rows=[(str(request_labels[k]), v) for k, v in sorted(stats["requests"].items())],
        ),
        bar_chart(
            title=_("Participants by number of meetings"),
            rows=[(_("%(n)d meetings") % {"n": k}, v) for k, v in sorted(histogram.items())],
        ),
        bar_chart(
            title=_("Held meetings by kind of organisation"),
            rows=sorted(stats["held_by_kind"].items()),
        ),
        bar_chart(
            title=_("Held meetings by region"),
            rows=sorted(stats["held_by_region"].items()),
        ),
    ]
    return render(
        request,
        "events/organise.html",
        {
            "event": event,
            "participants": selectors.participant_list(event=event).order_by("organisation__name"),
            "import_form": import_form,
            "import_errors": import_errors,
            "charts": charts,
            "acceptance_rate": None
            if not total_answered
            else round(100 * accepted / total_answered),
            "no_shows": stats["no_shows"],
            "registration_open": selectors.registration_is_open(event),
            "csv_columns": registration.CSV_COLUMNS,
        },
    )


@login_required
def pairs(request: HttpRequest, slug: str) -> HttpResponse:
    """Curation: the event's candidate pairs by score, why, and pin/veto."""
    event = selectors.access_event_for_organiser(user=request.user, slug=slug)
    if request.method == "POST":
        form = PairRuleForm(request.POST)
        if form.is_valid():
            people = selectors.participant_list(event=event)
            a = people.filter(id=form.cleaned_data["a"]).first()
            b = people.filter(id=form.cleaned_data["b"]).first()
            if a and b:
                try:
                    curation.pair_rule_set(
                        a=a, b=b, rule=form.cleaned_data["rule"], actor=request.user
                    )
                except ValidationError as error:
                    messages.error(request, error_text(error))
        return redirect(f"{request.path}#pair-{request.POST.get('a')}-{request.POST.get('b')}")
    rules = selectors.pair_rules(event=event)
    declined = selectors.ruled_out_pairs(event=event)
    rows = [
        (
            score,
            [str(SIGNAL_LABELS.get(signal, signal)) for signal in score.reasons],
            rules.get(
                (score.low_id, score.high_id),
                "declined" if (score.low_id, score.high_id) in declined else "",
            ),
        )
        for score in selectors.candidate_pair_list(event=event, limit=PAIRS_SHOWN)
    ]
    return render(request, "events/pairs.html", {"event": event, "rows": rows})


@login_required
def schedule_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The grid (slots × tables), the optimiser's last run and its progress."""
    event = selectors.access_event_for_organiser(user=request.user, slug=slug)
    meetings = list(selectors.meeting_list(event=event))
    by_cell = {(m.slot_id, m.table): m for m in meetings}
    slots = list(selectors.slot_list(event=event))
    tables = range(1, event.tables + 1)
    grid = [(slot, [by_cell.get((slot.id, t)) for t in tables]) for slot in slots]
    run = selectors.latest_schedule_run(event=event)
    return render(
        request,
        "events/schedule.html",
        {
            "event": event,
            "grid": grid,
            "tables": tables,
            "run": run,
            "running": run is not None
            and run.status in (ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING),
            "drafts": sum(1 for m in meetings if m.status == "draft"),
            "confirmed": sum(1 for m in meetings if m.status == "confirmed"),
            "move_form": MoveForm(event=event),
        },
    )


@login_required
@require_POST
def schedule_generate(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event_for_organiser(user=request.user, slug=slug)
    try:
        schedule.schedule_run_start(event=event, actor=request.user)
        messages.success(request, _("The optimiser is building a draft schedule."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("events:schedule", slug=event.slug)


@login_required
@require_POST
def schedule_publish(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event_for_organiser(user=request.user, slug=slug)
    count = schedule.schedule_publish(event=event, actor=request.user)
    messages.success(
        request, _("%(n)d meetings published; participants are told by e-mail.") % {"n": count}
    )
    return redirect("events:schedule", slug=event.slug)


@login_required
@require_POST
def meeting_move(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    event = selectors.access_event_for_organiser(user=request.user, slug=slug)
    meeting = selectors.access_meeting_for_organiser(event=event, meeting_id=meeting_id)
    form = MoveForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("events:schedule", slug=event.slug)
    try:
        schedule.meeting_move(
            meeting=meeting,
            actor=request.user,
            slot=form.cleaned_data["slot"],
            table=form.cleaned_data["table"],
        )
        messages.success(request, _("Meeting moved."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("events:schedule", slug=event.slug)


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    event = selectors.access_event_for_organiser(user=request.user, slug=slug)
    meeting = selectors.access_meeting_for_organiser(event=event, meeting_id=meeting_id)
    schedule.meeting_cancel(meeting=meeting, actor=request.user)
    messages.success(request, _("Meeting cancelled."))
    return redirect("events:schedule", slug=event.slug)


@login_required
def schedule_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event_for_organiser(user=request.user, slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-schedule.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "start",
            "end",
            "table",
            "status",
            "source",
            "participant_a",
            "organisation_a",
            "participant_b",
            "organisation_b",
        ]
    )
    zone = event.zone
    for m in selectors.meeting_list(event=event):
        writer.writerow(
            [
                m.slot.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                m.slot.ends_at.astimezone(zone).strftime("%H:%M"),
                m.table,
                m.status,
                m.source,
                m.a.full_name,
                m.a.organisation.name,
                m.b.full_name,
                m.b.organisation.name,
            ]
        )
    return response
