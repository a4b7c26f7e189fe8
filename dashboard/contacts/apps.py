from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "dashboard.contacts"
    label = "contacts"

    def ready(self) -> None:
        # Each platform's source registers itself when its module is imported.
        from dashboard.contacts import sources

        sources.load()
