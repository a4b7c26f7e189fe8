from django.apps import AppConfig


class ApikeysConfig(AppConfig):
    name = "dashboard.apikeys"
    label = "apikeys"
