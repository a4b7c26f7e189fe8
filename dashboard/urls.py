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
    path("naxon/", include("dashboard.naxon.urls")),
    path("alerts/", include("dashboard.alerts.urls")),
    path("uchat/tags/", include("dashboard.uchat.tag_urls")),
    path("uchat/", include("dashboard.uchat.urls")),
    # Webhook receivers (no sign-in: a signature, or a secret in the path).
    path("hooks/", include("dashboard.hook_urls")),
    path("connectiveone/", include("dashboard.connectiveone.urls")),
    path("contacts/", include("dashboard.contacts.urls")),
]
