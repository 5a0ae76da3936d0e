"""Past projects in `import_organisations` files (matchmaking/onboarding): the `projects`
key of a row, in the CORDIS layout the "Past projects" import reads (network.cordis).

JSON Lines: `"projects": [{"id": "101058", "acronym": "WELDAI", "title": "…",
"startDate": "2021-03-01", "participants": [{"name": "…", "country": "DE", "pic": "…"}]}]`.
CSV: numbered columns `project_1_id`, `project_1_acronym`, `project_1_title`,
`project_1_startDate`, `project_1_participants`, the participants as
`name|country|PIC` separated by ";" (country and PIC may be empty).

A bad project names its line and field (`projects[1].startDate`, `project_1_startDate`)
and the whole file is refused as for any other bad cell. Written after the organisation
with `past_projects_import`, which links the participants by PIC, else name + country,
and keeps the others unresolved for the organisation's admins to resolve.
"""

from typing import Any

from accounts.models import Organisation
from matchmaking.network.cordis import ProjectRecord, project_from_item
from matchmaking.network.services import past_projects_import


def _item(item: dict[str, Any]) -> dict[str, Any]:
    """A CSV cell of participants into the JSON layout; JSON items pass unchanged."""
    participants = item.get("participants")
    if not isinstance(participants, str):
        return item
    rows = []
    for entry in participants.split(";"):
        if entry.strip():
            name, country, pic = ([*entry.split("|"), "", ""])[:3]
            rows.append({"name": name.strip(), "country": country.strip(), "pic": pic.strip()})
    return {**item, "participants": rows}


def project_check(item: dict[str, Any]) -> dict[str, str]:
    found = project_from_item(_item(item))
    if isinstance(found, ProjectRecord):
        return {}
    return {field: f"{message[:1].upper()}{message[1:]}." for field, message in found}


def projects_write(organisation: Organisation, items: list[dict[str, Any]]) -> None:
    """Record the checked projects of a new organisation (inside the import's transaction)."""
    records = [project_from_item(_item(item)) for item in items]
    if records:
        past_projects_import(organisation=organisation, projects=records)
