from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "matchmaking.collaboration"
    label = "collaboration"
    verbose_name = "Collaboration"
    default_auto_field = "django.db.models.BigAutoField"
