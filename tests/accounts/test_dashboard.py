"""The dashboard: my organisations, my role, what to do next."""

import pytest
from django.urls import reverse

from tests.factories import CapabilityFactory, NeedFactory

pytestmark = pytest.mark.django_db


def test_dashboard_lists_my_organisations_with_my_role(client, bob, sme):
    client.force_login(bob)

    response = client.get(reverse("accounts:dashboard"))

    html = response.content.decode()
    assert "Muster Maschinenbau GmbH" in html
    assert "My role: Member" in html
    assert reverse("accounts:organisation_edit", args=[sme.slug]) not in html


def test_admin_gets_the_edit_link(client, alice, sme):
    client.force_login(alice)

    response = client.get(reverse("accounts:dashboard"))

    assert reverse("accounts:organisation_edit", args=[sme.slug]) in response.content.decode()


def test_user_without_organisation_is_invited_to_create_one(client, staff):
    client.force_login(staff)

    response = client.get(reverse("accounts:dashboard"))

    assert "You are not part of an organisation yet" in response.content.decode()


def test_dashboard_query_count_is_fixed(client, alice, carol, sme, django_assert_max_num_queries):
    """Five reads (session, user, e-mail confirmed?, memberships, my postings as one UNION)
    and the request's savepoint pair, however many organisations and postings there are."""
    NeedFactory.create_batch(3, organisation=sme, author=alice)
    CapabilityFactory.create_batch(2, organisation=sme, author=alice)
    client.force_login(alice)

    with django_assert_max_num_queries(7):
        client.get(reverse("accounts:dashboard"))


def test_dashboard_lists_my_own_postings_with_status_and_visibility(client, alice, bob, sme):
    mine = NeedFactory(organisation=sme, author=alice, title="Weld seam inspection")
    closed = CapabilityFactory(organisation=sme, author=alice, title="Old offer", status="closed")
    hidden = NeedFactory(organisation=sme, author=alice, title="Secret plan", visibility="hidden")
    NeedFactory(organisation=sme, author=bob, title="Bob's need")
    client.force_login(alice)

    response = client.get(reverse("accounts:dashboard"))

    html = response.content.decode()
    section = html[html.index('data-testid="my-postings"') :]
    for posting, kind in ((mine, "need"), (closed, "capability"), (hidden, "need")):
        assert reverse(f"matchmaking:{kind}_detail", args=[posting.pk]) in section
    assert "Bob&#x27;s need" not in section
    assert "Closed" in section
    assert "Hidden" in section


def test_dashboard_hides_postings_of_an_organisation_i_left(client, alice, carol):
    institute = carol.memberships.get().organisation
    NeedFactory(organisation=institute, author=alice, title="Left behind", visibility="hidden")
    client.force_login(alice)

    response = client.get(reverse("accounts:dashboard"))

    assert "Left behind" not in response.content.decode()
