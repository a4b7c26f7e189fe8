from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "dashboard.broadcasts"
    label = "broadcasts"

    def ready(self) -> None:
        from dashboard.broadcasts import sending  # noqa: F401 - registers the broadcast job kind
