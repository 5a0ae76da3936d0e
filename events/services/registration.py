"""Registering participants: by their organisation's members, or by the organiser from a
CSV file (all rows or none)."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.selectors import user_is_member, user_is_org_admin
from events.models import Event, Participant, Slot
from events.selectors import registration_is_open, user_organises
from matchmaking.models import Capability, Need

# The columns of the organiser's import file; docs/events.md describes them.
CSV_COLUMNS = ("email", "full_name", "organisation", "role", "max_meetings", "available")


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{_('Line')} {self.line}, {self.field}: {self.message}"


class CsvImportError(ValidationError):
    """Every bad row at once, each with its line and field."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__([str(e) for e in errors])
        self.row_errors = errors


def _check_choice(
    *, event: Event, organisation: Organisation, needs, capabilities, slots, max_meetings
) -> None:
    if any(n.organisation_id != organisation.id for n in needs) or any(
        c.organisation_id != organisation.id for c in capabilities
    ):
        raise ValidationError({"needs": _("Bring only your own organisation's postings.")})
    if any(s.event_id != event.id for s in slots):
        raise ValidationError({"available_slots": _("Those slots belong to another event.")})
    if max_meetings is not None and not 1 <= max_meetings <= event.max_meetings:
        raise ValidationError(
            {
                "max_meetings": _("Between 1 and the event's maximum of %(n)d.")
                % {"n": event.max_meetings}
            }
        )


@transaction.atomic
def participant_register(
    *,
    event: Event,
    user: User,
    organisation: Organisation,
    needs: list[Need] = (),
    capabilities: list[Capability] = (),
    available_slots: list[Slot] | None = None,
    role: str = "",
    max_meetings: int | None = None,
    actor: User | None = None,
) -> Participant:
    """A member registers themself for their organisation, or an admin of the organisation
    (`actor`) registers a colleague, while registration is open. No slots chosen means
    available throughout."""
    if not user_is_member(user=user, organisation=organisation):
        raise PermissionDenied
    if actor is not None and actor.id != user.id:
        if not user_is_org_admin(user=actor, organisation=organisation):
            raise PermissionDenied
    if not registration_is_open(event):
        raise ValidationError(_("Registration for this event is closed."))
    if Participant.objects.filter(event=event, email__iexact=user.email).exists():
        raise ValidationError({"email": _("Already registered for this event.")})
    slots = list(available_slots) if available_slots else list(event.slots.all())
    _check_choice(
        event=event,
        organisation=organisation,
        needs=needs,
        capabilities=capabilities,
        slots=slots,
        max_meetings=max_meetings,
    )
    participant = Participant(
        event=event,
        organisation=organisation,
        user=user,
        email=user.email,
        full_name=user.full_name or user.email,
        role=role,
        max_meetings=max_meetings,
    )
    participant.full_clean()
    participant.save()
    participant.needs.set(needs)
    participant.capabilities.set(capabilities)
    participant.available_slots.set(slots)
    _after_change(event)
    return participant


@transaction.atomic
def participant_update(
    *,
    participant: Participant,
    user: User,
    needs: list[Need],
    capabilities: list[Capability],
    available_slots: list[Slot],
    role: str = "",
    max_meetings: int | None = None,
) -> Participant:
    if participant.user_id != user.id:
        raise PermissionDenied
    _check_choice(
        event=participant.event,
        organisation=participant.organisation,
        needs=needs,
        capabilities=capabilities,
        slots=available_slots,
        max_meetings=max_meetings,
    )
    participant.role = role
    participant.max_meetings = max_meetings
    participant.full_clean()
    participant.save()
    participant.needs.set(needs)
    participant.capabilities.set(capabilities)
    participant.available_slots.set(available_slots)
    _after_change(participant.event)
    return participant


@transaction.atomic
def participant_cancel(*, participant: Participant, user: User) -> None:
    if participant.user_id != user.id and not user_organises(user=user, event=participant.event):
        raise PermissionDenied
    participant.status = Participant.Status.CANCELLED
    participant.save(update_fields=["status"])


@transaction.atomic
def participant_claim(*, user: User, event: Event) -> Participant | None:
    """An imported participant row (no account yet) becomes the user's on first visit.
    Matching is by e-mail address, which the organiser's file named."""
    participant = Participant.objects.filter(
        event=event, user__isnull=True, email__iexact=user.email
    ).first()
    if participant is not None:
        participant.user = user
        participant.save(update_fields=["user"])
    return participant


def _parse_available(value: str, slots: list[Slot]) -> list[Slot]:
    """`all` or empty: every slot; else slot numbers and ranges, e.g. `1-4;7`."""
    if value.strip().lower() in {"", "all"}:
        return slots
    chosen: list[Slot] = []
    for part in value.replace(",", ";").split(";"):
        part = part.strip()
        first, _sep, last = part.partition("-")
        start, end = int(first), int(last or first)
        if not 1 <= start <= end <= len(slots):
            raise ValueError(part)
        chosen.extend(slots[start - 1 : end])
    return chosen


@transaction.atomic
def participants_import_csv(*, event: Event, actor: User, text: str) -> list[Participant]:
    """Imports participants from CSV text with the CSV_COLUMNS header. Every row is
    checked first; any bad row (named by line and field) and nothing is imported."""
    if not user_organises(user=actor, event=event):
        raise PermissionDenied
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"email", "full_name", "organisation"} - set(reader.fieldnames or [])
    if missing:
        raise CsvImportError([RowError(1, c, _("column missing")) for c in sorted(missing)])
    slots = list(event.slots.order_by("starts_at"))
    organisations = {o.slug: o for o in Organisation.objects.all().only("id", "slug", "name")}
    taken = {
        e.lower() for e in Participant.objects.filter(event=event).values_list("email", flat=True)
    }
    errors: list[RowError] = []
    rows = []
    for line, row in enumerate(reader, start=2):
        row_errors = []
        email = (row.get("email") or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            row_errors.append(RowError(line, "email", _("not an e-mail address")))
        if email in taken:
            row_errors.append(RowError(line, "email", _("registered twice")))
        taken.add(email)
        name = (row.get("full_name") or "").strip()
        if not name:
            row_errors.append(RowError(line, "full_name", _("required")))
        organisation = organisations.get((row.get("organisation") or "").strip())
        if organisation is None:
            row_errors.append(RowError(line, "organisation", _("no organisation with this slug")))
        max_meetings = None
        raw_max = (row.get("max_meetings") or "").strip()
        if raw_max:
            if not raw_max.isdigit() or not 1 <= int(raw_max) <= event.max_meetings:
                row_errors.append(
                    RowError(
                        line,
                        "max_meetings",
                        _("a number from 1 to %(n)d") % {"n": event.max_meetings},
                    )
                )
            else:
                max_meetings = int(raw_max)
        try:
            available = _parse_available(row.get("available") or "", slots)
        except ValueError:
            available = []
            row_errors.append(
                RowError(
                    line, "available", _("slot numbers 1 to %(n)d, e.g. 1-4;7") % {"n": len(slots)}
                )
            )
        errors.extend(row_errors)
        if not row_errors:
            rows.append(
                (
                    email,
                    name,
                    organisation,
                    (row.get("role") or "").strip(),
                    max_meetings,
                    available,
                )
            )
    if errors:
        raise CsvImportError(errors)
    users = {u.email.lower(): u for u in User.objects.filter(email__in=[r[0] for r in rows])}
    created = []
    for email, name, organisation, role, max_meetings, available in rows:
        participant = Participant.objects.create(
            event=event,
            organisation=organisation,
            user=users.get(email),
            email=email,
            full_name=name,
            role=role,
            max_meetings=max_meetings,
        )
        participant.available_slots.set(available)
        created.append(participant)
    _after_change(event)
    return created


def _after_change(event: Event) -> None:
    """Participants or what they bring changed: re-score the event's pairs after commit."""
    from events.tasks import event_pairs_score as event_pairs_score_task

    transaction.on_commit(lambda: event_pairs_score_task.delay(event.id))
