from django.apps import AppConfig


class NetworkConfig(AppConfig):
    """The collaboration network: past projects, their partners, and the partner
    suggestions that come from them (a nested app with its own migrations)."""

    name = "matchmaking.network"
    label = "network"
    default_auto_field = "django.db.models.BigAutoField"
