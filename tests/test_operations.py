"""What an operator relies on: /health/, /metrics, the site's own error pages, the
catch-up and purge tasks of the beat schedule."""

import datetime
import json

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts.models import Invitation
from accounts.tasks import expired_purge
from matchmaking.embedding_service import embedding_backlog
from tests.factories import NeedFactory

pytestmark = pytest.mark.django_db


def test_health_reports_the_database_and_the_embedding_backlog(client):
    NeedFactory(title="Weld seams")  # written without an embedding: pending

    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "up"
    assert body["down"] == []
    assert body["embedding_backlog"]["pending"] >= 1
    assert body["embedding_backlog"]["oldest_pending_s"] >= 0


def test_health_is_503_naming_the_broker_when_it_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["down"] == ["broker", "workers"]


def test_health_names_an_old_backlog(client, settings):
    NeedFactory()
    settings.EMBEDDING_BACKLOG_MAX_AGE_S = -1

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["down"] == ["embedding_backlog"]


def test_metrics_give_request_latency_and_backlog_in_prometheus_format(client):
    client.get("/")

    response = client.get("/metrics")

    text = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert 'partnering_request_seconds_count{method="GET",route="",status="2xx"}' in text
    assert "partnering_embedding_backlog " in text
    assert "partnering_task_seconds" in text


def test_metrics_are_refused_outside_the_allowed_networks():
    response = Client(REMOTE_ADDR="203.0.113.9").get("/metrics")

    assert response.status_code == 403


def test_unknown_page_shows_the_sites_own_404(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "URLconf" not in response.content.decode()


def test_an_error_shows_the_sites_own_500_page(rf):
    from config.views import server_error

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_a_lost_database_is_a_503_not_a_500(rf):
    from django.db import OperationalError

    from config.views import server_error

    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(rf.get("/api/v1/needs/"))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "unavailable" in json.loads(response.content)["detail"]


def test_catch_up_embeds_what_was_saved_without_embedding(db):
    from matchmaking.tasks import embeddings_catch_up

    NeedFactory(title="Weld seam inspection")
    before, _oldest = embedding_backlog()

    embeddings_catch_up()

    assert before >= 1
    assert embedding_backlog() == (0, None)
    assert embeddings_catch_up() == 0  # idempotent: nothing left to encode


def test_purge_deletes_expired_sessions_and_invitations_only(alice, sme, settings):
    old = timezone.now() - datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS + 1)
    stale_invitation = Invitation.objects.create(organisation=sme, email="old@example.org")
    Invitation.objects.filter(pk=stale_invitation.pk).update(created_at=old)
    fresh_invitation = Invitation.objects.create(organisation=sme, email="new@example.org")
    expired = SessionStore()
    expired.set_expiry(-10)
    expired.save()
    live = SessionStore()
    live.save()

    first = expired_purge()
    second = expired_purge()

    assert first == {"sessions": 1, "invitations": 1}
    assert second == {"sessions": 0, "invitations": 0}
    assert list(Invitation.objects.values_list("pk", flat=True)) == [fresh_invitation.pk]
    assert Session.objects.filter(session_key=live.session_key).exists()
