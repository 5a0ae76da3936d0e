"""Model-level guarantees of organisations and memberships."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_slug_is_derived_from_the_name():
    assert OrganisationFactory(name="Müller & Söhne KG").slug == "muller-sohne-kg"


def test_same_name_gets_numbered_slugs():
    slugs = [OrganisationFactory(name="KI-Werkstatt").slug for _ in range(3)]

    assert slugs == ["ki-werkstatt", "ki-werkstatt-2", "ki-werkstatt-3"]


def test_database_refuses_a_duplicate_slug():
    OrganisationFactory(name="Alpha", slug="alpha")

    with pytest.raises(IntegrityError):
        Organisation.objects.create(name="Other", slug="alpha", kind="sme", country="DE")


def test_full_clean_reports_a_duplicate_slug():
    OrganisationFactory(name="Alpha", slug="alpha")

    with pytest.raises(ValidationError) as error:
        Organisation(name="Other", slug="alpha", kind="sme", country="DE").full_clean()

    assert "slug" in error.value.message_dict


def test_a_user_is_member_of_an_organisation_at_most_once(bob, sme):
    with pytest.raises(IntegrityError):
        MembershipFactory(user=bob, organisation=sme, role=Membership.Role.ADMIN)
