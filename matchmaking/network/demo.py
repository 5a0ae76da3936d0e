"""Past projects for the demo world (`manage.py seed_demo`), so that the partner
suggestions show partners of partners with their reasons on `make run`: the demo admin's
Weber Präzisionsmaschinen worked with the Stuttgart vision institute and the Baden-
Württemberg cluster, whose other partners it has never met.

Written through `past_projects_import` with CORDIS-shaped records, so participants are
linked by name and country as in a real import. Project ids are made up (prefixed "DEMO"),
so they can never collide with real CORDIS ids. Idempotent: skipped once any past project
exists."""

from collections import Counter

from django.db import transaction

from accounts.models import Organisation
from matchmaking.network.cordis import Participant, ProjectRecord
from matchmaking.network.models import PastProject
from matchmaking.network.services import past_projects_import

# (id, acronym, title, programme, start year, participants as (name, country)); the first
# participant records the project.
PROJECTS = (
    (
        "DEMO-101",
        "WELDAI",
        "Learning weld seam inspection for small manufacturers",
        "Horizon 2020",
        2019,
        (
            ("Weber Präzisionsmaschinen GmbH", "DE"),
            ("Institut für Industrielle Bildverarbeitung Stuttgart", "DE"),
            ("Cluster Intelligente Produktion Baden-Württemberg", "DE"),
        ),
    ),
    (
        "DEMO-102",
        "SMARTCAST",
        "Defect detection in investment casting with few labelled images",
        "Horizon Europe",
        2021,
        (
            ("Institut für Industrielle Bildverarbeitung Stuttgart", "DE"),
            ("Alb-Feinguss GmbH", "DE"),
            ("Kempen Vision Systems B.V.", "NL"),
        ),
    ),
    (
        "DEMO-103",
        "PRODATA",
        "Shared production data spaces for machine tool builders",
        "Horizon 2020",
        2020,
        (
            ("Cluster Intelligente Produktion Baden-Württemberg", "DE"),
            ("Institut für Werkzeugmaschinen und Produktionsdaten Aachen", "DE"),
            ("Silesia Foundry Sp. z o.o.", "PL"),
        ),
    ),
    (
        "DEMO-104",
        "ROBOFOOD",
        "Robotic handling of fresh food in small dairies",
        "Horizon Europe",
        2022,
        (
            ("AgriSense Robotics B.V.", "NL"),
            ("Moravian Institute of Robotics", "CZ"),
            ("Schwarzwald Bio-Molkerei eG", "DE"),
        ),
    ),
    (
        "DEMO-105",
        "TRUSTMED",
        "Trustworthy clinical decision support",
        "Horizon Europe",
        2021,
        (
            ("Klinikum Isartal", "DE"),
            ("Berliner Institut für Vertrauenswürdige KI", "DE"),
            ("Øresund Regional Hospital", "DK"),
        ),
    ),
    (
        "DEMO-106",
        "LANGBRIDGE",
        "Multilingual public service chatbots for municipalities",
        "Digital Europe",
        2020,
        (
            ("Digitalagentur der Kommunen Westsachsen", "DE"),
            ("Sprachwerk AI GmbH", "DE"),
            ("Barcelona Language Technologies S.L.", "ES"),
        ),
    ),
    (
        "DEMO-107",
        "PORTSENSE",
        "Predictive maintenance of port cranes",
        "Horizon Europe",
        2023,
        (
            ("Hafen Terminal Systeme Hamburg GmbH", "DE"),
            ("Hamburger Institut für Maritime KI", "DE"),
            ("Kraków AI Labs sp. z o.o.", "PL"),
        ),
    ),
)


def seed_past_projects() -> Counter[str]:
    """Record the demo projects for the organisations of the demo world that exist."""
    tally: Counter[str] = Counter()
    if PastProject.objects.exists():
        tally["past_projects_existing"] = PastProject.objects.count()
        return tally
    names = set(Organisation.objects.values_list("name", flat=True))
    with transaction.atomic():
        for reference, acronym, title, programme, year, participants in PROJECTS:
            recorder = participants[0][0]
            if recorder not in names:
                continue
            record = ProjectRecord(
                reference=reference,
                title=title,
                year=year,
                acronym=acronym,
                programme=programme,
                participants=[Participant(name, country) for name, country in participants],
            )
            report = past_projects_import(
                organisation=Organisation.objects.get(name=recorder), projects=[record]
            )
            tally["past_projects_created"] += report.created
            tally["project_partners_linked"] += report.linked
    return tally
