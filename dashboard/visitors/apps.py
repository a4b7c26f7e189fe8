from django.apps import AppConfig


class VisitorsConfig(AppConfig):
    name = "dashboard.visitors"
    label = "visitors"

    def ready(self) -> None:
        # Registers this app's bulk job kinds with the engine, in the web process and in every
        # worker alike (Celery sets Django up, which runs ready(), before it takes a task).
        from dashboard.visitors import bulk, exports  # noqa: F401
