from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "dashboard.integrations"
    label = "integrations"
