import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("partnering")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work (run `celery -A config beat` beside the worker): meeting reminders.
app.conf.beat_schedule = {
    "event-meeting-reminders": {
        "task": "events.tasks.meeting_reminders_send",
        "schedule": 300.0,
    },
}
