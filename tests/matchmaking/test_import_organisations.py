"""Bulk onboarding: `manage.py import_organisations` and the staff upload page. Bad rows
name line and field and write nothing; --skip-invalid imports the rest."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Organisation
from matchmaking.models import Capability, MatchSource, Need, OrganisationImport
from matchmaking.onboarding.rows import (
    EXTENSIONS,
    RowExtension,
    read_import,
    register_row_extension,
)
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("encoders")]

INSTITUTE = {
    "name": "Institut für Bildverarbeitung",
    "kind": "research_institute",
    "country": "DE",
    "region": "DE12",
    "city": "Karlsruhe",
    "languages": ["de", "en"],
    "description": "Computer vision for industrial inspection.",
    "capabilities": [
        {
            "title": "Weld seam inspection with deep learning",
            "description": "We detect pores and cracks in camera images of weld seams.",
            "trl": 7,
            "techniques": ["computer_vision"],
            "domains": ["manufacturing_quality"],
        }
    ],
}
SME = {
    "name": "Muster Maschinenbau GmbH",
    "kind": "sme",
    "country": "DE",
    "region": "DE11",
    "needs": [
        {
            "title": "Automated visual inspection of weld seams",
            "description": "Pores and cracks should be found in camera images on the line.",
            "trl": 6,
        }
    ],
}


def jsonl(*rows) -> bytes:
    return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode()


def write(tmp_path, data: bytes, name: str = "members.jsonl"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def errors_of(data: bytes, name: str = "members.jsonl") -> set[tuple[int, str]]:
    return {(e.line, e.field) for e in read_import(data, filename=name).errors}


def test_import_writes_organisations_postings_and_ranks_them(tmp_path, capsys):
    call_command("import_organisations", write(tmp_path, jsonl(INSTITUTE, SME)))
    institute = Organisation.objects.get(name=INSTITUTE["name"])
    assert institute.region.code == "DE12"
    assert Capability.objects.get().organisation == institute
    need = Need.objects.get()
    assert MatchSource.objects.filter(kind="need", source_id=need.id).exists()
    assert "Imported 2 organisations with 2 needs and capabilities" in capsys.readouterr().out
    assert OrganisationImport.objects.get().finished_at is not None


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (INSTITUTE | {"kind": "spaceship"}, "kind"),
        (INSTITUTE | {"region": "DE99"}, "region"),
        (
            INSTITUTE | {"capabilities": [INSTITUTE["capabilities"][0] | {"trl": 0}]},
            "capabilities[1].trl",
        ),
        (
            INSTITUTE | {"capabilities": [INSTITUTE["capabilities"][0] | {"trl": 10}]},
            "capabilities[1].trl",
        ),
        (
            INSTITUTE | {"capabilities": [INSTITUTE["capabilities"][0] | {"title": ""}]},
            "capabilities[1].title",
        ),
        (INSTITUTE | {"name": SME["name"]}, "name"),
    ],
)
def test_a_bad_row_names_line_and_field_and_nothing_is_written(tmp_path, capsys, row, field):
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_organisations", write(tmp_path, jsonl(SME, row)))
    assert f"line 2, {field}:" in capsys.readouterr().err
    assert not Organisation.objects.exists()
    assert not Need.objects.exists()


def test_a_name_that_exists_already_is_a_duplicate():
    OrganisationFactory(name=INSTITUTE["name"].upper())
    assert errors_of(jsonl(SME, INSTITUTE)) == {(2, "name")}


def test_broken_encoding_names_the_line():
    data = (
        jsonl(SME) + b"\n" + json.dumps(INSTITUTE).encode().replace(b"Karlsruhe", b"Karl\xffsruhe")
    )
    assert errors_of(data) == {(2, "-")}


def test_skip_invalid_imports_the_good_rows_and_lists_the_rest(tmp_path, capsys):
    call_command(
        "import_organisations",
        write(tmp_path, jsonl(SME, INSTITUTE | {"kind": "spaceship"})),
        "--skip-invalid",
    )
    assert list(Organisation.objects.values_list("name", flat=True)) == [SME["name"]]
    assert "skipped: line 2, kind:" in capsys.readouterr().err


def test_csv_with_numbered_posting_columns(tmp_path):
    data = (
        "name,kind,country,region,languages,capability_1_title,capability_1_description,"
        "capability_1_trl,capability_1_techniques,capability_2_title,capability_2_description,"
        "capability_2_trl\n"
        "Institut für Bildverarbeitung,research_institute,DE,DE12,de;en,Weld inspection,"
        "Cracks in camera images.,7,computer_vision;robotics,Bin picking,Robots grasp parts.,5\n"
    ).encode()
    call_command("import_organisations", write(tmp_path, data, "members.csv"))
    institute = Organisation.objects.get()
    assert institute.languages == ["de", "en"]
    assert sorted(Capability.objects.values_list("title", "trl")) == [
        ("Bin picking", 5),
        ("Weld inspection", 7),
    ]
    assert Capability.objects.get(trl=7).techniques == ["computer_vision", "robotics"]


def test_csv_errors_name_the_column():
    data = b"name,kind,country,need_1_title,need_1_description,need_1_trl\nAcme,sme,DE,,Help,3\n"
    assert errors_of(data, "members.csv") == {(2, "need_1_title")}


def test_a_registered_extension_checks_and_keeps_its_key(tmp_path):
    kept = []
    register_row_extension(
        "awards",
        RowExtension(
            check=lambda item: {} if item.get("year") else {"year": "Required."},
            write=lambda organisation, items: kept.append((organisation.name, items)),
        ),
    )
    try:
        bad = INSTITUTE | {"awards": [{"title": "Innovation prize"}]}
        assert errors_of(jsonl(bad)) == {(1, "awards[1].year")}
        good = INSTITUTE | {"awards": [{"title": "Innovation prize", "year": 2017}]}
        call_command("import_organisations", write(tmp_path, jsonl(good)))
    finally:
        EXTENSIONS.pop("awards")
    assert kept == [(INSTITUTE["name"], [{"title": "Innovation prize", "year": 2017}])]


# Past projects in the CORDIS layout (matchmaking/network/onboarding.py).
WELDAI = {
    "id": "101058",
    "acronym": "WELDAI",
    "title": "Learning weld seam inspection",
    "startDate": "2021-03-01",
    "participants": [
        {"name": "Muster Maschinenbau GmbH", "country": "DE"},
        {"name": "Nobody Known SRL", "country": "IT", "pic": "444"},
    ],
}


def test_projects_are_recorded_and_linked_to_organisations_of_the_file(tmp_path):
    from matchmaking.network.models import PastProject

    call_command(
        "import_organisations", write(tmp_path, jsonl(SME, INSTITUTE | {"projects": [WELDAI]}))
    )

    project = PastProject.objects.get()
    assert project.organisation.name == INSTITUTE["name"]
    assert (project.reference, project.acronym, project.year) == ("101058", "WELDAI", 2021)
    partners = {p.name: (p.status, p.organisation) for p in project.partners.all()}
    assert partners == {
        "Muster Maschinenbau GmbH": ("linked", Organisation.objects.get(name=SME["name"])),
        "Nobody Known SRL": ("unknown", None),
    }


def test_projects_in_csv_columns_with_participants_in_one_cell(tmp_path):
    from matchmaking.network.models import PastProject

    data = (
        b"name,kind,country,project_1_id,project_1_acronym,project_1_title,"
        b"project_1_startDate,project_1_participants\n"
        b"Acme,sme,DE,7,ROBO,Robots,2019,Beta Robotics|IT|555; Gamma|FR\n"
    )

    call_command("import_organisations", write(tmp_path, data, "members.csv"))

    project = PastProject.objects.get()
    assert (project.reference, project.year) == ("7", 2019)
    assert sorted(project.partners.values_list("name", "country", "pic")) == [
        ("Beta Robotics", "IT", "555"),
        ("Gamma", "FR", ""),
    ]


def test_bad_projects_name_line_and_field_and_nothing_is_written(tmp_path):
    from matchmaking.network.models import PastProject

    bad = INSTITUTE | {
        "projects": [
            WELDAI | {"startDate": "someday"},
            {"title": "No id", "startDate": "2020"},
            WELDAI | {"id": "9", "participants": [{"country": "DE"}]},
        ]
    }
    data = jsonl(SME, bad)

    assert errors_of(data) == {
        (2, "projects[1].startDate"),
        (2, "projects[2].projectID"),
        (2, "projects[3].participants[1].name"),
    }
    with pytest.raises(CommandError):
        call_command("import_organisations", write(tmp_path, data))
    assert not Organisation.objects.exists()
    assert not PastProject.objects.exists()


def test_bad_csv_projects_name_the_column():
    data = (
        b"name,kind,country,project_2_id,project_2_title,project_2_startDate\n"
        b"Acme,sme,DE,7,Robots,later\n"
    )
    assert errors_of(data, "members.csv") == {(2, "project_2_startDate")}


def test_upload_page_is_for_staff_only(client, alice):
    client.force_login(alice)
    assert client.get(reverse("onboarding:import_upload")).status_code == 302


def test_upload_page_lists_errors_and_imports_nothing(client, staff):
    client.force_login(staff)
    upload = SimpleUploadedFile("members.jsonl", jsonl(SME, INSTITUTE | {"region": "DE99"}))
    response = client.post(reverse("onboarding:import_upload"), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page
    assert "DE99" in page
    assert not Organisation.objects.exists()


def test_upload_page_imports_and_shows_progress(client, staff):
    client.force_login(staff)
    upload = SimpleUploadedFile("members.jsonl", jsonl(SME, INSTITUTE))
    response = client.post(reverse("onboarding:import_upload"), {"file": upload}, follow=True)
    assert "2 organisations with 2 needs and capabilities imported" in response.content.decode()
    assert Organisation.objects.count() == 2
