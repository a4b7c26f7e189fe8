from django.urls import include, path

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("dashboard.overview.urls")),
    path("workspace/", include("dashboard.workspace.urls")),
    path("agents/", include("dashboard.agents.urls")),
    path("keys/", include("dashboard.apikeys.urls")),
    path("visitors/", include("dashboard.visitors.urls")),
    path("conversations/", include("dashboard.conversations.urls")),
    path("broadcasts/", include("dashboard.broadcasts.urls")),
    path("jobs/", include("dashboard.jobs.urls")),
    path("audit/", include("dashboard.audit.urls")),
    path("integrations/", include("dashboard.integrations.urls")),
    path("reports/", include("dashboard.reports.urls")),
    path("connectiveone/", include("dashboard.connectiveone.urls")),
    path("contacts/", include("dashboard.contacts.urls")),
]
