from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "dashboard.jobs"
    label = "jobs"

    def ready(self) -> None:
        # The watchdog connects to the worker's signals. The engine has no kinds of its own:
        # each area app registers its kinds from its own ready().
        from dashboard.jobs import watchdog  # noqa: F401
