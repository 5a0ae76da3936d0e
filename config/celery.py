import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("partnering")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work (run `celery -A config beat` beside the worker; `make serve` does). Every
# entry is idempotent, so a missed or doubled beat does no harm. Catch-up finds what a
# down broker or a killed worker left stale, with no manual step.
app.conf.beat_schedule = {
    "event-meeting-reminders": {
        "task": "events.tasks.meeting_reminders_send",
        "schedule": 300.0,
    },
    "embeddings-catch-up": {
        "task": "matchmaking.tasks.embeddings_catch_up",
        "schedule": float(os.environ.get("CATCH_UP_INTERVAL_S", "60")),
        "options": {"expires": 55.0},
    },
    "matches-catch-up": {
        "task": "matchmaking.tasks.matches_catch_up",
        "schedule": float(os.environ.get("CATCH_UP_INTERVAL_S", "60")),
        "options": {"expires": 55.0},
    },
    "expired-purge": {
        "task": "accounts.tasks.expired_purge",
        "schedule": 3600.0,
    },
    # GDPR retention of closed postings (CLOSED_POSTING_RETENTION_DAYS).
    "closed-postings-purge": {
        "task": "matchmaking.tasks.postings_purge_closed",
        "schedule": 24 * 3600.0,
    },
}

# Metrics and one log line per task (celery signals), in every worker process.
import config.observability  # noqa: E402, F401
