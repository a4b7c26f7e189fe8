from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "dashboard.broadcasts"
    label = "broadcasts"

    def ready(self) -> None:
        # Registers the broadcast job kinds (Connextlive and ConnectiveOne; UChat and LivePerson).
        from dashboard.broadcasts import channels, sending  # noqa: F401
