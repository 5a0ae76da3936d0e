"""With a broker configured but unreachable, saving a posting answers at once and says
that matching is delayed; nothing is embedded in the request, and the posting waits in
the backlog that the beat schedule's catch-up works off."""

import socket
import time

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from config.celery import app as celery_app
from matchmaking.embedding_service import embedding_backlog
from matchmaking.models import Embedding, Need
from tests.integration.test_celery_broker import _forget_connections

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def _closed_port() -> int:
    """A port nothing listens on: bound once, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dead_broker():
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    conf = {"broker_url": url, "result_backend": url, "task_always_eager": False}
    saved = {key: celery_app.conf[key] for key in conf}
    celery_app.conf.update(conf)
    _forget_connections(celery_app)
    yield
    celery_app.conf.update(saved)
    _forget_connections(celery_app)


def test_saving_a_posting_with_the_broker_down_is_quick_and_says_matching_is_delayed(
    dead_broker, bob, sme
):
    client = APIClient()
    client.force_authenticate(user=bob)
    body = {"organisation": sme.slug, "title": "Weld seams", "description": "Cracks.", "trl": 5}
    # The first save of a process loads the language identifier: not what is measured.
    client.post(reverse("api:need-list"), {**body, "title": "Warm-up"}, format="json")

    started = time.monotonic()
    response = client.post(reverse("api:need-list"), body, format="json")
    seconds = time.monotonic() - started

    assert response.status_code == 201
    assert response["Matching-Delayed"] == "true"
    assert seconds < 5
    need = Need.objects.get(id=response.json()["id"])
    assert not Embedding.objects.filter(need=need).exists()
    assert embedding_backlog()[0] >= 1


def test_a_page_save_with_the_broker_down_tells_the_user(dead_broker, client, bob, sme):
    client.force_login(bob)
    form = {
        "organisation": sme.pk,
        "title": "Weld seams",
        "description": "Cracks.",
        "trl": 5,
        "region_scope": "eu",
        "visibility": "public",
    }

    response = client.post(reverse("matchmaking:need_create"), form, follow=True)

    assert response.status_code == 200
    assert "Suggestions for it are delayed" in response.content.decode()
    assert Need.objects.count() == 1
