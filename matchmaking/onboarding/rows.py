"""Reading and checking an organisation import file (CSV or JSON Lines) without writing.

One row is one organisation with any number of needs, capabilities and past projects.

JSON Lines, one object per line:
    {"name": "Institut für Bildverarbeitung", "kind": "research_institute", "country": "DE",
     "region": "DE12", "city": "Karlsruhe", "website": "https://ibv.example.org",
     "languages": ["de", "en"], "description": "...", "visibility": "public",
     "needs": [{"title": "...", "description": "...", "trl": 5, "techniques": [...],
                "domains": [...], "collaboration_types": [...], "visibility": "public"}],
     "capabilities": [...same fields...],
     "projects": [{"id": "101058", "acronym": "...", "title": "...", "startDate": "2021-03-01",
                   "participants": [{"name": "...", "country": "DE", "pic": "..."}]}]}

CSV, one organisation per row, with a header: the organisation columns above; list cells
separated by ";"; postings and projects as numbered column groups, as many as needed:
    need_1_title, need_1_description, need_1_trl, need_1_techniques, ...,
    capability_1_title, ..., capability_2_title, ..., project_1_title, ...

Required: name, kind, country (ISO code; the NUTS spellings UK and EL are accepted), and
for each posting title, description and TRL (1-9). Every error names its line and field
(`capabilities[2].trl` in JSON Lines, `capability_2_trl` in CSV).

`projects` (past projects in the CORDIS layout) and any other list of objects are checked
and kept by the feature that registered them (`register_row_extension`; projects:
matchmaking/network/onboarding.py), so the row format grows without changing this module.
"""

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower

from accounts.countries import country_matches_region, is_known_country
from accounts.models import Organisation, Region, Visibility
from matchmaking.languages import detect_language
from matchmaking.models import Capability, Need, Posting

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "country",
    "region",
    "city",
    "website",
    "languages",
    "description",
    "visibility",
)
POSTING_FIELDS = (
    "title",
    "description",
    "trl",
    "techniques",
    "domains",
    "collaboration_types",
    "visibility",
)
LIST_FIELDS = frozenset({"languages", "techniques", "domains", "collaboration_types"})
# JSON key of each group and the singular its CSV columns start with.
GROUPS = {"needs": "need", "capabilities": "capability", "projects": "project"}
POSTING_MODELS: dict[str, type[Posting]] = {"needs": Need, "capabilities": Capability}
NUTS_TO_ISO = {"UK": "GB", "EL": "GR"}
_NUMBERED = re.compile(r"^(need|capability|project)_(\d+)_(\w+)$")


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}"


@dataclass(frozen=True)
class RowExtension:
    """A key of the row beyond organisation and postings (e.g. `projects`): `check` returns
    {field: message} for one item, `write` keeps the valid items of a saved organisation."""

    check: Callable[[dict[str, Any]], dict[str, str]]
    write: Callable[[Organisation, list[dict[str, Any]]], None]


EXTENSIONS: dict[str, RowExtension] = {}


def register_row_extension(key: str, extension: RowExtension) -> None:
    EXTENSIONS[key] = extension


@dataclass
class ImportRow:
    """One valid organisation with its postings, built but not saved."""

    line: int
    organisation: Organisation
    postings: list[Posting] = field(default_factory=list)
    extras: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class ReadResult:
    rows: list[ImportRow]
    errors: list[RowError]
    lines: int

    @property
    def postings(self) -> int:
        return sum(len(row.postings) for row in self.rows)


def read_import(data: bytes, *, filename: str = "") -> ReadResult:
    """Parse and check a whole file; nothing is written. CSV when the name ends in .csv
    (or the first line is not a JSON object), JSON Lines otherwise."""
    raw, errors = _decoded_lines(data)
    is_csv = filename.lower().endswith(".csv") or (
        not filename.lower().endswith((".jsonl", ".json"))
        and not next((t for _n, t in raw if t.strip()), "").lstrip().startswith("{")
    )
    records = _csv_records(raw, errors) if is_csv else _jsonl_records(raw, errors)
    checker = _Checker(is_csv=is_csv)
    rows = []
    for line, record in records:
        row = checker.check(line, record, errors)
        if row is not None:
            rows.append(row)
    checker.check_names(rows, errors)
    bad = {error.line for error in errors}
    return ReadResult(
        rows=[row for row in rows if row.line not in bad],
        errors=sorted(errors, key=lambda e: (e.line, e.field)),
        lines=len(raw),
    )


# Parsing -------------------------------------------------------------------------------


def _decoded_lines(data: bytes) -> tuple[list[tuple[int, str]], list[RowError]]:
    """(line number, text) of every line that is valid UTF-8; the others are errors."""
    lines, errors = [], []
    for number, chunk in enumerate(data.removeprefix(b"\xef\xbb\xbf").splitlines(), start=1):
        try:
            lines.append((number, chunk.decode("utf-8")))
        except UnicodeDecodeError as error:
            errors.append(
                RowError(number, "-", f"Not UTF-8 text (byte {error.start + 1}); save as UTF-8.")
            )
    return lines, errors


def _jsonl_records(
    lines: list[tuple[int, str]], errors: list[RowError]
) -> Iterator[tuple[int, dict]]:
    for number, text in lines:
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            errors.append(RowError(number, "-", f"Not valid JSON: {error.msg}."))
            continue
        if not isinstance(record, dict):
            errors.append(RowError(number, "-", "Each line must be one JSON object."))
            continue
        yield number, record


def _csv_records(
    lines: list[tuple[int, str]], errors: list[RowError]
) -> Iterator[tuple[int, dict]]:
    numbers = [number for number, _text in lines]
    reader = csv.DictReader([text for _number, text in lines])
    for record in reader:
        number = numbers[min(reader.line_num, len(numbers)) - 1]
        if None in record:
            errors.append(RowError(number, "-", "More cells than header columns."))
            continue
        if not any((value or "").strip() for value in record.values()):
            continue
        yield number, _csv_to_record(record)


def _csv_to_record(cells: dict[str, str | None]) -> dict[str, Any]:
    """Flat CSV cells into the JSON Lines shape: lists split at ";", numbered column groups
    into lists of objects (empty groups left out)."""
    record: dict[str, Any] = {}
    groups: dict[str, dict[int, dict[str, Any]]] = {key: {} for key in GROUPS}
    singular_to_key = {singular: key for key, singular in GROUPS.items()}
    for column, value in cells.items():
        column, value = (column or "").strip(), (value or "").strip()
        numbered = _NUMBERED.match(column)
        if numbered:
            key = singular_to_key[numbered.group(1)]
            item = groups[key].setdefault(int(numbered.group(2)), {})
            if value:
                item[numbered.group(3)] = _csv_value(numbered.group(3), value)
        elif value:
            record[column] = _csv_value(column, value)
    for key, items in groups.items():
        present = [item | {"_index": n} for n, item in sorted(items.items()) if item]
        if present:
            record[key] = present
    return record


def _csv_value(column: str, value: str) -> Any:
    if column in LIST_FIELDS:
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


# Checking ------------------------------------------------------------------------------


class _Checker:
    """Builds model instances from records and collects every error with line and field."""

    def __init__(self, *, is_csv: bool) -> None:
        self.is_csv = is_csv
        self.regions = {region.code: region for region in Region.objects.all()}

    def field_name(self, key: str, index: int, name: str) -> str:
        if self.is_csv:
            return f"{GROUPS[key]}_{index}_{name}"
        return f"{key}[{index}].{name}"

    def check(self, line: int, record: dict[str, Any], errors: list[RowError]) -> ImportRow | None:
        known = {*ORGANISATION_FIELDS, *GROUPS, *EXTENSIONS}
        for key in sorted(set(record) - known):
            errors.append(RowError(line, key, "Unknown column."))
        organisation = self.organisation(line, record, errors)
        row = ImportRow(line=line, organisation=organisation)
        for key, model in POSTING_MODELS.items():
            for index, item in self.items(line, record, key, errors):
                posting = self.posting(line, model, key, index, item, errors)
                if posting is not None:
                    row.postings.append(posting)
        for key, extension in EXTENSIONS.items():
            numbered = self.items(line, record, key, errors)
            for index, item in numbered:
                for name, message in extension.check(item).items():
                    errors.append(RowError(line, self.field_name(key, index, name), message))
            row.extras[key] = [item for _index, item in numbered]
        return row

    def items(
        self, line: int, record: dict[str, Any], key: str, errors: list[RowError]
    ) -> list[tuple[int, dict[str, Any]]]:
        value = record.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            errors.append(RowError(line, key, "Must be a list of objects."))
            return []
        return [(item.pop("_index", n), item) for n, item in enumerate(value, start=1)]

    def organisation(
        self, line: int, record: dict[str, Any], errors: list[RowError]
    ) -> Organisation:
        country = str(record.get("country", "")).strip().upper()
        country = NUTS_TO_ISO.get(country, country)
        organisation = Organisation(
            name=str(record.get("name", "")).strip(),
            kind=str(record.get("kind", "")).strip(),
            country=country,
            city=str(record.get("city", "")).strip(),
            website=str(record.get("website", "")).strip(),
            description=str(record.get("description", "")).strip(),
            languages=_as_list(record.get("languages")),
            visibility=str(record.get("visibility") or Visibility.PUBLIC).strip(),
            slug="import",
        )
        region_code = str(record.get("region", "")).strip().upper()
        if region_code:
            organisation.region = self.regions.get(region_code)
            if organisation.region is None:
                errors.append(RowError(line, "region", f"Unknown NUTS-2 code {region_code!r}."))
        if country and not is_known_country(country):
            errors.append(RowError(line, "country", f"Not a European country code: {country!r}."))
        elif organisation.region is not None and not _region_in(organisation.region, country):
            errors.append(RowError(line, "region", f"{region_code} does not lie in {country}."))
        self.clean(line, organisation, errors, prefix="", exclude=["slug", "region"])
        return organisation

    def posting(
        self,
        line: int,
        model: type[Posting],
        key: str,
        index: int,
        item: dict[str, Any],
        errors: list[RowError],
    ) -> Posting | None:
        unknown = set(item) - set(POSTING_FIELDS)
        for name in sorted(unknown):
            errors.append(RowError(line, self.field_name(key, index, name), "Unknown field."))
        values = {name: item[name] for name in POSTING_FIELDS if name in item}
        for name in LIST_FIELDS & set(values):
            values[name] = _as_list(values[name])
        trl = values.pop("trl", None)
        try:
            trl = int(trl) if trl not in (None, "") else None
        except (TypeError, ValueError):
            errors.append(
                RowError(line, self.field_name(key, index, "trl"), "A whole number from 1 to 9.")
            )
            return None
        posting = model(
            trl=trl,
            **{
                name: str(v).strip() if name in ("title", "description") else v
                for name, v in values.items()
            },
        )
        posting.language = detect_language(f"{posting.title}\n{posting.description}")
        errors_before = len(errors)
        self.clean(line, posting, errors, prefix=(key, index), exclude=["organisation"])
        return posting if len(errors) == errors_before else None

    def clean(self, line: int, instance, errors: list[RowError], *, prefix, exclude) -> None:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = name if not prefix else self.field_name(prefix[0], prefix[1], name)
                errors.append(RowError(line, where, " ".join(messages)))

    def check_names(self, rows: list[ImportRow], errors: list[RowError]) -> None:
        """A name may appear once in the file and must not exist yet (case ignored)."""
        seen: dict[str, int] = {}
        names = {row.organisation.name.lower() for row in rows if row.organisation.name}
        existing = set(
            Organisation.objects.annotate(lowered=Lower("name"))
            .filter(lowered__in=names)
            .values_list("lowered", flat=True)
        )
        for row in rows:
            name = row.organisation.name.lower()
            if not name:
                continue
            if name in existing:
                errors.append(RowError(row.line, "name", "An organisation of this name exists."))
            elif name in seen:
                errors.append(
                    RowError(
                        row.line, "name", f"Duplicate of the organisation on line {seen[name]}."
                    )
                )
            else:
                seen[name] = row.line


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, list):
        return [str(part).strip() for part in value]
    return [str(value)]


def _region_in(region: Region, country: str) -> bool:
    return country_matches_region(country, region.country)
