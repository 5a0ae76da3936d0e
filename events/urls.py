from django.urls import path

from events.views import organisers, participants

app_name = "events"

urlpatterns = [
    path("events/", participants.event_list, name="list"),
    path("events/new/", organisers.event_create, name="create"),
    path("events/<slug:slug>/", participants.event_detail, name="detail"),
    path("events/<slug:slug>/register/", participants.register, name="register"),
    path(
        "events/<slug:slug>/register/colleague/",
        participants.register_colleague,
        name="register_colleague",
    ),
    path("events/<slug:slug>/participants/", participants.participants, name="participants"),
    path(
        "events/<slug:slug>/participants/<int:participant_id>/",
        participants.participant_detail,
        name="participant",
    ),
    path(
        "events/<slug:slug>/participants/<int:participant_id>/met-before/",
        participants.met_before,
        name="met_before",
    ),
    path("events/<slug:slug>/requests/", participants.request_list, name="requests"),
    path(
        "events/<slug:slug>/requests/<int:request_id>/book/",
        participants.request_book,
        name="request_book",
    ),
    path(
        "events/<slug:slug>/requests/<int:request_id>/<str:action>/",
        participants.request_respond,
        name="request_respond",
    ),
    path("events/<slug:slug>/agenda/", participants.agenda, name="agenda"),
    path(
        "events/<slug:slug>/agenda/print/",
        participants.agenda,
        {"printable": True},
        name="agenda_print",
    ),
    path("events/<slug:slug>/agenda.ics", participants.agenda_calendar, name="agenda_ics"),
    path(
        "events/<slug:slug>/meetings/<int:meeting_id>/outcome/",
        participants.meeting_outcome,
        name="meeting_outcome",
    ),
    path(
        "events/<slug:slug>/meetings/<int:meeting_id>/cancel/",
        participants.meeting_cancel_by_participant,
        name="meeting_cancel_own",
    ),
    # Organisers
    path("events/<slug:slug>/edit/", organisers.event_edit, name="edit"),
    path(
        "events/<slug:slug>/registration/",
        organisers.registration_toggle,
        name="registration_toggle",
    ),
    path("events/<slug:slug>/organise/", organisers.organise, name="organise"),
    path("events/<slug:slug>/organise/pairs/", organisers.pairs, name="pairs"),
    path("events/<slug:slug>/organise/schedule/", organisers.schedule_page, name="schedule"),
    path(
        "events/<slug:slug>/organise/schedule/generate/",
        organisers.schedule_generate,
        name="schedule_generate",
    ),
    path(
        "events/<slug:slug>/organise/schedule/publish/",
        organisers.schedule_publish,
        name="schedule_publish",
    ),
    path("events/<slug:slug>/organise/schedule.csv", organisers.schedule_csv, name="schedule_csv"),
    path(
        "events/<slug:slug>/organise/meetings/<int:meeting_id>/move/",
        organisers.meeting_move,
        name="meeting_move",
    ),
    path(
        "events/<slug:slug>/organise/meetings/<int:meeting_id>/cancel/",
        organisers.meeting_cancel,
        name="meeting_cancel",
    ),
]
