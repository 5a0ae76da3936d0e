"""Past projects, CORDIS import and the network inside the suggestion service."""

import pytest
from django.urls import reverse

from accounts.models import Visibility
from matchmaking.network import services
from matchmaking.network.cordis import ImportFileError, parse_projects
from matchmaking.network.models import OrganisationPic, PastProject, ProjectPartner
from matchmaking.network.selectors import known_partner_list
from matchmaking.suggestions import organisation_suggestion_list
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CSV = """projectID;acronym;title;startDate;frameworkProgramme;name;country;organisationID
101;VISION;Vision for welding;2021-03-01;HORIZON;Muster Maschinenbau GmbH;DE;999
101;VISION;Vision for welding;2021-03-01;HORIZON;Institut Alpha;DE;111
101;VISION;Vision for welding;2021-03-01;HORIZON;FRAUNHOFER-GESELLSCHAFT E.V.;DE;222
101;VISION;Vision for welding;2021-03-01;HORIZON;Twin Labs;DE;333
102;ROBO;Robots;2019-01-01;H2020;Nobody Known SRL;IT;444
"""


@pytest.fixture
def partners():
    alpha = OrganisationFactory(name="Alpha Research")
    OrganisationPic.objects.create(organisation=alpha, pic="111")
    fraunhofer = OrganisationFactory(name="Fraunhofer-Gesellschaft", country="DE")
    twins = [OrganisationFactory(name="Twin Labs GmbH"), OrganisationFactory(name="Twin Labs AG")]
    return {"alpha": alpha, "fraunhofer": fraunhofer, "twins": twins}


def test_import_links_by_pic_then_name_and_reports_ambiguous_and_unknown(sme, partners):
    report = services.past_projects_import(
        organisation=sme, projects=parse_projects(CSV.encode(), "org.csv")
    )
    assert (report.created, report.linked) == (2, 2)
    assert [p.name for p in report.ambiguous] == ["Twin Labs"]
    assert [p.name for p in report.unknown] == ["Nobody Known SRL"]
    vision = PastProject.objects.get(reference="101")
    linked = {p.organisation for p in vision.partners.filter(status="linked")}
    assert linked == {partners["alpha"], partners["fraunhofer"]}
    # The importer itself (by name) is not its own partner; nothing was guessed.
    assert not vision.partners.filter(name__startswith="Muster").exists()
    assert ProjectPartner.objects.filter(organisation__isnull=True).count() == 2


def test_importing_again_replaces_instead_of_duplicating(sme, partners):
    projects = parse_projects(CSV.encode(), "org.csv")
    services.past_projects_import(organisation=sme, projects=projects)
    report = services.past_projects_import(organisation=sme, projects=projects)
    assert (report.created, report.updated) == (0, 2)
    assert PastProject.objects.count() == 2


def test_json_layout_is_read_like_csv():
    [project] = parse_projects(
        b'[{"id": "7", "acronym": "A", "title": "T", "startDate": "2020-05-01",'
        b' "participants": [{"name": "X", "country": "EL", "pic": "5"}]}]',
        "p.json",
    )
    assert (project.reference, project.year, project.participants[0].country) == ("7", 2020, "GR")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"projectID;title\n1;T\n", "missing column(s): startdate, name"),
        (b"projectID;title;startDate;name\n1;T;someday;X\n", "row 2: start date"),
        (b"[{", "not valid JSON"),
        (b"", "empty"),
    ],
)
def test_bad_files_name_the_problem(content, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_projects(content, "x")


def test_bad_upload_shows_a_message_and_writes_nothing(client, alice, sme):
    client.force_login(alice)
    url = reverse("network:past_project_import", args=[sme.slug])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.csv", b"projectID;title\n1;T\n")
    response = client.post(url, {"file": upload}, follow=True)
    assert "Nothing was imported: missing column(s)" in response.content.decode()
    assert not PastProject.objects.exists()


def test_unresolved_participants_are_listed_and_can_be_resolved(client, alice, sme, partners):
    services.past_projects_import(organisation=sme, projects=parse_projects(CSV.encode(), "o.csv"))
    client.force_login(alice)
    page = client.get(reverse("network:past_projects", args=[sme.slug])).content.decode()
    assert "Twin Labs GmbH" in page
    assert "Nobody Known SRL" in page
    twin = ProjectPartner.objects.get(name="Twin Labs")
    chosen = partners["twins"][1]
    client.post(
        reverse("network:project_partner_resolve", args=[sme.slug, twin.id]),
        {f"p{twin.id}-organisation": chosen.id},
    )
    twin.refresh_from_db()
    assert (twin.organisation, twin.status) == (chosen, "linked")


def _chain(sme):
    """sme worked with partner (project SHARED, 2021); partner worked with candidate."""
    partner = OrganisationFactory(name="Fraunhofer IPA")
    candidate = OrganisationFactory(name="Robotics Startup")
    stranger = OrganisationFactory(name="Stranger Ltd")
    ours = services.past_project_create(
        organisation=sme, title="Shared line", acronym="SHARED", year=2021, partners=[partner]
    )
    services.past_project_create(
        organisation=partner, title="Grippers", acronym="GRIP", year=2020, partners=[candidate]
    )
    return partner, candidate, stranger, ours


def test_partner_of_partner_is_suggested_with_a_checkable_reason(alice, sme):
    partner, candidate, stranger, _ours = _chain(sme)
    suggestions = organisation_suggestion_list(organisation=sme, user=alice)
    targets = [s.target for s in suggestions]
    assert candidate in targets
    assert partner not in targets  # known partners are not new
    assert stranger not in targets  # no text match, no common partner: no reason to show
    reason = suggestions[targets.index(candidate)].reasons[0]
    assert reason == (
        "You both worked with Fraunhofer IPA — project SHARED, 2021; they: project GRIP, 2020."
    )
    [known] = known_partner_list(organisation=sme, user=alice)
    assert (known.organisation, known.collaborations) == (partner, ["project SHARED, 2021"])


def test_hidden_organisation_never_appears_in_reasons_or_suggestions(alice, sme):
    partner, candidate, _stranger, _ours = _chain(sme)
    partner.visibility = Visibility.HIDDEN
    partner.save()
    suggestions = organisation_suggestion_list(organisation=sme, user=alice)
    assert candidate not in [s.target for s in suggestions]
    assert not any("Fraunhofer" in r for s in suggestions for r in s.reasons)
    assert known_partner_list(organisation=sme, user=alice) == []


def test_hidden_project_gives_no_edge(alice, sme):
    _partner, candidate, _stranger, ours = _chain(sme)
    services.past_project_set_hidden(project=ours, hidden=True)
    suggestions = organisation_suggestion_list(organisation=sme, user=alice)
    assert candidate not in [s.target for s in suggestions]


def test_hidden_project_of_another_organisation_is_not_in_anyone_s_reasons(alice, sme):
    partner, candidate, _stranger, _ours = _chain(sme)
    other = OrganisationFactory(name="Another Partner")
    services.past_project_create(
        organisation=sme, title="Second", acronym="SECOND", year=2022, partners=[other]
    )
    services.past_project_create(organisation=other, title="T", year=2020, partners=[candidate])
    PastProject.objects.filter(acronym="GRIP").update(hidden=True)
    [suggestion] = [
        s
        for s in organisation_suggestion_list(organisation=sme, user=alice)
        if s.target == candidate
    ]
    assert all("GRIP" not in reason and "Fraunhofer" not in reason for reason in suggestion.reasons)


def test_past_projects_page_records_a_project_for_admins_only(client, alice, bob, sme):
    partner = OrganisationFactory(name="Partner Org")
    url = reverse("network:past_projects", args=[sme.slug])
    data = {"title": "Line", "year": 2021, "partners": [partner.id]}
    client.force_login(bob)
    assert client.post(url, data).status_code == 403
    client.force_login(alice)
    response = client.post(url, {**data, "year": 1800})
    assert "Ensure this value is greater than or equal to 1950" in response.content.decode()
    assert client.post(url, data).status_code == 302
    assert PastProject.objects.get().partners.get().organisation == partner


def test_past_projects_page_leaves_out_a_partner_that_became_hidden(client, alice, sme):
    partner = OrganisationFactory(name="Stealth Partner")
    project = services.past_project_create(organisation=sme, title="Line", year=2021)
    services.past_project_update(project=project, partners=[partner])
    url = reverse("network:past_projects", args=[sme.slug])
    client.force_login(alice)
    assert "Stealth Partner" in client.get(url).content.decode()

    partner.visibility = Visibility.HIDDEN
    partner.save()

    assert "Stealth Partner" not in client.get(url).content.decode()


def test_outsider_cannot_see_past_projects(client, carol, sme):
    client.force_login(carol)
    assert client.get(reverse("network:past_projects", args=[sme.slug])).status_code == 404


def test_organisations_for_a_need_set_known_partners_apart(alice, sme):
    """The need path: text candidates keep their reasons, gain the network's, and a
    partner already worked with comes after the new ones, marked."""
    from matchmaking.network.suggestions import network_ranking
    from matchmaking.suggestions.types import Suggestion

    partner, candidate, _stranger, _ours = _chain(sme)
    answering = OrganisationFactory(name="Answers The Need")
    text = [
        Suggestion(kind="organisation", target=partner, score=0.9, reasons=["text"]),
        Suggestion(kind="organisation", target=answering, score=0.5, reasons=["text"]),
        Suggestion(kind="organisation", target=candidate, score=0.1, reasons=["text"]),
    ]
    new, known = network_ranking(
        organisation=sme, user=alice, text=text, limit=5, new_partners=False
    )
    assert [s.target for s in new] == [candidate, answering]
    assert new[0].reasons[0].startswith("You both worked with Fraunhofer IPA")
    assert [i.via for i in new[0].introductions] == [partner]
    assert [(s.target, s.worked_before) for s in known] == [(partner, ["project SHARED, 2021"])]


def test_accepted_contact_is_an_edge_with_its_source(alice, sme):
    from django.utils import timezone

    from matchmaking.collaboration.models import ContactRequest
    from matchmaking.network.selectors import collaboration_list_visible_to

    other = OrganisationFactory(name="Contacted Org")
    ContactRequest.objects.create(
        sender_organisation=sme,
        recipient_organisation=other,
        reason="Talk about welding",
        status=ContactRequest.Status.ACCEPTED,
        responded_at=timezone.now(),
    )
    [edge] = collaboration_list_visible_to(user=alice)
    assert (set(edge.members), edge.source) == ({sme.id, other.id}, "platform")
    [known] = known_partner_list(organisation=sme, user=alice)
    assert known.collaborations == [f"contact through this platform, {timezone.now().year}"]
