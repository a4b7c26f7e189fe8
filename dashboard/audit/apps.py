from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dashboard.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        # Connects the sign-in / sign-out receivers.
        from dashboard.audit import signals  # noqa: F401
