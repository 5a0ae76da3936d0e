"""Past projects from files in the layout of the EU's CORDIS open data.

CSV: one row per participant with the project's columns repeated (`projectID`, `acronym`,
`title`, `startDate`, `name`, `country`, `organisationID` = PIC, optionally
`frameworkProgramme`), `;` or `,` separated, as CORDIS's organization.csv joined with
project.csv. JSON: a list of projects `{"id", "acronym", "title", "startDate",
"frameworkProgramme", "participants": [{"name", "country", "pic"}]}`. Column and key
names are matched case-insensitively with the usual CORDIS aliases. Every bad row is
reported with its field (`ImportFileError.rows`); nothing is read half.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field

MAX_PROJECTS = 2000


@dataclass(frozen=True)
class RowProblem:
    """One bad row: where (“row 3”, “project 2, participant 1”), the CORDIS field, why."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ImportFileError(ValueError):
    """A file that cannot be read as projects. The message names the first problem (and
    how many more); `rows` lists every bad row with its field."""

    def __init__(self, message: str = "", rows: list[RowProblem] | None = None) -> None:
        self.rows = rows or []
        if self.rows and not message:
            message = str(self.rows[0])
            if len(self.rows) > 1:
                message += f" (and {len(self.rows) - 1} more)"
        super().__init__(message)


class _RowError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


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


def _year(value: str) -> int:
    match = re.match(r"^\s*(\d{4})", value)
    if not match or not 1950 <= int(match.group(1)) <= 2100:
        raise _RowError("startDate", f"start date “{value}” is not a date or year")
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
    problems: list[RowProblem] = []
    for number, raw in enumerate(reader, start=2):
        row = {_key(k): v for k, v in raw.items() if k is not None}
        try:
            record = _project(row, projects)
            record.participants.append(_participant(row))
        except _RowError as error:
            problems.append(RowProblem(f"row {number}", error.field, error.message))
    if problems:
        raise ImportFileError(rows=problems)
    return list(projects.values())


def _participant(row: dict) -> Participant:
    name = _field(row, "name")
    if not name:
        raise _RowError("name", "name is empty")
    return Participant(name, _country(_field(row, "country")), _field(row, "pic"))


def _project(row: dict, projects: dict[str, ProjectRecord]) -> ProjectRecord:
    reference = _field(row, "reference")
    title = _field(row, "title")
    if not reference:
        raise _RowError("projectID", "project id is empty")
    if reference not in projects:
        if not title:
            raise _RowError("title", "title is empty")
        projects[reference] = ProjectRecord(
            reference=reference[:40],
            title=title[:300],
            year=_year(_field(row, "start")),
            acronym=_field(row, "acronym")[:60],
            programme=_field(row, "programme")[:120],
        )
    return projects[reference]


def project_from_item(item: object, projects: dict[str, ProjectRecord] | None = None):
    """One project of the JSON layout (`{"id", "title", "startDate", "participants": …}`),
    or the list of (field, message) problems that stop it. Shared by the JSON files and by
    `import_organisations`, whose rows may carry projects in this layout."""
    projects = {} if projects is None else projects
    if not isinstance(item, dict):
        return [("-", "not an object")]
    row = {_key(k): v for k, v in item.items()}
    try:
        record = _project(row, projects)
    except _RowError as error:
        return [(error.field, error.message)]
    participants = row.get("participants") or row.get("organisations") or []
    if not isinstance(participants, list):
        return [("participants", "participants must be a list")]
    found, problems = [], []
    for position, raw in enumerate(participants, start=1):
        try:
            if not isinstance(raw, dict):
                raise _RowError("-", "not an object")
            found.append(_participant({_key(k): v for k, v in raw.items()}))
        except _RowError as error:
            problems.append((f"participants[{position}].{error.field}", error.message))
    if problems:
        return problems
    record.participants.extend(found)
    return record


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
    problems: list[RowProblem] = []
    for number, item in enumerate(data, start=1):
        found = project_from_item(item, projects)
        if isinstance(found, list):
            problems.extend(RowProblem(f"project {number}", f, m) for f, m in found)
    if problems:
        raise ImportFileError(rows=problems)
    return list(projects.values())
