"""Event endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from events import api

urlpatterns = [
    path("events/", api.EventListApi.as_view(), name="event-list"),
    path("events/<slug:slug>/", api.EventDetailApi.as_view(), name="event-detail"),
    path(
        "events/<slug:slug>/registration/",
        api.EventRegistrationStateApi.as_view(),
        name="event-registration-state",
    ),
    path("events/<slug:slug>/slots/", api.SlotListApi.as_view(), name="event-slots"),
    path(
        "events/<slug:slug>/registrations/",
        api.RegistrationListApi.as_view(),
        name="event-registrations",
    ),
    path(
        "events/<slug:slug>/participants/",
        api.ParticipantListApi.as_view(),
        name="event-participants",
    ),
    path(
        "events/<slug:slug>/suggestions/",
        api.SuggestedPartnerListApi.as_view(),
        name="event-suggestions",
    ),
    path(
        "events/<slug:slug>/requests/", api.MeetingRequestListApi.as_view(), name="event-requests"
    ),
    path(
        "events/<slug:slug>/requests/<int:request_id>/book/",
        api.MeetingRequestBookApi.as_view(),
        name="event-request-book",
    ),
    path(
        "events/<slug:slug>/requests/<int:request_id>/<str:action>/",
        api.MeetingRequestActionApi.as_view(),
        name="event-request-action",
    ),
    path("events/<slug:slug>/agenda/", api.AgendaApi.as_view(), name="event-agenda"),
    path(
        "events/<slug:slug>/agenda/<int:meeting_id>/outcome/",
        api.MeetingOutcomeApi.as_view(),
        name="event-meeting-outcome",
    ),
    path("events/<slug:slug>/meetings/", api.MeetingListApi.as_view(), name="event-meetings"),
    path(
        "events/<slug:slug>/meetings/<int:meeting_id>/move/",
        api.MeetingMoveApi.as_view(),
        name="event-meeting-move",
    ),
    path(
        "events/<slug:slug>/meetings/<int:meeting_id>/cancel/",
        api.MeetingCancelApi.as_view(),
        name="event-meeting-cancel",
    ),
    path(
        "events/<slug:slug>/schedule/runs/",
        api.ScheduleRunListApi.as_view(),
        name="event-schedule-runs",
    ),
    path(
        "events/<slug:slug>/schedule/publish/",
        api.SchedulePublishApi.as_view(),
        name="event-schedule-publish",
    ),
]
