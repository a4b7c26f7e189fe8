from django.apps import AppConfig


class NaxonConfig(AppConfig):
    name = "sandbox.naxon"
    label = "naxon"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The webhook's settings and delivery log live in the shared control file: registering
        # their tables before any request makes every process create them, and reset empty them.
        from sandbox.naxon import deliveries  # noqa: F401
