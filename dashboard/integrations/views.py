"""/integrations/: the sender agent for Connextlive broadcasts, the ConnectiveOne instance, the
Naxon AI account (with the keyword alerts' webhook URL), the UChat bot and the LivePerson
connector app (with the webhook URL and secret to paste into LivePerson). Credentials are
write-only here; each integration has a "test connection" button."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.access import AuthedRequest, manager_required
from accounts.platform_session import sensitive_action
from dashboard.alerts.hooks import alert_hook_context
from dashboard.audit import Target, record
from dashboard.integrations.channels import (
    check_liveperson,
    check_uchat,
    new_hook_id,
    new_webhook_secret,
)
from dashboard.integrations.connections import (
    CheckResult,
    check_connectiveone,
    check_naxon,
    check_sender,
    integration_for,
    remember_check,
)
from dashboard.integrations.forms import (
    ConnectiveOneForm,
    LivePersonForm,
    NaxonForm,
    SenderForm,
    UChatForm,
)
from dashboard.integrations.models import Integration
from dashboard.lib.fragments import redirect_after_post, wants_fragment

PAGE = "integrations/edit.html"
Kind = Integration.Kind
FORMS = {
    Kind.CONNEXTLIVE_SENDER: SenderForm,
    Kind.CONNECTIVEONE: ConnectiveOneForm,
    Kind.NAXON: NaxonForm,
    Kind.UCHAT: UChatForm,
    Kind.LIVEPERSON: LivePersonForm,
}
SECRET_FIELDS = ("password", "api_key", "token", "api_token", "bot_token", "client_secret")
SLUGS = {
    "connextlive": Kind.CONNEXTLIVE_SENDER,
    "connectiveone": Kind.CONNECTIVEONE,
    "naxon": Kind.NAXON,
    "uchat": Kind.UCHAT,
    "liveperson": Kind.LIVEPERSON,
}
# Each kind's form in the page's context, and the card (partial) it is shown in.
FORM_NAMES = {
    Kind.CONNEXTLIVE_SENDER: ("sender_form", "sender-card"),
    Kind.CONNECTIVEONE: ("connectiveone_form", "connectiveone-card"),
    Kind.NAXON: ("naxon_form", "naxon-card"),
    Kind.UCHAT: ("uchat_form", "uchat-card"),
    Kind.LIVEPERSON: ("liveperson_form", "liveperson-card"),
}
CHECKS = {
    Kind.CONNECTIVEONE: check_connectiveone,
    Kind.NAXON: check_naxon,
    Kind.UCHAT: check_uchat,
    Kind.LIVEPERSON: check_liveperson,
}
# What a save keeps of the stored configuration that the form does not show.
KEPT_CONFIG = ("hook_id",)


def _integrations(request: AuthedRequest) -> dict[str, Integration | None]:
    return {kind: integration_for(request.user.tenant_id, kind) for kind in Kind.values}


def _context(request: AuthedRequest, **overrides: Any) -> dict[str, Any]:
    found = _integrations(request)
    sender, connectiveone = found[Kind.CONNEXTLIVE_SENDER], found[Kind.CONNECTIVEONE]
    naxon, uchat, liveperson = found[Kind.NAXON], found[Kind.UCHAT], found[Kind.LIVEPERSON]
    return {
        "sender": sender,
        "connectiveone": connectiveone,
        "naxon": naxon,
        "uchat": uchat,
        "liveperson": liveperson,
        "naxon_form": NaxonForm(initial=naxon.config if naxon else {}, integration=naxon),
        **alert_hook_context(request),
        "uchat_form": UChatForm(initial=uchat.config if uchat else {}, integration=uchat),
        "liveperson_form": LivePersonForm(
            initial=liveperson.config if liveperson else {}, integration=liveperson
        ),
        **_webhook(request, liveperson),
        "sender_form": SenderForm(initial=sender.config if sender else {}, integration=sender),
        "connectiveone_form": ConnectiveOneForm(
            initial=connectiveone.config if connectiveone else {"auth_mode": "api_key"},
            integration=connectiveone,
        ),
        **overrides,
    }


@require_GET
@manager_required
@sensitive_action
@vary_on_headers("HX-Request")
def integrations(request: AuthedRequest) -> HttpResponse:
    return render(request, PAGE, _context(request))


@require_POST
@manager_required
@sensitive_action
def save(request: AuthedRequest, slug: str) -> HttpResponse:
    kind = SLUGS.get(slug)
    if kind is None:
        raise Http404
    existing = integration_for(request.user.tenant_id, kind)
    form = FORMS[kind](request.POST, integration=existing)
    form_name, partial = FORM_NAMES[kind]
    if not form.is_valid():
        context = _context(request, **{form_name: form})
        template = f"{PAGE}#{partial}" if wants_fragment(request) else PAGE
        return render(request, template, context, status=422)
    integration = existing or Integration(tenant_id=request.user.tenant_id, kind=kind)
    before = dict(integration.config)
    config = {k: v for k, v in form.cleaned_data.items() if k not in SECRET_FIELDS}
    secrets = {k: form.cleaned_data.get(k, "") for k in SECRET_FIELDS if k in form.cleaned_data}
    integration.config = {k: v for k, v in config.items() if v not in (None, "")}
    integration.config |= {k: before[k] for k in KEPT_CONFIG if k in before}
    if kind == Kind.LIVEPERSON:
        # Where LivePerson is to send its webhooks, and the secret it signs them with.
        integration.config.setdefault("hook_id", new_hook_id())
        if not integration.has_secret("webhook_secret"):
            secrets["webhook_secret"] = new_webhook_secret()
    integration.store_secrets(secrets)
    integration.updated_at, integration.updated_by = timezone.now(), request.user
    integration.last_checked_at, integration.last_check_ok = None, None
    integration.save()
    changes: dict[str, Any] = {
        name: [before.get(name), integration.config.get(name)]
        for name in set(before) | set(integration.config)
        if before.get(name) != integration.config.get(name)
    }
    changes |= {name: ["", "changed"] for name, value in secrets.items() if value}
    changes.pop("hook_id", None)
    record(
        request,
        "integration.update",
        target=Target("integration", integration.kind, _logged_label(kind)),
        changes=changes,
    )
    # Saved either way (the platform may be down for a minute), but a refusal is said at once,
    # not discovered at the first broadcast.
    result = _check(request, kind, integration)
    said = {"label": Kind(kind).label, "result": result.message}
    if result.ok:
        messages.success(request, gettext("%(label)s saved. %(result)s") % said)
    else:
        failed = gettext("%(label)s saved, but the connection check failed: %(result)s") % said
        messages.warning(request, failed)
    return _back_to_page(request)


@require_POST
@manager_required
@sensitive_action
def test_connection(request: AuthedRequest, slug: str) -> HttpResponse:
    kind = SLUGS.get(slug)
    if kind is None:
        raise Http404
    integration = integration_for(request.user.tenant_id, kind)
    result = _check(request, kind, integration)
    record(
        request,
        "integration.test",
        target=Target("integration", kind, _logged_label(kind)),
        outcome="success" if result.ok else "failure",
        error="" if result.ok else result.logged,
    )
    context = {"result_ok": result.ok, "result_message": result.message}
    if wants_fragment(request):
        return render(request, "integrations/check_result.html", context)
    level = messages.SUCCESS if result.ok else messages.ERROR
    messages.add_message(request, level, result.message)
    return redirect_after_post(request, reverse("integrations:edit"))


def _check(request: AuthedRequest, kind: str, integration: Integration | None) -> CheckResult:
    """Try the stored credentials on the platform; the outcome is kept for the page to show."""
    if kind == Kind.CONNEXTLIVE_SENDER:
        result = check_sender(integration, request.user.tenant_id)
    else:
        result = CHECKS[kind](integration)
    if integration is not None:
        remember_check(integration, result)
    return result


def _logged_label(kind: str) -> str:
    """The integration's name as the audit log keeps it: in English, whoever acted."""
    with translation.override("en"):
        return str(Kind(kind).label)


# What stops when an integration is removed, said on the confirmation page.
REMOVAL_CONSEQUENCES = {
    Kind.CONNEXTLIVE_SENDER: gettext_lazy(
        "Connextlive broadcasts can no longer be sent until a sender agent is set up again."
    ),
    Kind.CONNECTIVEONE: gettext_lazy(
        "ConnectiveOne broadcasts, chats and tickets stop working here."
    ),
    Kind.NAXON: gettext_lazy(
        "Naxon AI's models and conversations disappear from the console; keyword alerts "
        "already received stay."
    ),
    Kind.UCHAT: gettext_lazy("UChat's subscriber pages and UChat broadcasts stop working here."),
    Kind.LIVEPERSON: gettext_lazy(
        "LivePerson broadcasts stop, and replies sent to the webhook are no longer accepted."
    ),
}


@require_http_methods(["GET", "HEAD", "POST"])
@manager_required
@sensitive_action
def remove(request: AuthedRequest, slug: str) -> HttpResponse:
    """GET asks first (a destructive click never acts at once); POST removes the integration and
    its stored credentials."""
    kind = SLUGS.get(slug)
    if kind is None:
        raise Http404
    if request.method != "POST":
        context = {
            "slug": slug,
            "label": Kind(kind).label,
            "consequence": REMOVAL_CONSEQUENCES[kind],
            "integration": integration_for(request.user.tenant_id, kind),
        }
        return render(request, "integrations/remove.html", context)
    deleted, _ = Integration.objects.filter(tenant_id=request.user.tenant_id, kind=kind).delete()
    if deleted:
        record(
            request,
            "integration.remove",
            target=Target("integration", kind, _logged_label(kind)),
        )
        messages.success(request, gettext("%(label)s removed.") % {"label": Kind(kind).label})
    return _back_to_page(request)


def _back_to_page(request: AuthedRequest) -> HttpResponse:
    return redirect_after_post(request, reverse("integrations:edit"))


def _webhook(request: AuthedRequest, liveperson: Integration | None) -> dict[str, Any]:
    """The URL LivePerson is to call and the secret it signs with: shown to managers on this page
    only, to paste into LivePerson's webhook settings."""
    if liveperson is None or not liveperson.setting("hook_id"):
        return {"webhook_url": "", "webhook_secret": ""}
    path = reverse("hooks:liveperson", args=[liveperson.setting("hook_id")])
    return {
        "webhook_url": request.build_absolute_uri(path),
        "webhook_secret": liveperson.secrets().get("webhook_secret", ""),
    }
