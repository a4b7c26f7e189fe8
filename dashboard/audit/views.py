"""The audit page (a filtered, paged htmx table) and its CSV export. Read-only by design: there
is no view that edits or deletes an event."""

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET

from accounts.access import AuthedRequest, manager_required
from accounts.platform_session import sensitive_action
from dashboard.audit.export import csv_lines
from dashboard.audit.forms import AuditFilterForm
from dashboard.audit.labels import action_label, field_label
from dashboard.audit.models import AuditEvent, AuditEventQuerySet
from dashboard.lib.fragments import Fragment, render_list
from dashboard.lib.rows import stamp

PAGE_SIZE = 50
EXPORT_CHUNK = 1000


@manager_required
@require_GET
def audit_list(request: AuthedRequest) -> HttpResponse:
    events = workspace_events(request)
    list_url = reverse("audit:list")
    form = AuditFilterForm(request.GET, events=events, list_url=list_url)
    page = Paginator(form.filter(events), PAGE_SIZE).get_page(request.GET.get("page"))
    zone = timezone.get_current_timezone()
    for event in page:
        event.action_label = action_label(event.action)
        event.labelled_changes = [
            (field_label(field), _shortened(before, 60), _shortened(after, 60))
            for field, before, after in event.change_rows()
        ]
        event.when = stamp(event.created_at, zone)
        event.target_kind = capfirst(event.target_type)
        event.short_error = _shortened(event.error, 200)
        event.short_user_agent = _shortened(event.user_agent, 40)
    count = page.paginator.count
    context = {
        "form": form,
        "page": page,
        "list_url": list_url,
        "counted_events": ngettext("%(count)s event", "%(count)s events", count) % {"count": count},
        "from_heading": pgettext("where a request came from", "From"),
    }
    return render_list(
        request,
        "audit/list.html",
        context,
        fragments={"audit-table": Fragment()},
        canonical_url=request.get_full_path(),
    )


def _shortened(text: str, length: int) -> str:
    """At most `length` characters, the last an ellipsis if cut (Django's truncatechars)."""
    return Truncator(text).chars(length)


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
