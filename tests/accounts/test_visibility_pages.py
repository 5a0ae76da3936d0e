"""Who sees an organisation on its profile page and in the directory
(docs/permissions.md): public for everyone, members for signed-in users, hidden only for
its own members. Staff are no exception on the pages."""

import pytest
from django.urls import reverse

from accounts.models import Visibility

pytestmark = pytest.mark.django_db

MATRIX = [
    (Visibility.PUBLIC, "anonymous", True),
    (Visibility.PUBLIC, "outsider", True),
    (Visibility.PUBLIC, "member", True),
    (Visibility.MEMBERS, "anonymous", False),
    (Visibility.MEMBERS, "outsider", True),
    (Visibility.MEMBERS, "member", True),
    (Visibility.HIDDEN, "anonymous", False),
    (Visibility.HIDDEN, "outsider", False),
    (Visibility.HIDDEN, "staff", False),
    (Visibility.HIDDEN, "member", True),
]


def main_part(response) -> str:
    """The page body without the navigation, which carries the URL and a fresh CSRF token."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def viewer_client(client, request, bob, carol, staff):
    """A client signed in as the viewer named by the test parameter."""

    def sign_in(viewer: str):
        users = {"member": bob, "outsider": carol, "staff": staff}
        if viewer in users:
            client.force_login(users[viewer])
        return client

    return sign_in


@pytest.mark.parametrize(("visibility", "viewer", "sees"), MATRIX)
def test_profile_page_follows_visibility(viewer_client, sme, visibility, viewer, sees):
    sme.visibility = visibility
    sme.save()

    response = viewer_client(viewer).get(reverse("accounts:organisation_detail", args=[sme.slug]))

    assert response.status_code == (200 if sees else 404)


@pytest.mark.parametrize(("visibility", "viewer", "sees"), MATRIX)
def test_directory_follows_visibility(viewer_client, sme, visibility, viewer, sees):
    sme.visibility = visibility
    sme.save()

    response = viewer_client(viewer).get(reverse("accounts:organisation_list"))

    shown = [organisation.slug for organisation in response.context["page"].object_list]
    assert (sme.slug in shown) is sees


def test_hidden_profile_answers_like_a_missing_one(client, carol, sme):
    sme.visibility = Visibility.HIDDEN
    sme.save()
    client.force_login(carol)

    hidden = client.get(reverse("accounts:organisation_detail", args=[sme.slug]))
    missing = client.get(reverse("accounts:organisation_detail", args=["no-such-organisation"]))

    assert hidden.status_code == missing.status_code == 404
    assert main_part(hidden) == main_part(missing)


def test_members_page_is_404_for_an_outsider_of_a_public_organisation(client, carol, sme):
    client.force_login(carol)

    response = client.get(reverse("accounts:organisation_members", args=[sme.slug]))

    assert response.status_code == 404
