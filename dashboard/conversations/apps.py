from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "dashboard.conversations"
    label = "conversations"

    def ready(self) -> None:
        # Registers this app's bulk job kinds with the engine, in the web process and in every
        # worker alike (Celery sets Django up, which runs ready(), before it takes a task).
        from dashboard.conversations import bulk, exports  # noqa: F401
