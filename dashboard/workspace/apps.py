from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "dashboard.workspace"
    label = "workspace"
