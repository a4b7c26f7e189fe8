from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "dashboard.broadcasts"
    label = "broadcasts"
