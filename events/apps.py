from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Events, participants, 1:1 meetings and scheduling: a later issue fills this app."""

    name = "events"
    default_auto_field = "django.db.models.BigAutoField"
