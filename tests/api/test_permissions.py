"""The permission matrix of the API (docs/permissions.md): who reads and who writes needs,
capabilities and organisations at each visibility level.

Reads: public to everyone, members to every signed-in user, hidden only to members of the
owning organisation; invisible answers 404, like missing. Writes: anonymous callers get 401;
callers who can see but not write get 403; callers who cannot see get 404. Staff are an
ordinary signed-in user here (they work in the Django admin).
"""

import pytest
from django.urls import reverse

from accounts.models import Organisation, Visibility
from matchmaking.models import Capability, Need
from tests.api.conftest import ACTORS
from tests.factories import CapabilityFactory, NeedFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

VISIBILITIES = [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.HIDDEN]

# Who sees an object of the SME at each visibility level. bob is a member, alice an admin.
SEES = {
    Visibility.PUBLIC: {"anonymous", "carol", "bob", "alice", "staff"},
    Visibility.MEMBERS: {"carol", "bob", "alice", "staff"},
    Visibility.HIDDEN: {"bob", "alice"},
}
POSTING_WRITERS = {"bob", "alice"}
ORGANISATION_WRITERS = {"alice"}

POSTINGS = {
    "need": (NeedFactory, Need, "api:need-detail", "api:need-list"),
    "capability": (CapabilityFactory, Capability, "api:capability-detail", "api:capability-list"),
}


def expected_write_status(actor: str, visibility: str, writers: set[str], success: int) -> int:
    if actor == "anonymous":
        return 401
    if actor not in SEES[visibility]:
        return 404
    return success if actor in writers else 403


def matrix(*extra_axes):
    """Every (kind, visibility, actor) combination, so each cell is its own test."""
    return [
        pytest.param(*axes, visibility, actor, id="-".join([*axes, visibility, actor]))
        for axes in extra_axes
        for visibility in VISIBILITIES
        for actor in ACTORS
    ]


POSTING_CELLS = matrix(("need",), ("capability",))
ORGANISATION_CELLS = matrix(())


# --- needs and capabilities --------------------------------------------------------------


@pytest.mark.parametrize(("kind", "visibility", "actor"), POSTING_CELLS)
def test_posting_detail_is_readable_exactly_by_those_who_may_see_it(
    client_as, sme, kind, visibility, actor
):
    factory, _model, detail, _list = POSTINGS[kind]
    posting = factory(organisation=sme, visibility=visibility)

    response = client_as(actor).get(reverse(detail, kwargs={"pk": posting.pk}))

    assert response.status_code == (200 if actor in SEES[visibility] else 404)


@pytest.mark.parametrize(("kind", "visibility", "actor"), POSTING_CELLS)
def test_posting_list_shows_a_posting_exactly_to_those_who_may_see_it(
    client_as, sme, kind, visibility, actor
):
    factory, _model, _detail, list_name = POSTINGS[kind]
    posting = factory(organisation=sme, visibility=visibility)

    response = client_as(actor).get(reverse(list_name))

    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["results"]]
    assert (posting.pk in ids) == (actor in SEES[visibility])


@pytest.mark.parametrize(("kind", "visibility", "actor"), POSTING_CELLS)
def test_posting_update_is_allowed_only_to_members_of_its_organisation(
    client_as, sme, kind, visibility, actor
):
    factory, model, detail, _list = POSTINGS[kind]
    posting = factory(organisation=sme, visibility=visibility, title="Before")

    response = client_as(actor).patch(
        reverse(detail, kwargs={"pk": posting.pk}), {"title": "After"}, format="json"
    )

    expected = expected_write_status(actor, visibility, POSTING_WRITERS, 200)
    assert response.status_code == expected
    title = model.objects.get(pk=posting.pk).title
    assert title == ("After" if expected == 200 else "Before")


@pytest.mark.parametrize(("kind", "visibility", "actor"), POSTING_CELLS)
def test_posting_delete_is_allowed_only_to_members_of_its_organisation(
    client_as, sme, kind, visibility, actor
):
    factory, model, detail, _list = POSTINGS[kind]
    posting = factory(organisation=sme, visibility=visibility)

    response = client_as(actor).delete(reverse(detail, kwargs={"pk": posting.pk}))

    expected = expected_write_status(actor, visibility, POSTING_WRITERS, 204)
    assert response.status_code == expected
    assert model.objects.filter(pk=posting.pk).exists() == (expected != 204)


@pytest.mark.parametrize(
    ("kind", "actor"),
    [pytest.param(kind, actor, id=f"{kind}-{actor}") for kind in POSTINGS for actor in ACTORS],
)
def test_posting_create_is_allowed_only_to_members_of_the_organisation(client_as, sme, kind, actor):
    _factory, model, _detail, list_name = POSTINGS[kind]
    payload = {"organisation": sme.slug, "title": "New", "description": "Text.", "trl": 5}

    response = client_as(actor).post(reverse(list_name), payload, format="json")

    expected = expected_write_status(actor, Visibility.PUBLIC, POSTING_WRITERS, 201)
    assert response.status_code == expected
    assert model.objects.filter(title="New").exists() == (expected == 201)


@pytest.mark.parametrize("actor", ["carol", "staff"])
def test_creating_for_an_organisation_one_cannot_see_names_the_field(client_as, actor):
    hidden = OrganisationFactory(visibility=Visibility.HIDDEN)
    payload = {"organisation": hidden.slug, "title": "New", "description": "Text.", "trl": 5}

    response = client_as(actor).post(reverse("api:need-list"), payload, format="json")

    assert response.status_code == 400
    assert "organisation" in response.json()
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("actor", "status"),
    [("anonymous", 404), ("carol", 404), ("staff", 404), ("bob", 200), ("alice", 200)],
)
def test_public_posting_of_a_hidden_organisation_is_seen_only_by_its_members(
    client_as, sme, actor, status
):
    Organisation.objects.filter(pk=sme.pk).update(visibility=Visibility.HIDDEN)
    need = NeedFactory(organisation=sme, visibility=Visibility.PUBLIC)

    response = client_as(actor).get(reverse("api:need-detail", kwargs={"pk": need.pk}))

    assert response.status_code == status


def test_missing_posting_answers_like_an_invisible_one(client_as):
    response = client_as("carol").get(reverse("api:need-detail", kwargs={"pk": 999_999}))

    assert response.status_code == 404


# --- organisations -----------------------------------------------------------------------


@pytest.mark.parametrize(("visibility", "actor"), ORGANISATION_CELLS)
def test_organisation_detail_is_readable_exactly_by_those_who_may_see_it(
    client_as, sme, visibility, actor
):
    Organisation.objects.filter(pk=sme.pk).update(visibility=visibility)

    response = client_as(actor).get(reverse("api:organisation-detail", kwargs={"slug": sme.slug}))

    assert response.status_code == (200 if actor in SEES[visibility] else 404)


@pytest.mark.parametrize(("visibility", "actor"), ORGANISATION_CELLS)
def test_organisation_list_shows_an_organisation_exactly_to_those_who_may_see_it(
    client_as, sme, visibility, actor
):
    Organisation.objects.filter(pk=sme.pk).update(visibility=visibility)

    response = client_as(actor).get(reverse("api:organisation-list"), {"page_size": 100})

    assert response.status_code == 200
    slugs = [item["slug"] for item in response.json()["results"]]
    assert (sme.slug in slugs) == (actor in SEES[visibility])


@pytest.mark.parametrize(("visibility", "actor"), ORGANISATION_CELLS)
def test_organisation_update_is_allowed_only_to_its_administrators(
    client_as, sme, visibility, actor
):
    Organisation.objects.filter(pk=sme.pk).update(visibility=visibility, description="Before")

    response = client_as(actor).patch(
        reverse("api:organisation-detail", kwargs={"slug": sme.slug}),
        {"description": "After"},
        format="json",
    )

    expected = expected_write_status(actor, visibility, ORGANISATION_WRITERS, 200)
    assert response.status_code == expected
    description = Organisation.objects.get(pk=sme.pk).description
    assert description == ("After" if expected == 200 else "Before")


@pytest.mark.parametrize("actor", ACTORS)
def test_organisation_create_is_open_to_every_signed_in_user(client_as, actor):
    payload = {"name": "Neue Firma GmbH", "kind": "sme", "country": "DE"}

    response = client_as(actor).post(reverse("api:organisation-list"), payload, format="json")

    assert response.status_code == (401 if actor == "anonymous" else 201)
    assert Organisation.objects.filter(name="Neue Firma GmbH").exists() == (actor != "anonymous")
