"""The demo world: `manage.py seed_demo` against the real database, run the way an operator
runs it."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.text import slugify

from accounts.countries import country_matches_region
from accounts.geo import haversine_km
from accounts.models import Membership, Organisation, User, Visibility
from matchmaking.embedding_service import embeddings_stale_ids
from matchmaking.management.commands.seed_demo import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    DEMO_DIR,
    DEMO_PASSWORD,
)
from matchmaking.models import Capability, Embedding, Need

pytestmark = pytest.mark.django_db


def seed(*args: str, embed: bool = False, event: bool = False) -> str:
    """Embedding the whole demo takes minutes on a CPU; only the test about embedding
    (on a one-organisation world) lets the command embed. The demo event (scored and
    scheduled, ~15 s) is seeded only by the tests about it."""
    out = StringIO()
    call_command(
        "seed_demo",
        *args,
        *([] if embed else ["--no-embed"]),
        *([] if event else ["--no-event"]),
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


def world_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "needs": Need.objects.count(),
        "capabilities": Capability.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def test_seed_creates_at_least_60_organisations():
    seed()
    assert Organisation.objects.count() >= 60


def test_seed_creates_two_or_three_postings_per_organisation_on_average():
    seed()
    postings = Need.objects.count() + Capability.objects.count()
    assert 2 <= postings / Organisation.objects.count() <= 3


def test_seed_writes_postings_in_german_and_english():
    seed()
    languages = list(Need.objects.values_list("language", flat=True)) + list(
        Capability.objects.values_list("language", flat=True)
    )
    german_share = languages.count("de") / len(languages)
    assert 0.3 <= german_share <= 0.5
    assert set(languages) == {"de", "en"}


def test_every_seeded_organisation_lies_in_a_region_of_its_country():
    seed()
    misplaced = [
        organisation.slug
        for organisation in Organisation.objects.select_related("region")
        if organisation.region is None
        or not country_matches_region(organisation.country, organisation.region.country)
    ]
    assert misplaced == []


def test_seed_covers_the_german_states_and_other_eu_countries():
    seed()
    region_codes = set(Organisation.objects.values_list("region__code", flat=True))
    # Bavaria, Baden-Württemberg, NRW, Saxony, Berlin, Hamburg, Lower Saxony, Hesse.
    for state_prefix in ("DE2", "DE1", "DEA", "DED", "DE3", "DE6", "DE9", "DE7"):
        assert any(code.startswith(state_prefix) for code in region_codes), state_prefix
    countries = set(Organisation.objects.values_list("country", flat=True))
    assert {"AT", "NL", "FR", "IT", "PL", "CZ", "DK", "ES"} <= countries


def test_seeding_twice_changes_no_counts():
    seed()
    first = world_counts()
    seed()
    assert world_counts() == first


def test_second_run_reports_everything_as_existing():
    seed()
    output = seed()
    summary = [line for line in output.splitlines() if "created" in line]
    assert len(summary) == 6  # organisations, needs, capabilities, users, contacts, projects
    assert all(" 0 created" in line for line in summary)


def test_second_run_keeps_edits_made_to_the_demo():
    seed()
    Need.objects.filter(title__startswith="Automatische Schweißnahtprüfung").update(trl=9)
    seed()
    assert Need.objects.get(title__startswith="Automatische Schweißnahtprüfung").trl == 9


def test_flagship_weld_seam_need_has_a_nearby_english_capability():
    seed()
    need = Need.objects.select_related("organisation__region").get(
        title__icontains="Schweißnahtprüfung"
    )
    capability = Capability.objects.select_related("organisation__region").get(
        title__icontains="weld seam inspection"
    )
    need_region = need.organisation.region
    capability_region = capability.organisation.region
    distance = haversine_km(
        need_region.latitude,
        need_region.longitude,
        capability_region.latitude,
        capability_region.longitude,
    )
    assert (need.language, capability.language) == ("de", "en")
    assert need.organisation.kind == Organisation.Kind.SME
    assert capability.organisation.kind == Organisation.Kind.RESEARCH_INSTITUTE
    assert distance < 50
    assert set(need.techniques) & set(capability.techniques)


def test_demo_admin_signs_in_with_the_printed_password(client):
    output = seed()
    assert "demo-admin@example.org" in output
    assert DEMO_PASSWORD in output
    assert client.login(email="demo-admin@example.org", password=DEMO_PASSWORD)


def test_demo_admin_administers_the_flagship_machine_builder():
    seed()
    membership = Membership.objects.get(user__email="demo-admin@example.org")
    assert membership.role == Membership.Role.ADMIN
    assert membership.organisation.region.code == "DE11"


def test_staff_superuser_signs_in_with_the_printed_password(client):
    output = seed()
    admin = User.objects.get(email=ADMIN_EMAIL)
    assert ADMIN_PASSWORD in output
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    assert client.login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)


def test_demo_contacts_cannot_sign_in():
    seed()
    contact = Membership.objects.get(
        organisation__slug="alb-feinguss-gmbh", role=Membership.Role.ADMIN
    ).user
    assert not contact.has_usable_password()


def test_seed_keeps_the_password_of_an_existing_demo_admin(client):
    seed()
    user = User.objects.get(email="demo-admin@example.org")
    user.set_password("changed by the operator")
    user.save()
    seed()
    assert client.login(email="demo-admin@example.org", password="changed by the operator")


def test_most_organisations_are_public_and_some_are_not():
    seed()
    visibilities = list(Organisation.objects.values_list("visibility", flat=True))
    assert visibilities.count(Visibility.PUBLIC) / len(visibilities) > 0.8
    assert visibilities.count(Visibility.MEMBERS) >= 3
    assert 1 <= visibilities.count(Visibility.HIDDEN) <= 2


def test_postings_of_hidden_organisations_are_hidden():
    seed()
    leaked = Need.objects.filter(organisation__visibility=Visibility.HIDDEN).exclude(
        visibility=Visibility.HIDDEN
    )
    assert not leaked.exists()


def test_every_seeded_posting_names_a_technique_and_a_domain():
    seed()
    for model in (Need, Capability):
        assert not model.objects.filter(techniques=[]).exists()
        assert not model.objects.filter(domains=[]).exists()


def test_seed_sets_deadlines_in_the_future():
    seed()
    deadlines = list(Need.objects.exclude(deadline=None).values_list("deadline", flat=True))
    assert deadlines
    assert min(deadlines) > timezone.localdate()


def test_seed_skips_postings_of_a_real_organisation_with_a_demo_name(alice, sme):
    """An organisation someone created by hand must not receive demo postings."""
    Organisation.objects.filter(pk=sme.pk).update(
        name="Alb-Feinguss GmbH", slug="alb-feinguss-gmbh"
    )
    seed()
    assert not Need.objects.filter(organisation=sme).exists()


def test_broken_entry_rolls_back_the_whole_seed(tmp_path):
    good = json.loads((DEMO_DIR / "01_baden_wuerttemberg.json").read_text(encoding="utf-8"))[0]
    broken = {**good, "name": "Broken Region GmbH", "region": "FR10", "needs": []}
    (tmp_path / "world.json").write_text(json.dumps([good, broken]), encoding="utf-8")
    with pytest.raises(CommandError, match="Broken Region GmbH"):
        seed("--data", str(tmp_path))
    assert world_counts() == {
        "organisations": 0,
        "needs": 0,
        "capabilities": 0,
        "users": 0,
        "memberships": 0,
    }


def test_seed_leaves_nothing_stale_to_embed(tmp_path):
    first = json.loads((DEMO_DIR / "01_baden_wuerttemberg.json").read_text(encoding="utf-8"))[0]
    (tmp_path / "world.json").write_text(json.dumps([first]), encoding="utf-8")
    seed("--data", str(tmp_path), embed=True)
    for kind in ("need", "capability", "organisation"):
        assert embeddings_stale_ids(kind=kind) == []
    assert Embedding.objects.filter(organisation__isnull=False).exists()


def test_entry_without_a_region_is_refused_before_writing(tmp_path):
    (tmp_path / "world.json").write_text(
        json.dumps([{"name": "Nowhere GmbH", "kind": "sme", "country": "DE", "contact": "X"}]),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Nowhere GmbH lacks region"):
        seed("--data", str(tmp_path))


def test_demo_organisation_names_have_distinct_slugs():
    names = [
        entry["name"]
        for path in sorted(DEMO_DIR.glob("*.json"))
        for entry in json.loads(path.read_text(encoding="utf-8"))
    ]
    slugs = [slugify(name) for name in names]
    assert len(set(slugs)) == len(slugs)


def test_seed_writes_a_collaboration_history_once():
    from matchmaking.collaboration.models import ContactOutcome, ContactRequest

    seed()
    statuses = set(ContactRequest.objects.values_list("status", flat=True))
    assert statuses == {"pending", "accepted", "declined"}
    assert ContactOutcome.objects.filter(stage="contract").exists()
    assert Need.objects.filter(anonymous=True).count() == 1
    weld = ContactRequest.objects.get(sender_organisation__slug="weber-prazisionsmaschinen-gmbh")
    assert weld.status == "accepted"
    assert weld.messages.count() == 2
    before = ContactRequest.objects.count()
    seed()
    assert ContactRequest.objects.count() == before


def test_seed_records_past_projects_that_give_partners_of_partners_with_reasons():
    from matchmaking.network.models import PastProject, ProjectPartner
    from matchmaking.network.selectors import collaboration_graph_for, warm_introductions

    seed()
    assert PastProject.objects.count() >= 5
    assert not ProjectPartner.objects.exclude(status="linked").exists()
    weber = Organisation.objects.get(slug="weber-prazisionsmaschinen-gmbh")
    demo_admin = User.objects.get(email="demo-admin@example.org")
    graph = collaboration_graph_for(user=demo_admin)
    partners = graph.partners(weber.id)
    strangers = {c for p in partners for c in graph.partners(p)} - partners - {weber.id}
    introductions = warm_introductions(graph=graph, query=weber.id, candidates=sorted(strangers))
    reasons = [i.reason for found in introductions.values() for i in found]
    assert len(strangers) >= 3
    assert any(
        "You both worked with Institut für Industrielle Bildverarbeitung" in r for r in reasons
    )
    before = PastProject.objects.count()
    seed()
    assert PastProject.objects.count() == before


def test_seed_gives_the_dashboard_suggestions_shown():
    from matchmaking.insights.models import SuggestionsShown

    seed()
    months = {row.day.replace(day=1) for row in SuggestionsShown.objects.all()}
    assert len(months) == 6
    before = list(SuggestionsShown.objects.values_list("id", "shown"))
    seed()
    assert list(SuggestionsShown.objects.values_list("id", "shown")) == before
