"""/alerts/: the keyword alerts Naxon AI reported, newest first, live; "mark handled" (managers);
the rejected deliveries; and rotating the webhook URL (from /integrations/). Agents read only."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.access import AuthedRequest, manager_required, signed_in
from accounts.platform_session import sensitive_action
from dashboard.alerts import hooks
from dashboard.alerts.forms import HANDLED, UNHANDLED, AlertFilterForm, RotateHookForm
from dashboard.alerts.models import KeywordAlert, RejectedDelivery
from dashboard.alerts.rows import alert_row
from dashboard.audit import Target, record
from dashboard.lib.fragments import (
    Fragment,
    redirect_after_post,
    render_list,
    render_partials,
    wants_fragment,
)
from dashboard.lib.pager import Pager
from dashboard.lib.rows import Clock

LIST_TEMPLATE = "alerts/list.html"
LIVE_REFRESH_SECONDS = 3
LIST_FRAGMENTS = {
    "alert-table": Fragment(),
    "alert-rows": Fragment(oob=("alert-pager", "alert-count"), push_url=False),
}


def _alerts(tenant_id: str) -> QuerySet[KeywordAlert]:
    return KeywordAlert.objects.filter(tenant_id=tenant_id)


@require_safe
@signed_in
def alert_list(request: AuthedRequest) -> HttpResponse:
    context = _list_context(request, request.GET)
    return render_list(
        request,
        LIST_TEMPLATE,
        context,
        fragments=LIST_FRAGMENTS,
        canonical_url=context["refresh_url"],
    )


def _list_context(request: AuthedRequest, query: QueryDict) -> dict[str, Any]:
    list_url = reverse("alerts:list")
    tenant_alerts = _alerts(request.user.tenant_id)
    form = AlertFilterForm(query, list_url=list_url)
    keywords = tenant_alerts.order_by("keyword").values_list("keyword", flat=True).distinct()
    form.set_choices("keyword", [(k, k) for k in keywords], blank=_("All keywords"))
    models = (
        tenant_alerts.order_by("model_name", "model_id")
        .values_list("model_id", "model_name")
        .distinct()
    )
    form.set_choices(
        "model",
        [(str(mid), name or _("Model %(id)s") % {"id": mid}) for mid, name in models],
        blank=_("All models"),
    )
    filters = form.filters
    alerts = tenant_alerts
    if filters["keyword"]:
        alerts = alerts.filter(keyword=filters["keyword"])
    if filters["model"]:
        model_id = form.model_id()
        alerts = alerts.filter(model_id=model_id) if model_id is not None else alerts.none()
    if filters["state"] == UNHANDLED:
        alerts = alerts.filter(handled_at__isnull=True)
    elif filters["state"] == HANDLED:
        alerts = alerts.filter(handled_at__isnull=False)
    total = alerts.count()
    page, limit = filters["page"], filters["limit"]
    shown = list(alerts.order_by("-received_at", "-pk")[(page - 1) * limit : page * limit])
    clock = Clock()
    naxon_url = reverse("naxon:index")
    rows = [alert_row(alert, naxon_url, list_url, clock) for alert in shown]
    unhandled_total = tenant_alerts.filter(handled_at__isnull=True).count()
    return {
        **form.list_context(list_url),
        "rows": rows,
        "pager": Pager(page, limit, total, len(rows)),
        "error": "",
        "may_handle": request.user.is_manager,
        "counted": _counted(total, unhandled_total),
        "live_refresh_ms": LIVE_REFRESH_SECONDS * 1000,
    }


def _counted(total: int, unhandled: int) -> dict[str, str]:
    """The table's words that hold a count, in the active language's plural form."""
    return {
        "title": ngettext("%(total)s alert", "%(total)s alerts", total) % {"total": total},
        "unhandled": ngettext("%(total)s unhandled", "%(total)s unhandled", unhandled)
        % {"total": unhandled},
    }


@require_POST
@manager_required
def alert_handle(request: AuthedRequest, alert_id: int) -> HttpResponse:
    """Mark an alert handled, once: a second manager's click changes nothing."""
    alert = _alerts(request.user.tenant_id).filter(pk=alert_id).first()
    if alert is None:
        raise Http404("No such alert")
    now = timezone.now()
    marked = (
        _alerts(request.user.tenant_id)
        .filter(pk=alert.pk, handled_at__isnull=True)
        .update(handled_at=now, handled_by=request.user, handled_by_email=request.user.email[:254])
    )
    if marked:
        record(
            request,
            "alert.handle",
            target=Target("alert", str(alert.pk), f"“{alert.keyword}” in {alert.conversation_id}"),
            changes={"handled": [None, now.isoformat()]},
        )
    next_url = request.POST.get("next", "")
    list_url = reverse("alerts:list")
    if not next_url.startswith(list_url) or "//" in next_url or "\\" in next_url:
        next_url = list_url
    if wants_fragment(request):
        # In place: the rows of the view the manager was on, with its counts; no navigation
        # (which would cut a live refresh short).
        context = _list_context(request, QueryDict(urlsplit(next_url).query))
        oob = LIST_FRAGMENTS["alert-rows"].oob
        return render_partials(request, LIST_TEMPLATE, context, "alert-rows", oob)
    if marked:
        messages.success(
            request, _("The “%(keyword)s” alert is marked handled.") % {"keyword": alert.keyword}
        )
    else:
        messages.info(request, _("That alert was already handled."))
    return redirect_after_post(request, next_url)


@require_safe
@manager_required
def rejected_list(request: AuthedRequest) -> HttpResponse:
    rejected = RejectedDelivery.objects.filter(tenant_id=request.user.tenant_id).order_by(
        "-received_at", "-pk"
    )[: RejectedDelivery.KEEP]
    return render(request, "alerts/rejected.html", {"rejected": rejected})


@require_POST
@manager_required
@sensitive_action
def hook_rotate(request: AuthedRequest) -> HttpResponse:
    """A new webhook URL (the first one, or a successor: the old one works for the overlap)."""
    form = RotateHookForm(request.POST)
    overlap_key = form.cleaned_data["overlap"] if form.is_valid() else hooks.DEFAULT_OVERLAP
    label, overlap = hooks.OVERLAPS[overlap_key]
    had_one = bool(hooks.working_hooks(request.user.tenant_id))
    hook = hooks.rotate(request.user.tenant_id, request.user, overlap)
    action = "alert_hook.rotate" if had_one else "alert_hook.create"
    record(
        request,
        action,
        target=Target("alert_hook", str(hook.pk), "Naxon keyword webhook URL"),
        changes={"overlap": [None, label]} if had_one else {},
    )
    if not had_one:
        messages.success(request, _("Webhook URL created: give it to Naxon AI."))
    elif overlap > timedelta(0):
        messages.success(
            request,
            _("New webhook URL made; the old one works for %(overlap)s.") % {"overlap": _(label)},
        )
    else:
        messages.success(request, _("New webhook URL made; the old one stopped working."))
    return redirect_after_post(request, reverse("integrations:edit"))
