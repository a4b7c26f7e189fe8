from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dashboard.reports"
    label = "reports"

    def ready(self) -> None:
        # The job kind that computes a report (web process and workers alike), and the sign-in
        # the daily agents snapshot uses (kept at each manager's sign-in).
        from dashboard.reports import computing, snapshots  # noqa: F401
