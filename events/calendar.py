"""A participant's agenda as an iCalendar file (RFC 5545, written by `icalendar`).

Each meeting keeps one UID for life and a SEQUENCE that grows with every change, so a
calendar that imports the file again updates the entry instead of adding a second one; a
cancelled meeting is sent with STATUS:CANCELLED so that calendars remove it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Meeting, Participant

PRODUCT_ID = "-//AI Partnering//Event agenda//EN"


def meeting_uid(meeting: Meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"meeting-{meeting.id}@{host}"


def agenda_ics(*, participant: Participant, meetings: list[Meeting]) -> bytes:
    event = participant.event
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{event.name}: {participant.full_name}")
    calendar.add("x-wr-timezone", event.time_zone)
    for meeting in meetings:
        other = meeting.other(participant)
        entry = CalendarEvent()
        entry.add("uid", meeting_uid(meeting))
        entry.add("sequence", meeting.sequence)
        entry.add("dtstamp", meeting.updated_at)
        entry.add("dtstart", meeting.slot.starts_at)
        entry.add("dtend", meeting.slot.ends_at)
        entry.add(
            "summary",
            _("Meeting with %(name)s (%(organisation)s)")
            % {"name": other.full_name, "organisation": other.organisation.name},
        )
        entry.add(
            "location",
            _("%(venue)s, table %(table)d")
            % {"venue": event.venue or event.name, "table": meeting.table},
        )
        entry.add(
            "status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"
        )
        calendar.add_component(entry)
    return calendar.to_ical()
