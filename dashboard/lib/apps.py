from django.apps import AppConfig


class LibConfig(AppConfig):
    """An app only so that its template tags (`{% load lists %}`) are found."""

    name = "dashboard.lib"
    label = "lib"
