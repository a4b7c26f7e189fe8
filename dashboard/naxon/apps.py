from django.apps import AppConfig


class NaxonConfig(AppConfig):
    name = "dashboard.naxon"
    label = "naxon"
