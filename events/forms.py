"""Forms parse and check input only; events/services do the writing."""

import datetime as dt
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from events.models import Event, MeetingFeedback, Participant, Slot
from events.services.events import EVENT_EDITABLE_FIELDS
from matchmaking.models import Capability, Need
from matchmaking.taxonomy import Language


def parse_sessions(text: str) -> list[tuple[dt.date, dt.time, dt.time]]:
    """One session per line: `2026-10-14 09:00-12:30`. Breaks are the gaps between lines."""
    sessions = []
    for number, line in enumerate(text.strip().splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            day, hours = line.split()
            starts, ends = hours.split("-")
            session = (
                dt.date.fromisoformat(day),
                dt.time.fromisoformat(starts),
                dt.time.fromisoformat(ends),
            )
        except ValueError as error:
            raise ValidationError(
                _("Line %(n)d: write e.g. 2026-10-14 09:00-12:30"), params={"n": number}
            ) from error
        if session[2] <= session[1]:
            raise ValidationError(
                _("Line %(n)d: the end is before the start."), params={"n": number}
            )
        sessions.append(session)
    if not sessions:
        raise ValidationError(_("Add at least one session."))
    return sessions


def sessions_text(event: Event) -> str:
    return "\n".join(
        f"{s.date.isoformat()} {s.starts:%H:%M}-{s.ends:%H:%M}" for s in event.sessions.all()
    )


class EventForm(forms.ModelForm):
    host = forms.ModelChoiceField(
        label=_("Host organisation"), queryset=Organisation.objects.none(), required=False
    )
    sessions = forms.CharField(
        label=_("Sessions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line in the event's time zone, e.g. 2026-10-14 09:00-12:30. "
            "Breaks are the gaps between sessions."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=[(z, z) for z in sorted(zoneinfo.available_timezones())]
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        fields = EVENT_EDITABLE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "registration_opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "registration_closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, hosts=None, staff: bool = False, **kwargs) -> None:
        """`hosts` only when creating: the organiser organisations the user may host for
        (staff may leave the host empty)."""
        super().__init__(*args, **kwargs)
        if hosts is None:
            del self.fields["host"]
        else:
            self.fields["host"].queryset = hosts
            self.fields["host"].required = not staff
        if self.instance.pk:
            self.fields["sessions"].initial = sessions_text(self.instance)

    def clean_sessions(self) -> list:
        return parse_sessions(self.cleaned_data["sessions"])


class SlotChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, slot: Slot) -> str:
        return str(slot)


class RegistrationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.CharField(label=_("Your role"), max_length=150, required=False)
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs you bring"),
        queryset=Need.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capabilities = forms.ModelMultipleChoiceField(
        label=_("Capabilities you bring"),
        queryset=Capability.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    available_slots = SlotChoiceField(
        label=_("When you are available"),
        queryset=Slot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: available throughout."),
    )
    max_meetings = forms.IntegerField(label=_("Maximum meetings"), required=False, min_value=1)

    def __init__(self, *args, event: Event, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        org_ids = organisations.values("id")
        self.fields["needs"].queryset = Need.objects.filter(
            organisation_id__in=org_ids, status="open"
        )
        self.fields["capabilities"].queryset = Capability.objects.filter(
            organisation_id__in=org_ids, status="open"
        )
        self.fields["available_slots"].queryset = event.slots.order_by("starts_at")
        self.fields["max_meetings"].max_value = event.max_meetings
        self.fields["max_meetings"].help_text = _("Empty: the event's maximum of %(n)d.") % {
            "n": event.max_meetings
        }


class ColleagueForm(forms.Form):
    """An organisation admin registers a member of the organisation; the colleague then
    chooses postings and slots on their own registration page."""

    colleague = forms.ModelChoiceField(label=_("Colleague"), queryset=User.objects.none())
    role = forms.CharField(label=_("Role"), max_length=150, required=False)

    def __init__(self, *args, colleagues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues
        self.fields["colleague"].label_from_instance = lambda user: f"{user} <{user.email}>"


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Organisation.Kind.choices]
    )


class MeetingRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say briefly what you would like to talk about."),
    )


class BookForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Slot"), queryset=Slot.objects.none())

    def __init__(self, *args, slots: list[Slot], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = Slot.objects.filter(id__in=[s.id for s in slots])
        self.fields["slot"].label_from_instance = str


class MoveForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Slot"), queryset=Slot.objects.none())
    table = forms.IntegerField(label=_("Table"), min_value=1)

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = event.slots.order_by("starts_at")
        self.fields["table"].max_value = event.tables


class PairRuleForm(forms.Form):
    a = forms.IntegerField(widget=forms.HiddenInput)
    b = forms.IntegerField(widget=forms.HiddenInput)
    rule = forms.ChoiceField(
        choices=[("pin", _("Pin")), ("veto", _("Veto")), ("", _("Clear"))], required=False
    )


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, with a header row."))

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 2_000_000:
            raise ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(_("The file is not UTF-8 text.")) from error


class OutcomeForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("Did the meeting take place?"),
        choices=[("yes", _("Yes")), ("no", _("No, the other side did not come"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    rating = forms.IntegerField(label=_("Rating (1–5)"), min_value=1, max_value=5, required=False)
    follow_up = forms.ChoiceField(
        label=_("Follow-up"), choices=MeetingFeedback.FollowUp.choices, required=False
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ParticipantChoice(forms.Form):
    """A participant id posted from a list (met before)."""

    other = forms.ModelChoiceField(queryset=Participant.objects.none(), widget=forms.HiddenInput)
