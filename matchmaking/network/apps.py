from django.apps import AppConfig


class NetworkConfig(AppConfig):
    """The collaboration network: past projects, their partners, and the partner
    suggestions that come from them (a nested app with its own migrations)."""

    name = "matchmaking.network"
    label = "network"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from matchmaking.network.onboarding import project_check, projects_write
        from matchmaking.onboarding.rows import RowExtension, register_row_extension

        register_row_extension("projects", RowExtension(check=project_check, write=projects_write))
