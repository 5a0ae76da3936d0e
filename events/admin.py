"""Staff grant the organiser role here: an organisation (its admins host events) or a
user for one event (the event's organisers)."""

from django.contrib import admin

from events.models import Event, Meeting, MeetingRequest, OrganiserGrant, Participant, ScheduleRun


@admin.register(OrganiserGrant)
class OrganiserGrantAdmin(admin.ModelAdmin):
    list_display = ["organisation", "granted_by", "created_at"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["granted_by"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "host", "venue", "registration_open", "schedule_published_at"]
    search_fields = ["name", "venue"]
    filter_horizontal = ["organisers"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "host", "organisers", "venue", "time_zone", "description"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "organisation", "event", "status"]
    list_filter = ["event", "status"]
    search_fields = ["full_name", "email", "organisation__name"]
    raw_id_fields = ["user", "organisation", "event"]
    filter_horizontal = ["needs", "capabilities", "available_slots"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["sender", "recipient", "status", "created_at"]
    list_filter = ["event", "status"]
    raw_id_fields = ["sender", "recipient", "event"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["event", "slot", "table", "a", "b", "status", "source", "outcome"]
    list_filter = ["event", "status", "outcome"]
    raw_id_fields = ["a", "b", "slot", "event", "no_show"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "progress", "meetings_added", "score", "bound", "created_at"]
    readonly_fields = [f.name for f in ScheduleRun._meta.fields]
