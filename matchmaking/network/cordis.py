"""Past projects from files in the layout of the EU's CORDIS open data.

CSV: one row per participant with the project's columns repeated (`projectID`, `acronym`,
`title`, `startDate`, `name`, `country`, `organisationID` = PIC, optionally
`frameworkProgramme`), `;` or `,` separated, as CORDIS's organization.csv joined with
project.csv. JSON: a list of projects `{"id", "acronym", "title", "startDate",
"frameworkProgramme", "participants": [{"name", "country", "pic"}]}`. Column and key
names are matched case-insensitively with the usual CORDIS aliases. Any error names the
row and field; nothing is read half.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field

MAX_PROJECTS = 2000


class ImportFileError(ValueError):
    """A file that cannot be read as projects; the message names the row and field."""


@dataclass(frozen=True)
class Participant:
    name: str
    country: str = ""
    pic: str = ""


@dataclass
class ProjectRecord:
    reference: str
    title: str
    year: int
    acronym: str = ""
    programme: str = ""
    participants: list[Participant] = field(default_factory=list)


ALIASES = {
    "reference": ("projectid", "project_id", "id", "projectnumber"),
    "acronym": ("acronym", "projectacronym"),
    "title": ("title", "projecttitle"),
    "start": ("startdate", "start_date", "start", "year"),
    "programme": ("frameworkprogramme", "programme", "fundingscheme"),
    "name": ("name", "participant", "organisationname", "legalname"),
    "country": ("country", "countrycode"),
    "pic": ("organisationid", "pic", "organisation_id", "participantpic"),
}
REQUIRED = ("reference", "title", "start", "name")


def _key(name: str) -> str:
    return re.sub(r"[^a-z_]", "", name.strip().lower())


def _field(row: dict, wanted: str) -> str:
    for alias in ALIASES[wanted]:
        if alias in row and row[alias] not in (None, ""):
            return str(row[alias]).strip()
    return ""


def _year(value: str, where: str) -> int:
    match = re.match(r"^\s*(\d{4})", value)
    if not match or not 1950 <= int(match.group(1)) <= 2100:
        raise ImportFileError(f"{where}: start date “{value}” is not a date or year")
    return int(match.group(1))


def _country(value: str) -> str:
    value = value.strip().upper()
    return "GR" if value == "EL" else ("GB" if value == "UK" else value[:2])


def parse_projects(content: bytes, filename: str = "") -> list[ProjectRecord]:
    """Projects of a CSV or JSON file (by extension, else by the first character)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError("the file is not UTF-8 text") from error
    if not text.strip():
        raise ImportFileError("the file is empty")
    is_json = filename.lower().endswith(".json") or text.lstrip()[:1] in "[{"
    projects = _from_json(text) if is_json else _from_csv(text)
    if not projects:
        raise ImportFileError("the file holds no project")
    if len(projects) > MAX_PROJECTS:
        raise ImportFileError(f"at most {MAX_PROJECTS} projects per file")
    return projects


def _from_csv(text: str) -> list[ProjectRecord]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = {_key(c) for c in reader.fieldnames or []}
    missing = [w for w in REQUIRED if not columns.intersection(ALIASES[w])]
    if missing:
        raise ImportFileError("missing column(s): " + ", ".join(ALIASES[w][0] for w in missing))
    projects: dict[str, ProjectRecord] = {}
    for number, raw in enumerate(reader, start=2):
        row = {_key(k): v for k, v in raw.items() if k is not None}
        where = f"row {number}"
        record = _project(row, where, projects)
        name = _field(row, "name")
        if not name:
            raise ImportFileError(f"{where}: name is empty")
        record.participants.append(
            Participant(name, _country(_field(row, "country")), _field(row, "pic"))
        )
    return list(projects.values())


def _project(row: dict, where: str, projects: dict[str, ProjectRecord]) -> ProjectRecord:
    reference = _field(row, "reference")
    title = _field(row, "title")
    if not reference:
        raise ImportFileError(f"{where}: project id is empty")
    if reference not in projects:
        if not title:
            raise ImportFileError(f"{where}: title is empty")
        projects[reference] = ProjectRecord(
            reference=reference[:40],
            title=title[:300],
            year=_year(_field(row, "start"), where),
            acronym=_field(row, "acronym")[:60],
            programme=_field(row, "programme")[:120],
        )
    return projects[reference]


def _from_json(text: str) -> list[ProjectRecord]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"not valid JSON: {error.msg} (line {error.lineno})") from error
    if isinstance(data, dict):
        data = data.get("projects", [data])
    if not isinstance(data, list):
        raise ImportFileError("JSON must be a list of projects")
    projects: dict[str, ProjectRecord] = {}
    for number, item in enumerate(data, start=1):
        where = f"project {number}"
        if not isinstance(item, dict):
            raise ImportFileError(f"{where}: not an object")
        row = {_key(k): v for k, v in item.items()}
        record = _project(row, where, projects)
        participants = row.get("participants") or row.get("organisations") or []
        if not isinstance(participants, list):
            raise ImportFileError(f"{where}: participants must be a list")
        for position, raw in enumerate(participants, start=1):
            if not isinstance(raw, dict):
                raise ImportFileError(f"{where}, participant {position}: not an object")
            participant = {_key(k): v for k, v in raw.items()}
            name = _field(participant, "name")
            if not name:
                raise ImportFileError(f"{where}, participant {position}: name is empty")
            record.participants.append(
                Participant(
                    name, _country(_field(participant, "country")), _field(participant, "pic")
                )
            )
    return list(projects.values())
