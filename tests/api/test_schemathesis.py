"""Property-based check of the read endpoints against their own OpenAPI description:
schemathesis generates query parameters and path values from the schema and checks that
no request ends in a server error and every response matches the documented status codes,
content types and bodies.

The schema is generated in-process (no database needed at collection); requests go
through Django's WSGI handler inside the test's transaction."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from accounts.models import Visibility
from tests.factories import CapabilityFactory, NeedFactory

schema = schemathesis.openapi.from_dict(
    SchemaGenerator().get_schema(request=None, public=True)
).include(method="GET", path_regex="^/api/v1/")
schema.app = get_wsgi_application()


@pytest.fixture
def postings(db, sme, bob):
    NeedFactory(organisation=sme)
    NeedFactory(organisation=sme, visibility=Visibility.HIDDEN)
    CapabilityFactory()


@pytest.fixture
def keep_connection_open():
    """The WSGI handler closes the database connection after each request, which would
    end the test's transaction; Django's own test client switches this off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=20,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_read_endpoints_conform_to_their_schema(postings, keep_connection_open, case):
    # An empty filter (`?status=`) means "any", as HTML forms send it; schemathesis would
    # count accepting it as a failure to reject invalid input.
    case.call_and_validate(excluded_checks=[negative_data_rejection])
