from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "dashboard.jobs"
    label = "jobs"

    def ready(self) -> None:
        # The watchdog and the heartbeat connect to the worker's signals. The engine has no
        # kinds of its own: each area app registers its kinds from its own ready().
        from dashboard.jobs import liveness, watchdog  # noqa: F401
