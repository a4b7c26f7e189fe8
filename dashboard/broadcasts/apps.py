from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "dashboard.broadcasts"
    label = "broadcasts"

    def ready(self) -> None:
        # Registers the broadcast job kinds (Connextlive and ConnectiveOne; UChat and LivePerson;
        # several channels at once).
        from dashboard.broadcasts import channels, once, sending  # noqa: F401
