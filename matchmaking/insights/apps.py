from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """The regional dashboard and map, and the one thing they log: how many suggestions
    were shown (a nested app with its own migrations)."""

    name = "matchmaking.insights"
    label = "insights"
    verbose_name = "Insights"
    default_auto_field = "django.db.models.BigAutoField"
