"""An anonymous posting never names its owner before the owner accepts a contact request
from the reader's organisation: one test per channel, then the reveal."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matchmaking.collaboration import services
from matchmaking.collaboration.models import ContactRequest
from tests.factories import CapabilityFactory, NeedFactory
from tests.matchmaking.suggestion_world import rank_all

pytestmark = pytest.mark.django_db

SECRET = "Geheim Maschinenbau"


@pytest.fixture
def secret_need(sme, alice):
    """Alice's SME (the poster) with a secret name and city, posting anonymously."""
    sme.name, sme.city, sme.website = SECRET, "Geheimstadt", "https://geheim.example"
    sme.save()
    return NeedFactory(
        organisation=sme,
        author=alice,
        anonymous=True,
        title="Anonymous weld seam inspection",
        description="Inspection of weld seams with camera images on the line.",
    )


def leaks(content: bytes | str) -> bool:
    text = content.decode() if isinstance(content, bytes) else content
    return any(word in text for word in (SECRET, "Geheimstadt", "geheim.example", "alice@"))


@pytest.fixture
def carol_client(client, carol):
    client.force_login(carol)
    return client


@pytest.fixture
def carol_api(carol):
    api = APIClient()
    api.force_authenticate(carol)
    return api


def test_posting_page_and_its_title_hide_the_owner(carol_client, secret_need):
    page = carol_client.get(reverse("matchmaking:need_detail", args=[secret_need.id]))
    assert page.status_code == 200
    assert not leaks(page.content)
    assert b"Anonymous organisation" in page.content


def test_posting_page_for_anonymous_visitors_hides_the_owner(client, secret_need):
    page = client.get(reverse("matchmaking:need_detail", args=[secret_need.id]))
    assert page.status_code == 200
    assert not leaks(page.content)


def test_marketplace_and_search_hide_the_owner(carol_client, secret_need):
    for query in ({}, {"q": "weld seams"}):
        page = carol_client.get(reverse("matchmaking:marketplace"), query)
        assert b"Anonymous weld seam inspection" in page.content
        assert not leaks(page.content)


def test_organisation_page_does_not_list_the_anonymous_posting(carol_client, sme, secret_need):
    page = carol_client.get(reverse("accounts:organisation_detail", args=[sme.slug]))
    assert b"Anonymous weld seam inspection" not in page.content


def test_owner_still_sees_own_posting_with_its_name(client, alice, sme, secret_need):
    client.force_login(alice)
    page = client.get(reverse("matchmaking:need_detail", args=[secret_need.id]))
    assert SECRET.encode() in page.content


def test_api_detail_and_list_hide_the_owner(carol_api, secret_need):
    detail = carol_api.get(reverse("api:need-detail", args=[secret_need.id]))
    assert detail.json()["anonymous"] is True
    assert detail.json()["organisation"]["slug"] == ""
    listing = carol_api.get(reverse("api:need-list"))
    assert secret_need.id in [row["id"] for row in listing.json()["results"]]
    assert not leaks(detail.content)
    assert not leaks(listing.content)


def test_api_organisation_filter_leaves_anonymous_postings_out(carol_api, sme, secret_need):
    listing = carol_api.get(reverse("api:need-list"), {"organisation": sme.slug})
    assert listing.json()["results"] == []


def test_api_can_create_an_anonymous_capability(alice, sme):
    api = APIClient()
    api.force_authenticate(alice)
    response = api.post(
        reverse("api:capability-list"),
        {
            "organisation": sme.slug,
            "title": "Hidden offer",
            "description": "x",
            "trl": 5,
            "anonymous": True,
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["anonymous"] is True


def test_openapi_schema_and_its_examples_name_no_owner(carol_api, secret_need):
    schema = carol_api.get(reverse("api-schema"), {"format": "json"})
    assert schema.status_code == 200
    assert not leaks(schema.content)
    assert "anonymous" in json.dumps(schema.json()["components"]["schemas"]["Need"])


def test_contact_request_from_the_anonymous_posting_hides_the_recipient_until_accepted(
    carol_client, carol, institute, alice, secret_need, send, mailoutbox
):
    request = send(sender=carol, sender_organisation=institute, target=secret_need)
    page = carol_client.get(reverse("collaboration:detail", args=[request.id]))
    listing = carol_client.get(reverse("collaboration:list"))
    assert not leaks(page.content)
    assert not leaks(listing.content)
    api = APIClient()
    api.force_authenticate(carol)
    assert not leaks(api.get(reverse("api:contact-request-list")).content)


def test_decline_mail_to_the_sender_names_no_owner(
    carol, institute, alice, secret_need, send, mailoutbox, django_capture_on_commit_callbacks
):
    request = send(sender=carol, sender_organisation=institute, target=secret_need)
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_request_decline(request=request, actor=alice, reason="Not now")
    to_carol = [m for m in mailoutbox if m.to == ["carol@example.org"]]
    assert to_carol
    assert not any(leaks(m.subject + m.body) for m in to_carol)


def test_acceptance_reveals_both_sides(carol_client, carol, institute, alice, secret_need, send):
    request = send(sender=carol, sender_organisation=institute, target=secret_need)
    services.contact_request_accept(request=request, actor=alice)
    page = carol_client.get(reverse("matchmaking:need_detail", args=[secret_need.id]))
    contact = carol_client.get(reverse("collaboration:detail", args=[request.id]))
    assert SECRET.encode() in page.content
    assert SECRET.encode() in contact.content
    assert b"alice@example.org" in contact.content
    assert ContactRequest.objects.get().status == "accepted"


def test_other_outsiders_stay_in_the_dark_after_a_reveal(
    client, carol, institute, alice, secret_need, send, django_user_model
):
    request = send(sender=carol, sender_organisation=institute, target=secret_need)
    services.contact_request_accept(request=request, actor=alice)
    client.force_login(django_user_model.objects.create_user("dave@example.org", "pw"))
    page = client.get(reverse("matchmaking:need_detail", args=[secret_need.id]))
    assert not leaks(page.content)


# --- suggestions ---------------------------------------------------------------------------


def test_posting_suggestions_show_the_anonymous_need_masked(carol_api, institute, secret_need):
    capability = CapabilityFactory(
        organisation=institute,
        title="Camera-based weld seam inspection",
        description="We inspect weld seams with camera images and deep learning on the line.",
    )
    rank_all()  # the match store, as the workers fill it after a save
    response = carol_api.get(reverse("api:capability-suggestions", args=[capability.id]))
    found = response.json()["needs"]
    assert secret_need.id in [row["target"]["id"] for row in found]
    assert not leaks(response.content)


def test_suggestion_page_shows_the_anonymous_need_masked(carol_client, institute, secret_need):
    capability = CapabilityFactory(
        organisation=institute,
        title="Camera-based weld seam inspection",
        description="We inspect weld seams with camera images and deep learning on the line.",
    )
    rank_all()  # the match store, as the workers fill it after a save
    page = carol_client.get(reverse("suggestions:capability", args=[capability.id]))
    assert b"Anonymous weld seam inspection" in page.content
    assert not leaks(page.content)


def test_organisation_suggestions_never_lead_to_the_anonymous_poster(
    carol_api, institute, sme, secret_need
):
    CapabilityFactory(
        organisation=institute,
        title="Camera-based weld seam inspection",
        description="We inspect weld seams with camera images and deep learning on the line.",
    )
    response = carol_api.get(reverse("api:organisation-suggestions", args=[institute.slug]))
    slugs = [row["target"]["organisation"]["slug"] for row in response.json()["organisations"]]
    assert sme.slug not in slugs
    assert "" not in slugs  # no stand-in either: it would tie the posting to a partner
    assert not leaks(response.content)
