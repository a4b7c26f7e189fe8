from django.apps import AppConfig


class ConnectiveOneConfig(AppConfig):
    name = "sandbox.connectiveone"
    label = "connectiveone"
    default_auto_field = "django.db.models.BigAutoField"
