"""The OpenAPI schema: served, valid, and generated without a single warning."""

import pytest
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_schema_endpoint_serves_openapi(api_client):
    response = api_client.get(reverse("api-schema"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")


def test_docs_page_renders(api_client):
    response = api_client.get(reverse("api-docs"))

    assert response.status_code == 200


def test_schema_is_valid_and_generated_without_warnings():
    GENERATOR_STATS.reset()

    schema = SchemaGenerator().get_schema(request=None, public=True)

    validate_schema(schema)
    assert not GENERATOR_STATS._warn_cache
    assert not GENERATOR_STATS._error_cache


def test_schema_describes_every_v1_endpoint():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert {
        "/api/v1/auth/token/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{slug}/",
        "/api/v1/needs/",
        "/api/v1/needs/{id}/",
        "/api/v1/capabilities/",
        "/api/v1/capabilities/{id}/",
    } <= set(schema["paths"])


def test_list_endpoints_are_described_as_paginated():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    ok = schema["paths"]["/api/v1/needs/"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/PaginatedNeedList")
