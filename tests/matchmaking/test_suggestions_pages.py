"""Suggestion pages: the panel on the need page, the full lists, and the feedback forms
through real URLs."""

import pytest
from django.test import Client
from django.urls import reverse

from matchmaking.models import SuggestionFeedback
from tests.factories import CapabilityFactory
from tests.matchmaking.suggestion_world import (
    VISION_CAPABILITY,
    embed,
    member_of,
    organisation,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("encoders")]


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def need_url(world) -> str:
    return reverse("matchmaking:need_detail", args=[world["need"].id])


def feedback_url(world) -> str:
    return reverse("suggestions:need_feedback", args=[world["need"].id])


def dismiss(client, world, **extra):
    data = {
        "action": "dismiss",
        "target_kind": "capability",
        "target_id": world["vision"].id,
        "reason": "We already work with them.",
        "next": need_url(world),
    }
    return client.post(feedback_url(world), data | extra)


def test_panel_on_the_need_page_shows_suggestions_with_reasons(world, alice_client):
    page = alice_client.get(need_url(world)).content.decode()
    assert 'data-testid="suggestions-panel"' in page
    assert VISION_CAPABILITY["title"] in page
    assert "Technology readiness fits" in page
    assert "Best-matching sentences" in page
    assert "Computer vision" in page


def test_panel_shows_distance_in_km(world, alice_client):
    page = alice_client.get(need_url(world)).content.decode()
    assert "about 69 km away" in page


def test_panel_labels_shared_terms_in_german_for_a_german_viewer(world, alice_client):
    page = alice_client.get(need_url(world), headers={"accept-language": "de"}).content.decode()
    assert "Fertigungsqualität" in page or "Qualität" in page


def test_outsider_sees_the_public_need_without_its_suggestions(world, client, carol):
    client.force_login(carol)
    page = client.get(need_url(world)).content.decode()
    assert world["need"].title in page
    assert 'data-testid="suggestions-panel"' not in page


def test_anonymous_visitor_sees_no_suggestions_panel(world, client):
    page = client.get(need_url(world)).content.decode()
    assert 'data-testid="suggestions-panel"' not in page


def test_full_suggestion_page_lists_capabilities_and_organisations(world, alice_client):
    page = alice_client.get(reverse("suggestions:need", args=[world["need"].id])).content.decode()
    assert VISION_CAPABILITY["title"] in page
    assert world["institute"].name in page


def test_outsider_gets_404_for_the_suggestion_page(world, client, carol):
    client.force_login(carol)
    assert client.get(reverse("suggestions:need", args=[world["need"].id])).status_code == 404


def test_capability_suggestion_page_lists_needs(world, client):
    client.force_login(member_of(world["institute"], "vision@example.org"))
    url = reverse("suggestions:capability", args=[world["vision"].id])
    assert world["need"].title in client.get(url).content.decode()


def test_member_dismisses_a_suggestion_and_it_is_gone_from_the_page(world, alice_client):
    response = dismiss(alice_client, world)
    assert response.status_code == 302
    assert response.url == need_url(world)
    row = SuggestionFeedback.objects.get()
    assert (row.action, row.reason, row.rank) == ("dismissed", "We already work with them.", 1)
    assert f'id="suggestion-capability-{world["vision"].id}"' not in (
        alice_client.get(need_url(world)).content.decode()
    )


def test_dismissed_suggestion_stays_on_a_colleagues_page(world, alice_client, client, bob):
    dismiss(alice_client, world)
    colleague = Client()
    colleague.force_login(bob)
    page = colleague.get(need_url(world)).content.decode()
    assert f'id="suggestion-capability-{world["vision"].id}"' in page


def test_outsider_cannot_dismiss_and_gets_404(world, client, carol):
    client.force_login(carol)
    assert dismiss(client, world).status_code == 404
    assert not SuggestionFeedback.objects.exists()


def test_anonymous_feedback_gets_404(world, client):
    assert dismiss(client, world).status_code == 404


def test_feedback_without_csrf_token_is_refused(world, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert dismiss(client, world).status_code == 403
    assert not SuggestionFeedback.objects.exists()


def test_too_long_reason_is_reported_and_nothing_is_stored(world, alice_client):
    response = dismiss(alice_client, world, reason="x" * 301)
    assert response.status_code == 302
    assert not SuggestionFeedback.objects.exists()
    page = alice_client.get(need_url(world)).content.decode()
    assert "Reason (optional): Ensure this value has at most 300 characters" in page


def test_save_marks_the_suggestion_saved(world, alice_client):
    dismiss(alice_client, world, action="save", reason="")
    page = alice_client.get(need_url(world)).content.decode()
    assert "Saved" in page
    assert SuggestionFeedback.objects.get().action == "saved"


def test_contact_leads_to_the_partners_profile(world, alice_client):
    response = dismiss(alice_client, world, action="contact", reason="")
    assert response.url == reverse("accounts:organisation_detail", args=[world["institute"].slug])
    assert SuggestionFeedback.objects.get().action == "contacted"


def test_hidden_target_cannot_be_given_feedback(world, alice_client):
    world["vision"].visibility = "hidden"
    world["vision"].save()
    assert dismiss(alice_client, world).status_code == 404


def test_organisation_suggestion_page_lists_partners(world, alice_client, sme):
    url = reverse("suggestions:organisation", args=[sme.slug])
    page = alice_client.get(url).content.decode()
    assert world["institute"].name in page
    assert "Their “" in page


def test_organisation_partner_can_be_dismissed(world, alice_client, sme):
    url = reverse("suggestions:organisation_feedback", args=[sme.slug])
    data = {"action": "dismiss", "target_kind": "organisation", "target_id": world["institute"].id}
    alice_client.post(url, data)
    page = alice_client.get(reverse("suggestions:organisation", args=[sme.slug])).content.decode()
    assert f'id="suggestion-organisation-{world["institute"].id}"' not in page


# Queries of the need page with its panel, read from the match store (the collaboration
# network is stored with it), and the one upsert that counts the suggestions shown
# (insights): the count must not grow with the candidates.
NEED_PAGE_QUERIES = 15


def test_need_page_query_count_is_pinned(world, alice_client, django_assert_num_queries):
    with django_assert_num_queries(NEED_PAGE_QUERIES):
        alice_client.get(need_url(world))


def test_need_page_query_count_does_not_grow_with_candidates(
    world, alice_client, django_assert_num_queries
):
    more = []
    for n in range(6):
        partner = organisation(f"Vision lab {n}", "research_institute", "DE12")
        more.append(CapabilityFactory(organisation=partner, **VISION_CAPABILITY))
    embed(*more)
    with django_assert_num_queries(NEED_PAGE_QUERIES):
        alice_client.get(need_url(world))


def test_dashboard_links_each_organisation_to_its_partner_suggestions(alice_client, sme):
    page = alice_client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("suggestions:organisation", args=[sme.slug]) in page


# The organisation page reads its stored list, builds the collaboration network for the
# reader and counts the suggestions shown (one upsert): a fixed count, never depending on
# the candidates.
ORGANISATION_PAGE_QUERIES = 28


def test_organisation_page_query_count_does_not_grow_with_candidates(
    world, alice_client, sme, django_assert_num_queries
):
    url = reverse("suggestions:organisation", args=[sme.slug])
    with django_assert_num_queries(ORGANISATION_PAGE_QUERIES):
        alice_client.get(url)
    more = []
    for n in range(6):
        partner = organisation(f"Vision lab {n}", "research_institute", "DE12")
        more.append(CapabilityFactory(organisation=partner, **VISION_CAPABILITY))
    embed(*more)
    with django_assert_num_queries(ORGANISATION_PAGE_QUERIES):
        alice_client.get(url)


def page_title(html: str) -> str:
    return html.split("<title>")[1].split("</title>")[0]


def test_suggestion_page_titles_name_the_site_once(world, alice_client):
    posting_page = alice_client.get(reverse("suggestions:need", args=[world["need"].id]))
    organisation_page = alice_client.get(
        reverse("suggestions:organisation", args=[world["sme"].slug])
    )

    posting_title = page_title(posting_page.content.decode())
    organisation_title = page_title(organisation_page.content.decode())
    assert posting_title == f"Suggestions for {world['need'].title} · AI Partnering"
    assert organisation_title == f"Partners for {world['sme'].name} · AI Partnering"


def test_suggestions_shown_are_counted_in_one_row_per_day_list_and_region(world, alice_client, sme):
    from matchmaking.insights.models import SuggestionsShown

    first = alice_client.get(need_url(world)).context["panel"].shown
    second = alice_client.get(need_url(world)).context["panel"].shown

    row = SuggestionsShown.objects.get()
    assert first > 0
    assert (row.kind, row.country, row.region) == ("need", sme.country, sme.region_id or "")
    assert row.shown == first + second


def test_a_visitor_who_sees_no_panel_counts_nothing(world, client, carol):
    from matchmaking.insights.models import SuggestionsShown

    client.force_login(carol)
    client.get(need_url(world))

    assert not SuggestionsShown.objects.exists()
