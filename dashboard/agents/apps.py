from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "dashboard.agents"
    label = "agents"

    def ready(self) -> None:
        # Registers this app's bulk job kinds with the engine, in the web process and in every
        # worker alike (Celery sets Django up, which runs ready(), before it takes a task).
        from dashboard.agents import bulk  # noqa: F401
