"""API test helpers: a client per member of the cast, and the throttle cache emptied so
token tests do not depend on the order they run in."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

ACTORS = ["anonymous", "carol", "bob", "alice", "staff"]


@pytest.fixture(autouse=True)
def _empty_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_as(request, sme):
    """client_as("bob") -> an APIClient signed in as bob; "anonymous" signs in nobody. The
    SME is created first so every actor refers to the same organisation."""

    def make(actor: str) -> APIClient:
        client = APIClient()
        if actor != "anonymous":
            client.force_authenticate(user=request.getfixturevalue(actor))
        return client

    return make
