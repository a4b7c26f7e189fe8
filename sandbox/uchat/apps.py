from django.apps import AppConfig


class UChatConfig(AppConfig):
    name = "sandbox.uchat"
    label = "uchat"
    default_auto_field = "django.db.models.BigAutoField"
