"""The audit page (a filtered, paged htmx table) and its CSV export. Read-only by design: there
is no view that edits or deletes an event."""

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.access import AuthedRequest, manager_required
from accounts.platform_session import sensitive_action
from dashboard.audit.export import csv_lines
from dashboard.audit.forms import AuditFilterForm
from dashboard.audit.models import AuditEvent, AuditEventQuerySet

PAGE_SIZE = 50
EXPORT_CHUNK = 1000


@manager_required
@require_GET
@vary_on_headers("HX-Request")
def audit_list(request: AuthedRequest) -> HttpResponse:
    events = workspace_events(request)
    form = AuditFilterForm(request.GET, events=events)
    page = Paginator(form.filter(events), PAGE_SIZE).get_page(request.GET.get("page"))
    # A boosted navigation wants the whole page; only htmx's own table requests get the fragment.
    fragment = request.htmx and not request.htmx.boosted
    template = "audit/list.html#table" if fragment else "audit/list.html"
    return render(request, template, {"form": form, "page": page})


@manager_required
@sensitive_action
@require_GET
def audit_export(request: AuthedRequest) -> StreamingHttpResponse:
    events = workspace_events(request)
    filtered = AuditFilterForm(request.GET, events=events).filter(events)
    response = StreamingHttpResponse(
        csv_lines(filtered.iterator(chunk_size=EXPORT_CHUNK)), content_type="text/csv"
    )
    filename = f"audit-{timezone.now():%Y%m%d-%H%M%S}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def workspace_events(request: AuthedRequest) -> AuditEventQuerySet:
    return AuditEvent.objects.for_tenant(request.user.tenant_id)
