"""What /health/ and /metrics report: database, broker, workers, embedding backlog.

Each probe has a short timeout, so a health check answers within about two seconds even
when everything it asks is down."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from kombu import Connection
from prometheus_client.core import GaugeMetricFamily

from config.celery import app as celery_app

PROBE_TIMEOUT_S = 1.0


def _database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        connection.close()
        return False


def _broker_up() -> bool:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=PROBE_TIMEOUT_S) as broker:
            broker.ensure_connection(max_retries=0, timeout=PROBE_TIMEOUT_S)
        return True
    except Exception:  # noqa: BLE001 (any transport error means: not reachable)
        return False


def _workers_alive() -> int:
    try:
        return len(celery_app.control.ping(timeout=PROBE_TIMEOUT_S) or [])
    except Exception:  # noqa: BLE001
        return 0


def backlog_now() -> tuple[int, float | None]:
    """Embedding backlog: (owners waiting, seconds the oldest has waited)."""
    from matchmaking.embedding_service import embedding_backlog

    count, oldest = embedding_backlog()
    age = (timezone.now() - oldest).total_seconds() if oldest else None
    return count, age


def health_report() -> dict:
    """Every component with its state, and `down`: the names of those that are not up.
    Without a broker, tasks run in the web process: broker and workers are not needed."""
    report: dict = {"down": []}
    database = _database_up()
    report["database"] = "up" if database else "down"
    if settings.CELERY_BROKER_URL:
        broker = _broker_up()
        report["broker"] = "up" if broker else "down"
        workers = _workers_alive() if broker else 0
        report["workers"] = workers
        if not workers:
            report["down"].append("workers")
    else:
        broker = True
        report["broker"] = report["workers"] = "not used (tasks run in the web process)"
    if database:
        count, age = backlog_now()
        report["embedding_backlog"] = {"pending": count, "oldest_pending_s": age}
        if age is not None and age > settings.EMBEDDING_BACKLOG_MAX_AGE_S:
            report["down"].append("embedding_backlog")
    report["down"] = [
        name for name, up in (("database", database), ("broker", broker)) if not up
    ] + report["down"]
    return report


class BacklogCollector:
    """Prometheus gauges of the embedding backlog, read from the database at scrape time
    (a gauge kept in one process would be wrong on every other node)."""

    def collect(self):
        try:
            count, age = backlog_now()
        except DatabaseError:
            connection.close()
            return
        yield GaugeMetricFamily(
            "partnering_embedding_backlog", "Owners whose embedding is stale.", value=count
        )
        yield GaugeMetricFamily(
            "partnering_embedding_backlog_oldest_seconds",
            "Seconds the oldest stale owner has waited for its embedding.",
            value=age or 0.0,
        )
