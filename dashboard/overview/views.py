from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts import languages, vault, zones
from accounts.access import AuthedRequest, signed_in
from dashboard.alerts.models import KeywordAlert
from dashboard.overview.cards import AlertCounts, Card, agent_overview, manager_overview
from dashboard.reports.trends import week_trends


@signed_in
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """The workspace at a glance: managers see the workspace, agents their own desk."""
    client = vault.platform_client(request)
    if request.user.is_agent:
        overview = agent_overview(client)
        return render(request, "overview/agent.html", {"overview": overview})
    overview = manager_overview(client)
    if overview.workspace_name:
        vault.remember_workspace_name(request.session, overview.workspace_name)
    if overview.workspace.ok and overview.workspace.data:
        zone = overview.workspace.data.timezone
        zones.remember_workspace_zone(request.session, request.user.tenant_id, zone)
        language = overview.workspace.data.language
        languages.remember_workspace_language(request.session, request.user.tenant_id, language)
    trends = week_trends(request)  # from the reports' cache: no platform call
    context = {"overview": overview, "trends": trends, "alerts": alert_card(request.user.tenant_id)}
    return render(request, "overview/manager.html", context)


def alert_card(tenant_id: str) -> Card[AlertCounts]:
    alerts = KeywordAlert.objects.filter(tenant_id=tenant_id)
    since = timezone.now() - timedelta(hours=24)
    counts = AlertCounts(
        last_day=alerts.filter(received_at__gte=since).count(),
        unhandled=alerts.filter(handled_at__isnull=True).count(),
    )
    return Card(_("keyword alerts"), counts)
