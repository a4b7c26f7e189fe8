from django.apps import AppConfig


class ConnextliveConfig(AppConfig):
    name = "sandbox.connextlive"
    label = "connextlive"
    default_auto_field = "django.db.models.BigAutoField"
