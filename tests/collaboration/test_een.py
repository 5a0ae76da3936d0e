"""EEN-compatible import and export of postings: round trip, per-row errors, all or
nothing, and anonymous owners masked in exports."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from matchmaking.collaboration import een
from matchmaking.models import Capability, Need
from tests.factories import NeedFactory

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "profile_type,title,summary,technology_keywords,trl,partner_sought,partnership_type,"
    "target_countries,deadline\n"
    "request,Weld seam inspection,Find pores in weld seams.,computer_vision;manufacturing_quality,"
    "6,research_institute,rnd_project;pilot,DE,2030-01-31\n"
    "offer,Forecasting service,We forecast demand.,forecasting,8,,service_contract,EU,\n"
)
BAD_CSV = (
    "profile_type,title,summary,technology_keywords,trl,partnership_type,target_countries,deadline\n"
    "request,Good row,Fine.,computer_vision,6,pilot,DE,\n"
    "wish,Bad kind,x,telepathy,12,pilot,XX,31.01.2030\n"
    "offer,,No title.,nlp,5,handshake,EU,\n"
)


@pytest.fixture
def api(alice):
    client = APIClient()
    client.force_authenticate(alice)
    return client


def test_csv_import_creates_needs_and_capabilities(api, sme):
    response = api.post(
        reverse("api:een-import", args=[sme.slug]),
        {"format": "csv", "content": GOOD_CSV},
        format="json",
    )
    assert response.status_code == 201, response.json()
    need = Need.objects.get(organisation=sme)
    assert (need.trl, need.techniques, need.domains) == (
        6,
        ["computer_vision"],
        ["manufacturing_quality"],
    )
    assert need.collaboration_types == ["rnd_project", "pilot"]
    assert need.region_scope == "national"
    assert need.description.endswith("Partner sought: research_institute")
    assert Capability.objects.get(organisation=sme).region_scope == "eu"


def test_bad_rows_are_reported_by_number_and_field_and_nothing_is_written(api, sme):
    response = api.post(
        reverse("api:een-import", args=[sme.slug]),
        {"format": "csv", "content": BAD_CSV},
        format="json",
    )
    assert response.status_code == 400
    rows = response.json()["rows"]
    assert set(rows) == {"2", "3"}
    assert set(rows["2"]) == {
        "profile_type",
        "technology_keywords",
        "trl",
        "target_countries",
        "deadline",
    }
    assert "partnership_type" in rows["3"]
    assert not Need.objects.exists()
    assert not Capability.objects.exists()


def test_json_import_reports_a_bad_trl(api, sme):
    rows = [{"profile_type": "offer", "title": "X", "summary": "Y", "trl": 11}]
    response = api.post(
        reverse("api:een-import", args=[sme.slug]),
        {"format": "json", "content": json.dumps(rows)},
        format="json",
    )
    assert response.status_code == 400
    assert "trl" in response.json()["rows"]["1"]


@pytest.mark.parametrize(
    ("fmt", "content"),
    [("json", "{not json"), ("json", '{"a": 1}'), ("csv", "title\nx\n"), ("xml", "<x/>")],
)
def test_unreadable_files_answer_400_naming_the_field(api, sme, fmt, content):
    response = api.post(
        reverse("api:een-import", args=[sme.slug]),
        {"format": fmt, "content": content},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) & {"content", "format"}


@pytest.mark.parametrize(("who", "expected"), [(None, 401), ("carol", 404), ("bob", 201)])
def test_import_permissions(sme, alice, bob, carol, who, expected):
    client = APIClient()
    if who:
        client.force_authenticate({"bob": bob, "carol": carol}[who])
    response = client.post(
        reverse("api:een-import", args=[sme.slug]),
        {"format": "csv", "content": GOOD_CSV},
        format="json",
    )
    assert response.status_code == expected


def test_export_round_trips_through_import(api, sme, alice, institute):
    api.post(
        reverse("api:een-import", args=[sme.slug]),
        {"format": "csv", "content": GOOD_CSV},
        format="json",
    )
    exported = api.get(reverse("api:een-export"), {"file_format": "csv", "organisation": sme.slug})
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    request = next(r for r in rows if r["profile_type"] == "request")
    assert request["partner_sought"] == "research_institute"
    assert request["target_countries"] == "DE"
    assert request["technology_keywords"] == "computer_vision;manufacturing_quality"
    parsed = een.parse_row(request, organisation=sme)
    assert parsed.fields["description"] == Need.objects.get().description


def test_export_masks_anonymous_owners(client, sme, alice):
    sme.name = "Geheim GmbH"
    sme.save()
    NeedFactory(organisation=sme, anonymous=True, title="Secret need")
    for fmt in ("csv", "json"):
        exported = client.get(reverse("collaboration:een_export"), {"format": fmt})
        assert b"Secret need" in exported.content
        assert b"Geheim" not in exported.content


def test_import_page_lists_row_errors(client, alice, sme):
    client.force_login(alice)
    upload = SimpleUploadedFile("bad.csv", BAD_CSV.encode(), content_type="text/csv")
    page = client.post(
        reverse("collaboration:een_import", args=[sme.slug]), {"format": "csv", "file": upload}
    )
    assert page.status_code == 200
    assert b'data-testid="row-errors"' in page.content
    assert not Need.objects.exists()
