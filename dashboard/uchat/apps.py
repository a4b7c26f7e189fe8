from django.apps import AppConfig


class UChatConfig(AppConfig):
    name = "dashboard.uchat"
    label = "uchat"

    def ready(self) -> None:
        # Registers the bulk tag job kinds with the engine (web process and workers alike).
        from dashboard.uchat import bulk  # noqa: F401
