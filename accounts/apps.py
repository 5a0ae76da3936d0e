from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.audit import audit_register
        from accounts.services import region_sync_from_data

        audit_register()
        post_migrate.connect(
            lambda sender, **kwargs: region_sync_from_data(), sender=self, weak=False
        )
