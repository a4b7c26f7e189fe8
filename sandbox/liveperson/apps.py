from django.apps import AppConfig


class LivePersonConfig(AppConfig):
    name = "sandbox.liveperson"
    label = "liveperson"
    default_auto_field = "django.db.models.BigAutoField"
