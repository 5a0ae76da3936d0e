"""GDPR through the real pages and services: downloads of a person's and an organisation's
data, deleting either (personal data gone, aggregate figures kept), the retention of
closed postings, and the audit log with who may read it."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from matchmaking.models import Capability, Need, SuggestionFeedback
from matchmaking.services import need_update, postings_purge_closed
from matchmaking.tasks import postings_purge_closed as purge_task
from tests.conftest import PASSWORD
from tests.factories import CapabilityFactory, MembershipFactory, NeedFactory

pytestmark = pytest.mark.django_db


def download(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return json.loads(response.content)


# --- downloads ---------------------------------------------------------------------------


def test_person_downloads_their_own_data(client, alice, bob, sme):
    NeedFactory(organisation=sme, author=alice, title="Alice's weld need")
    NeedFactory(organisation=sme, author=bob, title="Bob's need")
    client.force_login(alice)

    data = download(client, reverse("accounts:account_data_export"))

    assert data["account"]["email"] == "alice@example.org"
    assert [m["role"] for m in data["memberships"]] == ["admin"]
    assert [n["title"] for n in data["needs_written"]] == ["Alice's weld need"]
    assert "bob@example.org" not in json.dumps(data)
    assert "password" not in json.dumps(data["account"])


def test_admin_downloads_all_of_the_organisations_data(client, alice, bob, sme):
    NeedFactory(organisation=sme, title="Weld seams", visibility="hidden")
    CapabilityFactory(organisation=sme, title="Sheet metal know-how")
    client.force_login(alice)

    data = download(client, reverse("accounts:organisation_data_export", args=[sme.slug]))

    assert data["organisation"]["name"] == sme.name
    assert {m["email"] for m in data["members"]} == {"alice@example.org", "bob@example.org"}
    assert [n["title"] for n in data["needs"]] == ["Weld seams"]
    assert [c["title"] for c in data["capabilities"]] == ["Sheet metal know-how"]


@pytest.mark.parametrize(("who", "status"), [("bob", 403), ("carol", 404), ("staff", 404)])
def test_only_admins_download_the_organisations_data(client, request, sme, who, status):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("accounts:organisation_data_export", args=[sme.slug]))

    assert response.status_code == status


@pytest.mark.parametrize(
    "url",
    [
        reverse("accounts:account_data_export"),
        reverse("accounts:account_delete"),
        reverse("accounts:account_security"),
    ],
)
def test_account_pages_need_login(client, url):
    assert client.get(url).url.startswith(reverse("accounts:login"))


# --- deleting a person -------------------------------------------------------------------


def test_deleting_my_account_erases_personal_data_and_keeps_the_figures(client, alice, bob, sme):
    need = NeedFactory(organisation=sme, author=bob, title="Bob's weld need")
    other = NeedFactory()
    SuggestionFeedback.objects.create(
        user=bob, source_need=need, target_need=other, action="dismissed", reason="Bob thinks"
    )
    client.force_login(bob)

    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})

    assert response.url == reverse("home")
    assert SESSION_KEY not in client.session
    bob.refresh_from_db()
    assert bob.email != "bob@example.org"
    assert bob.full_name == ""
    assert not bob.is_active
    assert not bob.has_usable_password()
    assert not EmailAddress.objects.filter(user=bob).exists()
    assert not Membership.objects.filter(user=bob).exists()
    need.refresh_from_db()
    assert need.author is None
    assert need.title == "Bob's weld need"
    feedback = SuggestionFeedback.objects.get()
    assert (feedback.action, feedback.reason) == ("dismissed", "")
    assert not User.objects.filter(email="bob@example.org").exists()


def test_wrong_password_deletes_nothing(client, bob):
    client.force_login(bob)

    response = client.post(reverse("accounts:account_delete"), {"password": "wrong"})

    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert User.objects.filter(email="bob@example.org", is_active=True).exists()


def test_last_admin_of_a_shared_organisation_must_hand_over_first(client, alice, bob):
    client.force_login(alice)

    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})

    assert response.status_code == 200
    assert "last administrator" in response.content.decode()
    assert User.objects.filter(email="alice@example.org", is_active=True).exists()


def test_sole_member_takes_the_organisation_with_them(client, carol):
    institute = carol.memberships.get().organisation
    client.force_login(carol)

    client.post(reverse("accounts:account_delete"), {"password": PASSWORD})

    institute.refresh_from_db()
    assert institute.name.startswith("Deleted organisation")
    assert institute.visibility == "hidden"


# --- deleting an organisation ------------------------------------------------------------


def test_admin_deletes_the_organisation_and_only_anonymous_figures_stay(client, alice, bob, sme):
    sme.description, sme.website, sme.city = "We weld.", "https://muster.example", "Stuttgart"
    sme.save()
    NeedFactory(organisation=sme, author=bob, title="Weld seams", techniques=["computer_vision"])
    CapabilityFactory(organisation=sme, title="Sheet metal")
    client.force_login(alice)

    response = client.post(
        reverse("accounts:organisation_delete", args=[sme.slug]), {"name": sme.name}
    )

    assert response.url == reverse("accounts:dashboard")
    sme.refresh_from_db()
    assert (sme.description, sme.website, sme.city) == ("", "", "")
    assert "Muster" not in sme.name
    assert sme.visibility == "hidden"
    assert (sme.kind, sme.country) == ("sme", "DE")
    assert not Membership.objects.filter(organisation=sme).exists()
    need = Need.objects.get(organisation=sme)
    assert (need.title, need.description, need.author) == ("Deleted posting", "", None)
    assert need.techniques == ["computer_vision"]
    assert Capability.objects.filter(organisation=sme).count() == 1
    assert client.get(reverse("accounts:organisation_detail", args=[sme.slug])).status_code == 404


def test_deleting_an_organisation_needs_its_exact_name(client, alice, sme):
    client.force_login(alice)

    response = client.post(
        reverse("accounts:organisation_delete", args=[sme.slug]), {"name": "muster"}
    )

    assert response.status_code == 200
    assert Organisation.objects.get(pk=sme.pk).name == "Muster Maschinenbau GmbH"


@pytest.mark.parametrize(("who", "status"), [("bob", 403), ("carol", 404)])
def test_only_admins_delete_an_organisation(client, request, sme, who, status):
    client.force_login(request.getfixturevalue(who))

    response = client.post(
        reverse("accounts:organisation_delete", args=[sme.slug]), {"name": sme.name}
    )

    assert response.status_code == status
    assert Organisation.objects.get(pk=sme.pk).name == "Muster Maschinenbau GmbH"


# --- retention ---------------------------------------------------------------------------


def test_closed_postings_are_removed_after_the_retention_period(settings, sme):
    settings.CLOSED_POSTING_RETENTION_DAYS = 30
    old_closed = NeedFactory(organisation=sme, status="closed")
    recent_closed = CapabilityFactory(organisation=sme, status="closed")
    old_open = NeedFactory(organisation=sme)
    long_ago = timezone.now() - timedelta(days=31)
    Need.objects.filter(pk__in=[old_closed.pk, old_open.pk]).update(updated_at=long_ago)

    deleted = purge_task.delay().get()

    assert deleted == 1
    assert not Need.objects.filter(pk=old_closed.pk).exists()
    assert Need.objects.filter(pk=old_open.pk).exists()
    assert Capability.objects.filter(pk=recent_closed.pk).exists()


def test_the_retention_task_runs_daily():
    from config.celery import app

    schedule = app.conf.beat_schedule["closed-postings-purge"]
    assert schedule["task"] == "matchmaking.tasks.postings_purge_closed"
    assert schedule["schedule"] == 24 * 3600.0
    assert postings_purge_closed(older_than=timedelta(days=1)) == 0


# --- audit log ---------------------------------------------------------------------------


def test_audit_log_shows_who_changed_what(client, alice, bob, sme):
    client.force_login(alice)
    client.post(
        reverse("accounts:membership_role", args=[sme.slug, bob.memberships.get().id]),
        {"role": "admin"},
    )
    need = NeedFactory(organisation=sme, title="Weld seams")
    need_update(need=need, actor=alice, title="Weld seams, 2nd try")

    html = client.get(reverse("accounts:organisation_audit", args=[sme.slug])).content.decode()

    assert "alice@example.org" in html or "Alice" in html
    assert "role" in html
    assert "admin" in html
    assert "Weld seams, 2nd try" in html


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("staff", 200), ("bob", 403), ("carol", 404)]
)
def test_audit_log_is_for_admins_and_staff(client, request, sme, alice, who, status):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("accounts:organisation_audit", args=[sme.slug]))

    assert response.status_code == status


def test_another_organisations_changes_stay_out_of_the_log(client, alice, carol, sme):
    institute = carol.memberships.get().organisation
    NeedFactory(organisation=institute, title="Institute secret")
    MembershipFactory(organisation=sme)
    client.force_login(alice)

    html = client.get(reverse("accounts:organisation_audit", args=[sme.slug])).content.decode()

    assert "Institute secret" not in html
