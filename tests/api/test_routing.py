"""URLs under /api/v1/ that match no endpoint."""

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_api_path_answers_with_a_json_404(api_client):
    response = api_client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_api_path_without_trailing_slash_is_redirected(api_client):
    response = api_client.get("/api/v1/needs")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/needs/"
