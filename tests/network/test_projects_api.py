"""Past projects in the API: the page's permissions (admins change, members read,
outsiders 404), CORDIS import with every bad row named, partners resolved, hidden
organisations never listed."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Visibility
from matchmaking.network import services
from matchmaking.network.models import PastProject, ProjectPartner
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CSV = """projectID;acronym;title;startDate;name;country;organisationID
101;VISION;Vision for welding;2021-03-01;Muster Maschinenbau GmbH;DE;999
101;VISION;Vision for welding;2021-03-01;Alpha Research;DE;111
102;ROBO;Robots;2019-01-01;Nobody Known SRL;IT;444
"""
BAD_CSV = """projectID;acronym;title;startDate;name;country;organisationID
101;VISION;Vision for welding;someday;Alpha Research;DE;111
;ROBO;Robots;2019-01-01;Beta;IT;444
103;CHEM;Chemistry;2020;;FR;555
"""


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    return client


def projects_url(organisation) -> str:
    return reverse("api:past-project-list", args=[organisation.slug])


def detail_url(project) -> str:
    return reverse("api:past-project-detail", args=[project.organisation.slug, project.id])


@pytest.fixture
def alpha():
    return OrganisationFactory(name="Alpha Research", country="DE")


@pytest.fixture
def project(sme, alpha):
    return services.past_project_create(
        organisation=sme, title="Vision for welding", year=2021, partners=[alpha]
    )


def test_members_read_the_projects_with_their_partners(bob, sme, project, alpha):
    response = api(bob).get(projects_url(sme))

    assert response.status_code == 200
    [row] = response.json()
    assert (row["title"], row["year"], row["hidden"]) == ("Vision for welding", 2021, False)
    assert [(p["organisation"], p["status"]) for p in row["partners"]] == [(alpha.slug, "linked")]


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_outsiders_get_404_for_list_and_detail(carol, sme, project, method):
    assert api(carol).get(projects_url(sme)).status_code == 404
    assert getattr(api(carol), method)(detail_url(project), {}, format="json").status_code == 404


def test_anonymous_callers_get_401(sme):
    assert api().get(projects_url(sme)).status_code == 401


def test_a_hidden_organisations_projects_do_not_exist_for_others(alice, carol):
    institute = carol.memberships.get().organisation
    institute.visibility = Visibility.HIDDEN
    institute.save()
    services.past_project_create(organisation=institute, title="Secret", year=2020)

    assert api(alice).get(projects_url(institute)).status_code == 404
    assert api(carol).get(projects_url(institute)).status_code == 200


def test_a_hidden_partner_is_left_out_of_the_partners(alice, sme, project, alpha):
    hidden = OrganisationFactory(name="Hidden Partner", visibility=Visibility.HIDDEN)
    services.past_project_update(project=project, partners=[alpha, hidden])

    [row] = api(alice).get(projects_url(sme)).json()

    assert [p["name"] for p in row["partners"]] == ["Alpha Research"]


def test_admins_record_a_project_members_may_not(alice, bob, sme, alpha):
    payload = {"title": "Robots", "year": 2019, "acronym": "ROBO", "partners": [alpha.slug]}

    assert api(bob).post(projects_url(sme), payload, format="json").status_code == 403
    response = api(alice).post(projects_url(sme), payload, format="json")

    assert response.status_code == 201
    assert response.json()["partners"][0]["organisation"] == alpha.slug
    assert PastProject.objects.get().acronym == "ROBO"


def test_bad_input_names_the_field_and_writes_nothing(alice, sme):
    response = api(alice).post(
        projects_url(sme), {"title": "", "year": 1800, "partners": ["nobody"]}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"title", "year", "partners"}
    assert not PastProject.objects.exists()


def test_admins_hide_change_and_delete_a_project(alice, bob, project):
    assert api(bob).patch(detail_url(project), {"hidden": True}, format="json").status_code == 403

    response = api(alice).patch(
        detail_url(project),
        {"hidden": True, "title": "Welding vision", "partners": []},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["hidden"], response.json()["title"]) == (True, "Welding vision")
    assert response.json()["partners"] == []
    assert api(alice).delete(detail_url(project)).status_code == 204
    assert not PastProject.objects.exists()


def test_import_links_participants_and_lists_the_unresolved(alice, sme, alpha):
    from matchmaking.network.models import OrganisationPic

    OrganisationPic.objects.create(organisation=alpha, pic="111")
    url = reverse("api:past-project-import", args=[sme.slug])

    response = api(alice).post(url, {"content": CSV, "format": "csv"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["created"], body["linked"]) == (2, 1)
    assert [(p["name"], p["status"]) for p in body["unresolved"]] == [
        ("Nobody Known SRL", "unknown")
    ]


def test_import_reports_every_bad_row_with_its_field_and_writes_nothing(alice, sme):
    url = reverse("api:past-project-import", args=[sme.slug])

    response = api(alice).post(url, {"content": BAD_CSV}, format="json")

    assert response.status_code == 400
    assert [(r["where"], r["field"]) for r in response.json()["rows"]] == [
        ("row 2", "startDate"),
        ("row 3", "projectID"),
        ("row 4", "name"),
    ]
    assert not PastProject.objects.exists()


def test_import_is_for_admins_only(bob, sme):
    url = reverse("api:past-project-import", args=[sme.slug])

    assert api(bob).post(url, {"content": CSV}, format="json").status_code == 403


def test_admins_resolve_an_unknown_participant(alice, sme, alpha):
    api(alice).post(
        reverse("api:past-project-import", args=[sme.slug]), {"content": CSV}, format="json"
    )
    unknown = ProjectPartner.objects.get(name="Nobody Known SRL")
    url = reverse("api:past-project-partner", args=[sme.slug, unknown.id])

    response = api(alice).patch(url, {"organisation": alpha.slug}, format="json")

    assert response.status_code == 200
    assert (response.json()["organisation"], response.json()["status"]) == (alpha.slug, "linked")
