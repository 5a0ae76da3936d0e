"""Creating and editing organisations through the pages."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation, Region
from tests.factories import NeedFactory

pytestmark = pytest.mark.django_db


def organisation_data(**overrides):
    return {
        "name": "Vision Lab Stuttgart",
        "kind": "startup",
        "description": "Defect detection on camera images.",
        "website": "https://vision-lab.example",
        "country": "DE",
        "region": "DE11",
        "city": "Stuttgart",
        "size_band": "10-49",
        "languages": ["de", "en"],
        "sectors": ["C", "M"],
        "visibility": "public",
        **overrides,
    }


def test_create_page_lists_regions_as_code_and_name(client, carol):
    client.force_login(carol)

    response = client.get(reverse("accounts:organisation_create"))

    assert '<option value="DE11">DE11 Stuttgart</option>' in response.content.decode()


def test_create_page_creates_organisation_with_me_as_admin(client, carol):
    client.force_login(carol)

    response = client.post(reverse("accounts:organisation_create"), organisation_data())

    organisation = Organisation.objects.get(name="Vision Lab Stuttgart")
    assert response.url == reverse("accounts:organisation_detail", args=[organisation.slug])
    assert organisation.region == Region.objects.get(code="DE11")
    assert (organisation.languages, organisation.sectors) == (["de", "en"], ["C", "M"])
    assert Membership.objects.get(organisation=organisation, user=carol).is_admin


def test_create_with_bad_input_shows_errors_and_writes_nothing(client, carol):
    client.force_login(carol)
    before = (Organisation.objects.count(), Membership.objects.count())

    response = client.post(
        reverse("accounts:organisation_create"),
        organisation_data(name="", website="not a url", kind="guild", sectors=["Z"]),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "website", "kind", "sectors"}
    assert 'id="id_website_error"' in response.content.decode()
    assert (Organisation.objects.count(), Membership.objects.count()) == before


def test_region_outside_the_country_is_shown_at_the_region_field(client, carol):
    client.force_login(carol)
    before = Organisation.objects.count()

    response = client.post(
        reverse("accounts:organisation_create"), organisation_data(country="AT", region="DE11")
    )

    assert list(response.context["form"].errors) == ["region"]
    assert 'id="id_region_error"' in response.content.decode()
    assert Organisation.objects.count() == before


def test_anonymous_visitor_is_sent_to_login_to_create(client):
    response = client.get(reverse("accounts:organisation_create"))

    assert response.url.startswith(reverse("accounts:login"))


def test_edit_page_shows_current_values(client, alice, sme):
    client.force_login(alice)

    response = client.get(reverse("accounts:organisation_edit", args=[sme.slug]))

    assert response.context["form"].initial["name"] == "Muster Maschinenbau GmbH"


def test_admin_saves_every_profile_field(client, alice, sme):
    client.force_login(alice)
    data = organisation_data(name="Muster Robotics", visibility="members", region="DE21")

    response = client.post(reverse("accounts:organisation_edit", args=[sme.slug]), data)

    assert response.status_code == 302
    sme.refresh_from_db()
    saved = {field: getattr(sme, field) for field in data if field != "region"}
    assert saved == {field: value for field, value in data.items() if field != "region"}
    assert sme.region_id == "DE21"


def test_edit_with_bad_input_shows_errors_and_changes_nothing(client, alice, sme):
    client.force_login(alice)

    response = client.post(
        reverse("accounts:organisation_edit", args=[sme.slug]),
        organisation_data(name="", country="XX", visibility="secret"),
    )

    assert set(response.context["form"].errors) == {"name", "country", "visibility"}
    sme.refresh_from_db()
    assert (sme.name, sme.visibility) == ("Muster Maschinenbau GmbH", "public")


def test_member_who_is_not_admin_cannot_open_edit(client, bob, sme):
    client.force_login(bob)

    response = client.get(reverse("accounts:organisation_edit", args=[sme.slug]))

    assert response.status_code == 403


def test_member_who_is_not_admin_cannot_post_edit(client, bob, sme):
    client.force_login(bob)

    response = client.post(
        reverse("accounts:organisation_edit", args=[sme.slug]), organisation_data(name="Mine")
    )

    assert response.status_code == 403
    sme.refresh_from_db()
    assert sme.name == "Muster Maschinenbau GmbH"


def test_profile_shows_edit_link_only_to_admins(client, alice, bob, sme):
    edit_url = reverse("accounts:organisation_edit", args=[sme.slug])
    client.force_login(bob)
    as_member = client.get(reverse("accounts:organisation_detail", args=[sme.slug]))
    client.force_login(alice)
    as_admin = client.get(reverse("accounts:organisation_detail", args=[sme.slug]))

    assert edit_url not in as_member.content.decode()
    assert edit_url in as_admin.content.decode()


def test_members_find_the_partner_suggestions_from_the_profile(client, bob, carol, sme):
    suggestions = reverse("suggestions:organisation", args=[sme.slug])
    client.force_login(bob)
    assert (
        suggestions
        in client.get(reverse("accounts:organisation_detail", args=[sme.slug])).content.decode()
    )

    client.force_login(carol)
    assert (
        suggestions
        not in client.get(reverse("accounts:organisation_detail", args=[sme.slug])).content.decode()
    )


def test_profile_marks_hidden_postings_for_members(client, bob, sme):
    NeedFactory(organisation=sme, title="Internal forecasting", visibility="hidden")
    NeedFactory(organisation=sme, title="Open weld inspection")
    client.force_login(bob)

    html = client.get(reverse("accounts:organisation_detail", args=[sme.slug])).content.decode()

    hidden_item = html[html.index("Internal forecasting") :].split("</li>")[0]
    public_item = html[html.index("Open weld inspection") :].split("</li>")[0]
    assert 'class="badge badge-hidden">Hidden<' in hidden_item
    assert "badge" not in public_item
