"""The cast: alice (admin of an SME), bob (member of Alice's SME), carol (an outsider with
her own institute), staff (platform staff, no membership), olga (admin of a cluster that
organises events)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache

from accounts.models import Membership, Organisation
from events.services.events import organiser_grant
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PASSWORD = "correct horse battery staple"
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits (one confirmation mail per address every few minutes, failed
    logins) count in the cache: each test starts from zero."""
    cache.clear()


@pytest.fixture
def sme():
    return OrganisationFactory(name="Muster Maschinenbau GmbH")


@pytest.fixture
def alice(sme):
    return MembershipFactory(
        user=UserFactory(email="alice@example.org"), organisation=sme, role=Membership.Role.ADMIN
    ).user


@pytest.fixture
def bob(sme):
    return MembershipFactory(user=UserFactory(email="bob@example.org"), organisation=sme).user


@pytest.fixture
def carol():
    institute = OrganisationFactory(name="Institut für Bildverarbeitung", kind="research_institute")
    return MembershipFactory(
        user=UserFactory(email="carol@example.org"),
        organisation=institute,
        role=Membership.Role.ADMIN,
    ).user


@pytest.fixture
def staff():
    """Staff must use two-factor authentication; this one has set up an authenticator app
    (its secret is STAFF_TOTP_SECRET)."""
    user = UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    TOTP.activate(user, STAFF_TOTP_SECRET)
    return user


@pytest.fixture
def cluster(staff):
    """An AI cluster that staff made an event organiser."""
    organisation = OrganisationFactory(name="AI Cluster Südwest", kind=Organisation.Kind.CLUSTER)
    organiser_grant(organisation=organisation, actor=staff)
    return organisation


@pytest.fixture
def olga(cluster):
    return MembershipFactory(
        user=UserFactory(email="olga@example.org", full_name="Olga Organiser"),
        organisation=cluster,
        role=Membership.Role.ADMIN,
    ).user


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium: Playwright cannot download its own browser on these machines."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }
