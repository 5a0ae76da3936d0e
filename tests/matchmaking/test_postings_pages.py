"""Posting pages through real URLs: detail visibility, create/edit forms, close/reopen,
delete."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Visibility
from matchmaking.models import Capability, Need
from matchmaking.taxonomy import Domain, Technique
from tests.factories import CapabilityFactory, NeedFactory

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Schweißnahtprüfung an Stahlrahmen",
    "description": "Wir suchen einen Partner für die automatische Sichtprüfung unserer Nähte.",
    "trl": "6",
    "techniques": [Technique.COMPUTER_VISION],
    "domains": [Domain.MANUFACTURING_QUALITY],
    "region_scope": "regional",
    "budget_band": "",
    "deadline": "",
    "visibility": Visibility.PUBLIC,
}


# ---- detail pages: who sees what --------------------------------------------------------

VIEWERS = ["anonymous", "outsider", "member"]


def _login(client, viewer, *, member, outsider):
    if viewer == "member":
        client.force_login(member)
    elif viewer == "outsider":
        client.force_login(outsider)


@pytest.mark.parametrize(
    ("visibility", "viewer", "status"),
    [
        (Visibility.PUBLIC, "anonymous", 200),
        (Visibility.PUBLIC, "outsider", 200),
        (Visibility.PUBLIC, "member", 200),
        (Visibility.MEMBERS, "anonymous", 404),
        (Visibility.MEMBERS, "outsider", 200),
        (Visibility.MEMBERS, "member", 200),
        (Visibility.HIDDEN, "anonymous", 404),
        (Visibility.HIDDEN, "outsider", 404),
        (Visibility.HIDDEN, "member", 200),
    ],
)
@pytest.mark.parametrize("factory", [NeedFactory, CapabilityFactory])
def test_detail_page_follows_posting_visibility(
    client, sme, bob, carol, factory, visibility, viewer, status
):
    posting = factory(organisation=sme, visibility=visibility)
    _login(client, viewer, member=bob, outsider=carol)
    name = "need_detail" if factory is NeedFactory else "capability_detail"
    assert client.get(reverse(f"matchmaking:{name}", args=[posting.pk])).status_code == status


@pytest.mark.parametrize(
    ("organisation_visibility", "viewer", "status"),
    [
        (Visibility.MEMBERS, "anonymous", 404),
        (Visibility.MEMBERS, "outsider", 200),
        (Visibility.HIDDEN, "anonymous", 404),
        (Visibility.HIDDEN, "outsider", 404),
        (Visibility.HIDDEN, "member", 200),
    ],
)
def test_public_posting_of_a_less_visible_organisation_follows_the_organisation(
    client, sme, bob, carol, organisation_visibility, viewer, status
):
    sme.visibility = organisation_visibility
    sme.save()
    need = NeedFactory(organisation=sme, visibility=Visibility.PUBLIC)
    _login(client, viewer, member=bob, outsider=carol)
    assert client.get(reverse("matchmaking:need_detail", args=[need.pk])).status_code == status


def test_missing_posting_answers_404(client):
    assert client.get(reverse("matchmaking:capability_detail", args=[99999])).status_code == 404


def test_detail_shows_all_fields_and_organisation_link(client, sme):
    need = NeedFactory(
        organisation=sme,
        title="Weld inspection",
        trl=5,
        techniques=[Technique.COMPUTER_VISION],
        domains=[Domain.MANUFACTURING_QUALITY],
        collaboration_types=["pilot"],
        sovereignty=["on_premises"],
        budget_band="50k-250k",
        deadline=datetime.date(2031, 5, 1),
    )
    text = client.get(reverse("matchmaking:need_detail", args=[need.pk])).text
    for expected in (
        "Weld inspection",
        need.description,
        reverse("accounts:organisation_detail", args=[sme.slug]),
        "Computer vision",
        "Manufacturing quality",
        "Pilot",
        "On-premises",
        "€50k–250k",
        "2031",
    ):
        assert expected in text


def test_members_see_edit_and_close_buttons(client, sme, bob):
    need = NeedFactory(organisation=sme)
    client.force_login(bob)
    text = client.get(reverse("matchmaking:need_detail", args=[need.pk])).text
    assert reverse("matchmaking:need_edit", args=[need.pk]) in text
    assert reverse("matchmaking:need_close", args=[need.pk]) in text


def test_outsiders_see_no_edit_buttons(client, sme, carol):
    need = NeedFactory(organisation=sme)
    client.force_login(carol)
    text = client.get(reverse("matchmaking:need_detail", args=[need.pk])).text
    assert reverse("matchmaking:need_edit", args=[need.pk]) not in text


def test_members_get_a_hint_for_topics_the_text_mentions_but_the_tags_miss(client, sme, bob):
    need = NeedFactory(
        organisation=sme,
        description="Vorausschauende Wartung unserer Pumpen",
        techniques=[],
        domains=[],
    )
    client.force_login(bob)
    text = client.get(reverse("matchmaking:need_detail", args=[need.pk])).text
    assert "Predictive maintenance" in text


# ---- create -----------------------------------------------------------------------------


def test_create_page_requires_login(client):
    response = client.get(reverse("matchmaking:need_create"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_create_page_offers_only_the_users_organisations(client, sme, alice, carol):
    client.force_login(alice)
    text = client.get(reverse("matchmaking:capability_create")).text
    assert sme.name in text
    assert carol.memberships.get().organisation.name not in text


def test_member_creates_a_need_through_the_page(client, sme, alice):
    client.force_login(alice)
    response = client.post(reverse("matchmaking:need_create"), {**VALID, "organisation": sme.pk})
    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matchmaking:need_detail", args=[need.pk])
    assert (need.organisation, need.author, need.language) == (sme, alice, "de")
    assert need.techniques == [Technique.COMPUTER_VISION]


def test_member_creates_a_capability_through_the_page(client, carol):
    institute = carol.memberships.get().organisation
    client.force_login(carol)
    client.post(reverse("matchmaking:capability_create"), {**VALID, "organisation": institute.pk})
    assert Capability.objects.get().organisation == institute


def test_posting_for_someone_elses_organisation_is_refused(client, sme, carol):
    client.force_login(carol)
    response = client.post(reverse("matchmaking:need_create"), {**VALID, "organisation": sme.pk})
    assert response.status_code == 200
    assert "errorlist" in response.text
    assert not Need.objects.exists()


@pytest.mark.parametrize("trl", ["0", "10", "seven", ""])
def test_bad_trl_shows_an_error_and_writes_nothing(client, sme, alice, trl):
    client.force_login(alice)
    response = client.post(
        reverse("matchmaking:need_create"), {**VALID, "organisation": sme.pk, "trl": trl}
    )
    assert response.status_code == 200
    assert 'id="id_trl_error"' in response.text
    assert not Need.objects.exists()


def test_missing_title_shows_an_error_and_writes_nothing(client, sme, alice):
    client.force_login(alice)
    response = client.post(
        reverse("matchmaking:need_create"), {**VALID, "organisation": sme.pk, "title": ""}
    )
    assert 'id="id_title_error"' in response.text
    assert not Need.objects.exists()


def test_unknown_technique_shows_an_error_and_writes_nothing(client, sme, alice):
    client.force_login(alice)
    response = client.post(
        reverse("matchmaking:need_create"),
        {**VALID, "organisation": sme.pk, "techniques": ["telepathy"]},
    )
    assert 'id="id_techniques_error"' in response.text
    assert not Need.objects.exists()


def test_deadline_in_the_past_shows_an_error_and_writes_nothing(client, sme, alice):
    client.force_login(alice)
    response = client.post(
        reverse("matchmaking:need_create"),
        {**VALID, "organisation": sme.pk, "deadline": "2001-01-01"},
    )
    assert "The deadline lies in the past." in response.text
    assert not Need.objects.exists()


def test_user_without_organisation_is_told_to_create_one(client, staff):
    client.force_login(staff)
    text = client.get(reverse("matchmaking:need_create")).text
    assert reverse("accounts:organisation_create") in text


# ---- edit, close, reopen, delete --------------------------------------------------------


def test_member_edits_a_capability(client, sme, bob):
    capability = CapabilityFactory(organisation=sme, title="Old")
    client.force_login(bob)
    url = reverse("matchmaking:capability_edit", args=[capability.pk])
    form = client.get(url)
    assert 'value="Old"' in form.text
    client.post(url, {**VALID, "title": "New", "trl": "8"})
    capability.refresh_from_db()
    assert (capability.title, capability.trl) == ("New", 8)


def test_edit_keeps_a_past_deadline_that_was_already_set(client, sme, bob):
    need = NeedFactory(organisation=sme, deadline=datetime.date(2001, 1, 1))
    client.force_login(bob)
    url = reverse("matchmaking:need_edit", args=[need.pk])
    client.post(url, {**VALID, "title": "Renamed", "deadline": "2001-01-01"})
    need.refresh_from_db()
    assert need.title == "Renamed"


def test_invalid_edit_changes_nothing(client, sme, bob):
    need = NeedFactory(organisation=sme, title="Old", trl=4)
    client.force_login(bob)
    response = client.post(
        reverse("matchmaking:need_edit", args=[need.pk]), {**VALID, "title": "New", "trl": "0"}
    )
    need.refresh_from_db()
    assert 'id="id_trl_error"' in response.text
    assert (need.title, need.trl) == ("Old", 4)


def test_outsider_cannot_open_the_edit_page(client, sme, carol):
    need = NeedFactory(organisation=sme)
    client.force_login(carol)
    assert client.get(reverse("matchmaking:need_edit", args=[need.pk])).status_code == 403


def test_outsider_cannot_edit_by_posting(client, sme, carol):
    need = NeedFactory(organisation=sme, title="Old")
    client.force_login(carol)
    response = client.post(reverse("matchmaking:need_edit", args=[need.pk]), VALID)
    need.refresh_from_db()
    assert (response.status_code, need.title) == (403, "Old")


def test_edit_page_of_an_invisible_posting_answers_404(client, sme, carol):
    need = NeedFactory(organisation=sme, visibility=Visibility.HIDDEN)
    client.force_login(carol)
    assert client.get(reverse("matchmaking:need_edit", args=[need.pk])).status_code == 404


def test_member_closes_and_reopens_a_need(client, sme, bob):
    need = NeedFactory(organisation=sme)
    client.force_login(bob)
    client.post(reverse("matchmaking:need_close", args=[need.pk]))
    assert Need.objects.get().status == Need.Status.CLOSED
    client.post(reverse("matchmaking:need_reopen", args=[need.pk]))
    assert Need.objects.get().status == Need.Status.OPEN


def test_close_needs_post(client, sme, bob):
    need = NeedFactory(organisation=sme)
    client.force_login(bob)
    assert client.get(reverse("matchmaking:need_close", args=[need.pk])).status_code == 405
    assert Need.objects.get().status == Need.Status.OPEN


def test_outsider_cannot_close_a_capability(client, sme, carol):
    capability = CapabilityFactory(organisation=sme)
    client.force_login(carol)
    response = client.post(reverse("matchmaking:capability_close", args=[capability.pk]))
    assert response.status_code == 403
    assert Capability.objects.get().status == Capability.Status.OPEN


def test_member_deletes_a_need_after_confirming(client, sme, alice):
    need = NeedFactory(organisation=sme)
    client.force_login(alice)
    url = reverse("matchmaking:need_delete", args=[need.pk])
    assert client.get(url).status_code == 200
    assert Need.objects.exists()
    response = client.post(url)
    assert response["Location"] == reverse("accounts:organisation_detail", args=[sme.slug])
    assert not Need.objects.exists()


def test_outsider_cannot_delete_a_need(client, sme, carol):
    need = NeedFactory(organisation=sme)
    client.force_login(carol)
    assert client.post(reverse("matchmaking:need_delete", args=[need.pk])).status_code == 403
    assert Need.objects.exists()
