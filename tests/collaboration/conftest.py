"""The collaboration cast: alice's SME (Stuttgart) and carol's institute, each with a
posting, and a helper to send requests as the services do."""

import pytest

from matchmaking.collaboration import services
from tests.factories import CapabilityFactory, NeedFactory


@pytest.fixture
def institute(carol):
    return carol.memberships.get().organisation


@pytest.fixture
def weld_need(sme, alice):
    return NeedFactory(organisation=sme, author=alice, title="Weld seam inspection")


@pytest.fixture
def vision(institute, carol):
    return CapabilityFactory(organisation=institute, author=carol, title="Defect detection")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a request with its after-commit work (e-mails) run, as in production."""

    def send(**kwargs):
        kwargs.setdefault("reason", "We should talk about weld seams.")
        with django_capture_on_commit_callbacks(execute=True):
            return services.contact_request_send(**kwargs)

    return send


@pytest.fixture
def accepted(send, alice, sme, carol, institute, vision, django_capture_on_commit_callbacks):
    request = send(sender=alice, sender_organisation=sme, target=vision)
    with django_capture_on_commit_callbacks(execute=True):
        return services.contact_request_accept(request=request, actor=carol)
