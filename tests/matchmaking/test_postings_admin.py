"""Staff manage postings in the Django admin, the one place where visibility does not hide."""

import pytest
from django.urls import reverse

from accounts.models import Visibility
from matchmaking.models import Need
from matchmaking.taxonomy import Technique
from tests.factories import CapabilityFactory, NeedFactory

pytestmark = pytest.mark.django_db


def test_staff_see_hidden_needs_in_the_admin_list(client, staff):
    NeedFactory(title="Hidden need", visibility=Visibility.HIDDEN)
    client.force_login(staff)
    response = client.get(reverse("admin:matchmaking_need_changelist"))
    assert response.status_code == 200
    assert "Hidden need" in response.text


def test_admin_technique_filter_narrows(client, staff):
    CapabilityFactory(title="Vision", techniques=[Technique.COMPUTER_VISION])
    CapabilityFactory(title="Robots", techniques=[Technique.ROBOTICS])
    client.force_login(staff)
    response = client.get(
        reverse("admin:matchmaking_capability_changelist"), {"technique": "robotics"}
    )
    assert "Robots" in response.text
    assert "Vision" not in response.text


def test_admin_edit_redetects_the_language(client, staff, sme):
    need = NeedFactory(organisation=sme, title="Weld inspection")
    client.force_login(staff)
    response = client.post(
        reverse("admin:matchmaking_need_change", args=[need.pk]),
        {
            "organisation": sme.pk,
            "author": "",
            "title": "Prüfung der Schweißnähte",
            "description": "Wir suchen einen Partner für die Sichtprüfung unserer Nähte.",
            "trl": 5,
            "techniques": [Technique.COMPUTER_VISION],
            "region_scope": "eu",
            "budget_band": "",
            "deadline": "",
            "status": "closed",
            "visibility": "hidden",
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.language, need.status, need.visibility) == ("de", "closed", "hidden")


def test_admin_rejects_trl_out_of_range(client, staff, sme):
    need = NeedFactory(organisation=sme, trl=4)
    client.force_login(staff)
    response = client.post(
        reverse("admin:matchmaking_need_change", args=[need.pk]),
        {
            "organisation": sme.pk,
            "title": need.title,
            "description": need.description,
            "trl": 10,
            "region_scope": "eu",
            "status": "open",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert Need.objects.get().trl == 4


def test_admin_save_queues_the_embedding_of_the_posting(
    client, staff, sme, django_capture_on_commit_callbacks
):
    need = NeedFactory(organisation=sme, title="Weld inspection")
    client.force_login(staff)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(
            reverse("admin:matchmaking_need_change", args=[need.pk]),
            {
                "organisation": sme.pk,
                "title": "Weld seam inspection",
                "description": need.description,
                "trl": 5,
                "region_scope": "eu",
                "status": "open",
                "visibility": "public",
            },
        )
    assert len(callbacks) == 1


def test_admin_delete_refreshes_the_organisation_like_the_pages(
    client, staff, sme, django_capture_on_commit_callbacks
):
    need = NeedFactory(organisation=sme)
    client.force_login(staff)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("admin:matchmaking_need_delete", args=[need.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Need.objects.exists()
    assert len(callbacks) == 1
