from django.apps import AppConfig


class VisitorsConfig(AppConfig):
    name = "dashboard.visitors"
    label = "visitors"
