"""The dashboard: my organisations, my role, what to do next."""

import pytest
from django.urls import reverse

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


def test_dashboard_query_count_is_fixed(client, alice, carol, django_assert_max_num_queries):
    client.force_login(alice)

    with django_assert_max_num_queries(5):
        client.get(reverse("accounts:dashboard"))
