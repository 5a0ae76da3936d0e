"""The Django admin opens for staff on every accounts model."""

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["user", "organisation", "membership", "invitation", "region"])
def test_staff_opens_the_changelist(client, staff, alice, model):
    client.force_login(staff)

    response = client.get(reverse(f"admin:accounts_{model}_changelist"))

    assert response.status_code == 200


def test_staff_opens_an_organisation_with_its_members(client, staff, alice, sme):
    client.force_login(staff)

    response = client.get(reverse("admin:accounts_organisation_change", args=[sme.pk]))

    assert str(alice) in response.content.decode()


def test_staff_adds_a_user_by_email(client, staff):
    client.force_login(staff)

    client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "erik@example.org",
            "full_name": "Erik",
            "usable_password": "true",
            "password1": "a long and unusual passphrase 42",
            "password2": "a long and unusual passphrase 42",
        },
    )

    assert User.objects.get(email="erik@example.org").check_password(
        "a long and unusual passphrase 42"
    )


def test_regions_cannot_be_edited_in_the_admin(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:accounts_region_add"))

    assert response.status_code == 403
