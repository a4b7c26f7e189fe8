from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "dashboard.jobs"
    label = "jobs"

    def ready(self) -> None:
        # The kinds of this app register themselves; the watchdog connects to worker signals.
        from dashboard.jobs import exports, operations, watchdog  # noqa: F401
