"""Import and export of postings in an Enterprise Europe Network (EEN) compatible layout,
as CSV or JSON.

One row per posting, with EEN's profile vocabulary:

    reference           this platform's id on export ("need-12"); ignored on import
    profile_type        "offer" (a capability) or "request" (a need)
    title, summary      the posting's title and description
    organisation        on export only: the owner's name, or the anonymous stand-in
    technology_keywords AI techniques and application domains (codes, ";"-separated)
    trl                 1-9
    partner_sought      kinds of organisation sought (codes, ";"-separated), free text allowed
    partnership_type    collaboration types (codes, ";"-separated)
    target_countries    ISO codes (";"-separated) or "EU"
    deadline            YYYY-MM-DD or empty
    anonymous           true/false (optional)

The platform has no fields of its own for "partner sought" and "target countries": the
first travels as a closing "Partner sought: …" paragraph of the description (and comes back
out of it on export), the second sets the region scope (only the organisation's own
country: national; anything else: EU-wide). An import is all or nothing: every bad row is
reported with its number and fields, and nothing is written unless all rows are good."""

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from accounts.countries import COUNTRIES
from accounts.models import Organisation, User
from matchmaking.models import Capability, Need, Posting
from matchmaking.services import posting_create
from matchmaking.taxonomy import CollaborationType, Domain, RegionScope, Technique

COLUMNS = (
    "reference",
    "profile_type",
    "title",
    "summary",
    "organisation",
    "technology_keywords",
    "trl",
    "partner_sought",
    "partnership_type",
    "target_countries",
    "deadline",
    "anonymous",
)
PROFILE_TYPES = {"offer": Capability, "request": Need}
FORMATS = ("csv", "json")
PARTNER_SOUGHT = "Partner sought: "
EU = "EU"
MAX_ROWS = 1000
_COUNTRY_CODES = {code for code, _label in COUNTRIES}
_TECHNIQUES, _DOMAINS = set(Technique.values), set(Domain.values)


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


# --- export ------------------------------------------------------------------------------


def posting_to_row(posting: Posting) -> dict[str, Any]:
    """A posting as one EEN row (lists as lists; the CSV writer joins them)."""
    description, _sep, sought = posting.description.rpartition("\n\n" + PARTNER_SOUGHT)
    if not _sep:
        description, sought = posting.description, ""
    organisation = posting.organisation
    national = posting.region_scope != RegionScope.EU and organisation.country
    return {
        "reference": f"{posting._meta.model_name}-{posting.id}",
        "profile_type": "request" if isinstance(posting, Need) else "offer",
        "title": posting.title,
        "summary": description,
        "organisation": organisation.name,
        "technology_keywords": list(posting.techniques) + list(posting.domains),
        "trl": posting.trl,
        "partner_sought": sought,
        "partnership_type": list(posting.collaboration_types),
        "target_countries": [organisation.country] if national else [EU],
        "deadline": posting.deadline.isoformat() if posting.deadline else "",
        "anonymous": posting.anonymous,
    }


def een_export(postings, *, fmt: str) -> str:
    """Rows of `postings` (already read through the visibility gate, so anonymous owners
    are masked) as CSV or JSON text."""
    rows = [posting_to_row(p) for p in postings]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: ";".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}
        )
    return out.getvalue()


# --- import ------------------------------------------------------------------------------


class EenImportError(ValidationError):
    """Bad rows: `rows` maps each bad row's number (1 = first data row) to its field
    errors. Nothing was written."""

    def __init__(self, rows: dict[int, dict[str, list[str]]]) -> None:
        super().__init__(
            _("%(count)d rows have errors; nothing was imported.") % {"count": len(rows)}
        )
        self.rows = rows


def een_parse(content: str, *, fmt: str) -> list[dict[str, Any]]:
    """Rows from CSV (header line first) or a JSON list of objects; ValidationError for a
    file that is not one of these."""
    if fmt not in FORMATS:
        raise ValidationError({"format": _("Use csv or json.")})
    if fmt == "json":
        try:
            rows = json.loads(content)
        except json.JSONDecodeError as error:
            raise ValidationError({"content": _("Not valid JSON: %(e)s") % {"e": error}}) from None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValidationError({"content": _("Expected a list of objects.")})
    else:
        reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
        if not reader.fieldnames or "profile_type" not in reader.fieldnames:
            raise ValidationError({"content": _("The header line must name profile_type.")})
        rows = list(reader)
    if not rows:
        raise ValidationError({"content": _("No rows.")})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"content": _("At most %(n)d rows per import.") % {"n": MAX_ROWS}})
    return rows


@dataclass
class ParsedRow:
    model: type[Posting]
    fields: dict[str, Any]


def _codes(values: list[str], allowed: set[str], field: str, errors: dict) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        errors.setdefault(field, []).append(
            _("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return [v for v in values if v in allowed]


def parse_row(row: dict[str, Any], *, organisation: Organisation) -> ParsedRow:
    """One row to the model and service fields; ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}
    model = PROFILE_TYPES.get(str(row.get("profile_type", "")).strip().lower())
    if model is None:
        errors["profile_type"] = [_("Use offer or request.")]
    keywords = _split(row.get("technology_keywords"))
    _codes(keywords, _TECHNIQUES | _DOMAINS, "technology_keywords", errors)
    partnership = _codes(
        _split(row.get("partnership_type")),
        set(CollaborationType.values),
        "partnership_type",
        errors,
    )
    countries = [c.upper() for c in _split(row.get("target_countries"))]
    _codes([c for c in countries if c != EU], _COUNTRY_CODES, "target_countries", errors)
    national = bool(countries) and set(countries) == {organisation.country}
    try:
        trl = int(str(row.get("trl", "")).strip())
    except ValueError:
        trl = None
    if trl is None or not 1 <= trl <= 9:
        errors["trl"] = [_("A whole number from 1 to 9.")]
    deadline_text = str(row.get("deadline") or "").strip()
    deadline = parse_date(deadline_text) if deadline_text else None
    if deadline_text and deadline is None:
        errors["deadline"] = [_("Use YYYY-MM-DD.")]
    summary = str(row.get("summary") or "").strip()
    sought = str(row.get("partner_sought") or "").strip()
    if sought:
        summary = f"{summary}\n\n{PARTNER_SOUGHT}{sought}"
    anonymous = str(row.get("anonymous", "")).strip().lower() in {"true", "1", "yes"}
    if errors:
        raise ValidationError(errors)
    return ParsedRow(
        model=model,
        fields={
            "title": str(row.get("title") or "").strip(),
            "description": summary,
            "trl": trl,
            "techniques": [k for k in keywords if k in _TECHNIQUES],
            "domains": [k for k in keywords if k in _DOMAINS],
            "collaboration_types": partnership,
            "region_scope": RegionScope.NATIONAL if national else RegionScope.EU,
            "deadline": deadline,
            "anonymous": anonymous,
        },
    )


@transaction.atomic
def een_import(*, organisation: Organisation, actor: User, rows: list[dict[str, Any]]) -> list:
    """Create one posting per row for `organisation` (members only: PermissionDenied), all
    or nothing: EenImportError lists every bad row, and then nothing is written."""
    created, errors = [], {}
    for number, row in enumerate(rows, start=1):
        try:
            parsed = parse_row(row, organisation=organisation)
            created.append(
                posting_create(
                    model=parsed.model, organisation=organisation, author=actor, **parsed.fields
                )
            )
        except ValidationError as error:
            errors[number] = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            )
    if errors:
        raise EenImportError(errors)
    return created


def een_postings_for(*, user, organisation: Organisation | None = None) -> list[Posting]:
    """Open needs and capabilities `user` may see (anonymous owners masked), optionally
    of one organisation (then without anonymous postings `user` may not attribute)."""
    from matchmaking.collaboration.anonymity import attributable
    from matchmaking.search import posting_search

    postings: list[Posting] = []
    for model in (Need, Capability):
        found = posting_search(model=model, user=user)
        if organisation is not None:
            found = attributable(found.filter(organisation=organisation), user=user)
        postings += list(found)
    return postings
