"""Fixtures shared by the suggestion tests (service, pages, API): the real encoders and
the weld-seam world. Not autouse, so other matchmaking tests do not load the models."""

import pytest

from tests.matchmaking.suggestion_world import load_encoders, weld_world


@pytest.fixture(scope="session")
def encoders():
    return load_encoders()


@pytest.fixture
def world(sme, alice):
    return weld_world(sme)
