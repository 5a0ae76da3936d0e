"""The shipped NUTS-2 list, its sync into the Region table, and distances between points."""

import json

import pytest

from accounts.geo import haversine_km
from accounts.models import Region
from accounts.services import REGIONS_FILE, region_sync_from_data

MUNICH = (48.1372, 11.5755)
STUTTGART = (48.7758, 9.1829)


@pytest.mark.django_db
def test_region_table_is_filled_after_migrate():
    assert Region.objects.count() >= 240
    assert Region.objects.get(code="DE21").name == "Oberbayern"


@pytest.mark.django_db
def test_every_eu_and_efta_country_has_regions():
    countries = set(Region.objects.values_list("country", flat=True))
    eu27 = set(
        "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
    )
    assert eu27 | {"CH", "IS", "LI", "NO"} == countries


@pytest.mark.django_db
def test_region_code_starts_with_its_country():
    mismatched = [r.code for r in Region.objects.all() if not r.code.startswith(r.country)]
    assert mismatched == []


@pytest.mark.django_db
def test_oberbayern_point_lies_near_munich():
    region = Region.objects.get(code="DE21")
    assert haversine_km(region.latitude, region.longitude, *MUNICH) < 30


@pytest.mark.django_db
def test_stuttgart_region_point_lies_near_stuttgart():
    """The Regierungsbezirk reaches far north-east of the city, so its centroid does too."""
    region = Region.objects.get(code="DE11")
    assert haversine_km(region.latitude, region.longitude, *STUTTGART) < 60


@pytest.mark.django_db
def test_berlin_and_brandenburg_points_are_distinct():
    """Brandenburg rings Berlin; a naive centroid would land inside Berlin."""
    berlin = Region.objects.get(code="DE30")
    brandenburg = Region.objects.get(code="DE40")
    distance = haversine_km(
        berlin.latitude, berlin.longitude, brandenburg.latitude, brandenburg.longitude
    )
    assert distance > 30


@pytest.mark.django_db
def test_mainland_region_points_lie_in_europe():
    """Catches swapped lat/lon. Outermost regions and Svalbard lie outside the box."""
    remote = {"ES70", "PT20", "PT30", "FRY1", "FRY2", "FRY3", "FRY4", "FRY5", "NO0B"}
    outside = [
        r.code
        for r in Region.objects.exclude(code__in=remote)
        if not (34 <= r.latitude <= 71 and -25 <= r.longitude <= 35)
    ]
    assert outside == []


@pytest.mark.django_db
def test_region_sync_twice_changes_nothing():
    before = list(Region.objects.values_list("code", "name", "country", "latitude", "longitude"))
    region_sync_from_data()
    after = list(Region.objects.values_list("code", "name", "country", "latitude", "longitude"))
    assert after == before


@pytest.mark.django_db
def test_region_sync_restores_an_edited_region():
    Region.objects.filter(code="DE21").update(name="Changed", latitude=0, longitude=0)
    region_sync_from_data()
    region = Region.objects.get(code="DE21")
    assert (region.name, round(region.latitude)) == ("Oberbayern", 48)


def test_regions_file_names_its_source_and_licence():
    data = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    assert "GISCO" in data["source"]
    assert "EuroGeographics" in data["licence"]


def test_haversine_munich_to_stuttgart_is_about_190_km():
    assert haversine_km(*MUNICH, *STUTTGART) == pytest.approx(190, abs=5)


def test_haversine_of_a_point_to_itself_is_zero():
    assert haversine_km(*MUNICH, *MUNICH) == 0


def test_haversine_is_symmetric():
    assert haversine_km(*MUNICH, *STUTTGART) == haversine_km(*STUTTGART, *MUNICH)


def test_haversine_across_the_date_line_takes_the_short_way():
    assert haversine_km(0, 179.5, 0, -179.5) == pytest.approx(111.2, abs=0.5)


def test_haversine_between_antipodes_is_half_the_circumference():
    assert haversine_km(0, 0, 0, 180) == pytest.approx(20015, abs=10)


def test_region_names_are_clean():
    data = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    unclean = [r["code"] for r in data["regions"] if r["name"] != " ".join(r["name"].split())]
    assert unclean == []
