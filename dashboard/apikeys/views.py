"""Widget keys: list, create, rotate with an overlap window, revoke, and the rotation's
"revoke now" and "keep the old key".

A plain key exists in exactly one place: the response that shows it (`_show_plain_key`), marked
no-store. It is never put in the session, the messages framework, the database, a log, an audit
event or a URL, which is why creating and rotating answer with that page directly instead of
redirecting to it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.access import AuthedRequest, manager_required
from accounts.platform_session import sensitive_action
from accounts.reauth import (
    confirmation_expires_at,
    reauth_required,
    take_pending_form,
)
from accounts.vault import platform_client
from dashboard import audit
from dashboard.apikeys import revocation, sealing, submissions
from dashboard.apikeys.forms import WINDOWS, CreateKeyForm, RotateKeyForm
from dashboard.apikeys.models import KeyRotation
from dashboard.apikeys.rotation import (
    Schedule,
    open_rotation_of,
    refresh_stored_tokens,
    schedule_revocation,
    successor_name,
)
from dashboard.lib.fragments import wants_fragment
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.connextlive_records import ApiKey, CreatedApiKey
from dashboard.platforms.errors import (
    PlatformCallFailed,
    PlatformError,
    PlatformNotFound,
    PlatformValidationError,
    stored_text,
)

RECENT_ROTATIONS = 10
ALREADY_SENT = _(
    "This form was already sent, and the key it created was shown once. Check the list of keys "
    "before creating another."
)
RACE_LOST = _(
    "Another rotation of this key started at the same moment, so no revocation was scheduled "
    "for the old key by this one."
)


@dataclass(frozen=True)
class KeyRow:
    """One key of the table, with the rotation it is part of (if any)."""

    key: ApiKey
    replaced_by: KeyRotation | None = None  # this key is the old one of an open rotation
    replaces: KeyRotation | None = None  # this key is the successor of an open rotation


# --- list --------------------------------------------------------------------------------------


@manager_required
@sensitive_action
@vary_on_headers("HX-Request")
@require_GET
def key_list(request: AuthedRequest) -> HttpResponse:
    client = platform_client(request)
    now = timezone.now()
    _refresh_stored_tokens(request, now)
    # A platform failure here becomes the layout's banner (accounts' middleware).
    keys = client.tenant.list_api_keys()
    context = _list_context(request, keys, now)
    if wants_fragment(request):
        context["oob"] = True
        return render(request, "apikeys/index.html#keys-table", context)
    return render(request, "apikeys/index.html", context)


def _list_context(request: AuthedRequest, keys: list[ApiKey], now: datetime) -> dict:
    tenant_rotations = KeyRotation.objects.filter(tenant_id=request.user.tenant_id)
    open_rotations = list(tenant_rotations.filter(state__in=KeyRotation.OPEN_STATES))
    by_old = {rotation.old_key_id: rotation for rotation in open_rotations}
    by_successor = {rotation.successor_key_id: rotation for rotation in open_rotations}
    rows = [KeyRow(key, by_old.get(key.id), by_successor.get(key.id)) for key in keys]
    return {
        "rows": rows,
        "now": now,
        # Overdue, failed or retrying: said plainly at the top. (An old key that vanished from
        # the platform is left to the beat task, whose DELETE answers 404 and closes the row;
        # a list that merely lagged must never close it.)
        "attention": [
            rotation
            for rotation in open_rotations
            if rotation.state != KeyRotation.State.SCHEDULED or rotation.is_overdue(now)
        ],
        "waiting_on_token": [
            rotation
            for rotation in open_rotations
            if rotation.state == KeyRotation.State.SCHEDULED
            and not rotation.token_outlives_window()
        ],
        "history": tenant_rotations.exclude(state__in=KeyRotation.OPEN_STATES)[:RECENT_ROTATIONS],
        "has_open_rotations": bool(open_rotations),
        "confirmed_until": confirmation_expires_at(request),
    }


def _refresh_stored_tokens(request: AuthedRequest, now: datetime) -> None:
    refresh_stored_tokens(request.user.tenant_id, request.session, now)


# --- create ------------------------------------------------------------------------------------


@manager_required
@sensitive_action
@reauth_required
@sensitive_variables("created")
@require_http_methods(["GET", "POST"])
def create_key(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = CreateKeyForm(request.POST)
        if form.is_valid() and _first_submission(request, form):
            created = _create_on_platform(request, form)
            if created is not None:
                return _show_plain_key(request, created)
    else:
        form = CreateKeyForm(initial=_pending_initial(request, CreateKeyForm))
    context = {"form": form, "submission": submissions.issue(request.session)}
    return render(request, "apikeys/create.html", context)


def _first_submission(request: AuthedRequest, form: CreateKeyForm) -> bool:
    """Reloading the page that showed a new key re-sends its form: that must not create a
    second key (the answer could not be a redirect, since the key cannot be kept for one)."""
    if submissions.redeem(request.session, request.POST.get("submission", "")):
        return True
    form.add_error(None, ALREADY_SENT)
    return False


def _create_on_platform(request: AuthedRequest, form: CreateKeyForm) -> CreatedApiKey | None:
    name, domains, status = (form.cleaned_data[f] for f in ("name", "domains", "status"))
    client = platform_client(request)
    try:
        with audit.recording(request, "apikey.create", target=_key_target("", name)) as event:
            event.changes = {
                "name": [None, name],
                "domains": [None, domains],
                "status": [None, status],
            }
            created = client.tenant.create_api_key(name, domains, status)
            event.target = _key_target(created.key.id, created.key.name)
    except PlatformCallFailed as error:
        _add_platform_errors(form, error, gettext("Connextlive did not create the key"))
        return None
    return created


# --- rotate ------------------------------------------------------------------------------------


@manager_required
@sensitive_action
@reauth_required
@sensitive_variables("successor")
@require_http_methods(["GET", "POST"])
def rotate_key(request: AuthedRequest, key_id: str) -> HttpResponse:
    client = platform_client(request)
    old_key = _get_key_for_user(client, key_id)
    if old_key is None:
        return _missing_key(request)
    existing = open_rotation_of(request.user.tenant_id, old_key.id)
    if request.method == "POST" and existing is None:
        form = RotateKeyForm(request.POST)
        if form.is_valid():
            now = timezone.now()
            successor = _create_successor(request, client, old_key, form, now)
            if successor is not None:
                return _schedule_and_show(request, client, old_key, successor, form, now)
    else:
        form = RotateKeyForm(initial=_pending_initial(request, RotateKeyForm))
    context = {"key": old_key, "form": form, "existing": existing, "windows": WINDOWS}
    return render(request, "apikeys/rotate.html", context)


def _create_successor(
    request: AuthedRequest,
    client: ConnextliveClient,
    old_key: ApiKey,
    form: RotateKeyForm,
    now: datetime,
) -> CreatedApiKey | None:
    name = successor_name(old_key.name, timezone.localdate(now))
    target = _key_target(old_key.id, old_key.name)
    try:
        with audit.recording(request, "apikey.rotate", target=target) as event:
            event.changes = {"window": [None, form.cleaned_data["window"]]}
            successor = client.tenant.create_api_key(name, old_key.domains, "ACTIVE")
            event.changes["successor"] = [None, f"{successor.key.name} ({successor.key.id})"]
            event.changes["revoke_at"] = [None, (now + form.window_delta()).isoformat()]
    except PlatformCallFailed as error:
        _add_platform_errors(form, error, gettext("Connextlive did not create the new key"))
        return None
    return successor


@sensitive_variables("successor")
def _schedule_and_show(
    request: AuthedRequest,
    client: ConnextliveClient,
    old_key: ApiKey,
    successor: CreatedApiKey,
    form: RotateKeyForm,
    now: datetime,
) -> HttpResponse:
    sealed, expires_at = sealing.sealed_session_token(request.session)
    schedule = Schedule(request.user, sealed, expires_at, now, form.window_delta())
    rotation = schedule_revocation(old_key, successor, schedule)
    attempt = None
    if rotation is None:
        audit.record(
            request,
            "apikey.rotate.schedule",
            target=_key_target(old_key.id, old_key.name),
            outcome="failure",
            error=RACE_LOST,
        )
    elif form.window_delta().total_seconds() == 0:
        attempt = _revoke_rotation_now(request, client, rotation, now)
        rotation.refresh_from_db()
    return _show_plain_key(
        request, successor, rotation=rotation, attempt=attempt, race=not rotation
    )


# --- the one response with a plain key -------------------------------------------------------


@sensitive_variables("created")
def _show_plain_key(
    request: AuthedRequest,
    created: CreatedApiKey,
    *,
    rotation: KeyRotation | None = None,
    attempt: revocation.Attempt | None = None,
    race: bool = False,
) -> HttpResponse:
    context = {
        "key": created.key,
        "plain_key": created.plain_key,
        "widget_src": widget_script_url(),
        "rotation": rotation,
        "attempt": attempt,
        "race_lost": RACE_LOST if race else "",
        "now": timezone.now(),
    }
    response = render(request, "apikeys/created.html", context)
    # Neither the browser nor any proxy may keep this page: the key must not outlive it.
    add_never_cache_headers(response)
    response["Pragma"] = "no-cache"
    return response


def widget_script_url() -> str:
    """Where the embed snippet loads the widget from. GUESS: seeds/003 does not document the
    embed code, so the snippet assumes `<platform>/widget.js` with the key in `data-key`."""
    return f"{settings.PLATFORM_URL}/widget.js"


# --- revoke ------------------------------------------------------------------------------------


@manager_required
@sensitive_action
@reauth_required
@require_http_methods(["GET", "POST"])
def revoke_key(request: AuthedRequest, key_id: str) -> HttpResponse:
    client = platform_client(request)
    key = _get_key_for_user(client, key_id)
    if key is None:
        return _missing_key(request)
    tenant_id = request.user.tenant_id
    error = ""
    if request.method == "POST":
        error = _revoke_on_platform(request, client, key)
        if not error:
            revocation.close_after_manual_revoke(
                key.id, tenant_id, timezone.now(), by_email=request.user.email
            )
            messages.success(
                request, gettext("The key “%(name)s” is revoked.") % {"name": key.name}
            )
            return _back_to_list()
    context = {
        "key": key,
        "error": error,
        "replaced_by": open_rotation_of(tenant_id, key.id),
        "replaces": KeyRotation.objects.filter(
            tenant_id=tenant_id, successor_key_id=key.id, state__in=KeyRotation.OPEN_STATES
        ).first(),
    }
    return render(request, "apikeys/revoke.html", context, status=502 if error else 200)


def _revoke_on_platform(request: AuthedRequest, client: ConnextliveClient, key: ApiKey) -> str:
    """Revoke at once; "" on success (a key already gone counts), else the message to show."""
    try:
        with audit.recording(request, "apikey.revoke", target=_key_target(key.id, key.name)) as ev:
            ev.changes = {"status": [key.status, "REVOKED"], "domains": [list(key.domains), None]}
            try:
                client.tenant.delete_api_key(key.id)
            except PlatformNotFound:
                ev.changes["note"] = [None, revocation.GONE_NOTE]
    except PlatformCallFailed as error:
        return gettext("Connextlive did not revoke the key: %(error)s") % {"error": error}
    return ""


# --- a rotation's "revoke now" and "keep the old key" -----------------------------------------


@manager_required
@sensitive_action
@reauth_required
@require_http_methods(["GET", "POST"])
def revoke_old_key_now(request: AuthedRequest, rotation_id: int) -> HttpResponse:
    rotation = _get_rotation_for_user(request, rotation_id)
    if request.method == "POST" and not rotation.is_open:
        return _nothing_left_to_do(request, rotation)
    if request.method == "POST":
        attempt = _revoke_rotation_now(request, platform_client(request), rotation, timezone.now())
        _say_how_it_went(request, rotation, attempt)
        return _back_to_list()
    return render(
        request, "apikeys/rotation_action.html", {"rotation": rotation, "action": "revoke"}
    )


@manager_required
@sensitive_action
@require_http_methods(["GET", "POST"])
def keep_old_key(request: AuthedRequest, rotation_id: int) -> HttpResponse:
    rotation = _get_rotation_for_user(request, rotation_id)
    if request.method == "POST" and not rotation.is_open:
        return _nothing_left_to_do(request, rotation)
    if request.method == "POST":
        target = _key_target(rotation.old_key_id, rotation.old_key_name)
        with audit.recording(request, "apikey.rotation.keep", target=target) as event:
            event.changes = {"state": [rotation.state, KeyRotation.State.CANCELLED]}
            kept = revocation.cancel(
                rotation.pk, rotation.tenant_id, timezone.now(), by_email=request.user.email
            )
            if not kept:
                event.fail("The revocation was running at that moment")
        if kept:
            messages.success(
                request,
                gettext("The old key “%(name)s” stays active; its revocation is cancelled.")
                % {"name": rotation.old_key_name},
            )
        else:
            messages.error(
                request,
                gettext(
                    "The old key is being revoked at this very moment, so it cannot be kept. "
                    "Check the list below in a few seconds."
                ),
            )
        return _back_to_list()
    return render(request, "apikeys/rotation_action.html", {"rotation": rotation, "action": "keep"})


def _revoke_rotation_now(
    request: AuthedRequest, client: ConnextliveClient, rotation: KeyRotation, now: datetime
) -> revocation.Attempt | None:
    """Claim the rotation and revoke its old key with the manager's own sign-in. None when
    someone else holds the claim (the beat task is revoking it right now)."""
    sealed, expires_at = sealing.sealed_session_token(request.session)
    claimed = revocation.claim_open(
        rotation.pk, rotation.tenant_id, now, sealed_token=sealed, token_expires_at=expires_at
    )
    target = _key_target(rotation.old_key_id, rotation.old_key_name)
    if not claimed:
        audit.record(
            request,
            "apikey.rotation.revoke_now",
            target=target,
            outcome="failure",
            error="The revocation was already running",
        )
        return None
    with audit.recording(request, "apikey.rotation.revoke_now", target=target) as event:
        attempt = revocation.revoke_claimed(
            rotation.pk, now, client=client, by_email=request.user.email
        )
        event.changes = {"state": [rotation.state, attempt.state]}
        if attempt.note:
            event.changes["note"] = [None, attempt.note]
        if not attempt.revoked:
            event.fail(attempt.error)
    return attempt


def _say_how_it_went(
    request: AuthedRequest, rotation: KeyRotation, attempt: revocation.Attempt | None
) -> None:
    name = rotation.old_key_name
    if attempt is None:
        text = gettext("“%(name)s” is being revoked right now. Check back in a moment.")
        messages.info(request, text % {"name": name})
    elif attempt.revoked and attempt.note:
        text = gettext("“%(name)s” is revoked. %(note)s")
        messages.success(request, text % {"name": name, "note": stored_text(attempt.note)})
    elif attempt.revoked:
        messages.success(request, gettext("The old key “%(name)s” is revoked.") % {"name": name})
    elif attempt.state == KeyRotation.State.SCHEDULED:
        messages.error(
            request,
            gettext(
                "Connextlive did not revoke “%(name)s” (%(error)s). It will be retried "
                "automatically within a minute."
            )
            % {"name": name, "error": stored_text(attempt.error)},
        )
    else:
        text = gettext("Connextlive did not revoke “%(name)s”: %(error)s")
        messages.error(request, text % {"name": name, "error": stored_text(attempt.error)})


# --- helpers -----------------------------------------------------------------------------------


def _get_key_for_user(client: ConnextliveClient, key_id: str) -> ApiKey | None:
    """The key if this manager's workspace has it (the platform only lists a tenant's own)."""
    return next((key for key in client.tenant.list_api_keys() if key.id == key_id), None)


def _get_rotation_for_user(request: AuthedRequest, rotation_id: int) -> KeyRotation:
    """404 for another workspace's rotation: it does not exist as far as this manager knows."""
    return get_object_or_404(KeyRotation, pk=rotation_id, tenant_id=request.user.tenant_id)


def _missing_key(request: AuthedRequest) -> HttpResponse:
    return render(request, "apikeys/missing.html", status=404)


def _pending_initial(request: AuthedRequest, form_class: type) -> dict[str, str]:
    """What the user had typed when the re-authentication step interrupted them."""
    pending = take_pending_form(request)
    if pending is None:
        return {}
    return {name: pending.get(name, "") for name in form_class.base_fields if name in pending}


def _add_platform_errors(form: CreateKeyForm | RotateKeyForm, error: PlatformError, lead: str):
    """A platform 400 on a field lands on that field; everything else above the form."""
    if isinstance(error, PlatformValidationError) and error.field_errors:
        for field, field_messages in error.field_errors.items():
            target = field if field in form.fields else None
            for message in field_messages:
                form.add_error(target, message if target else f"{field}: {message}")
        return
    form.add_error(None, f"{lead}: {error}")


def _key_target(key_id: str, name: str) -> audit.Target:
    return audit.Target("apikey", key_id, name)


def _nothing_left_to_do(request: AuthedRequest, rotation: KeyRotation) -> HttpResponse:
    messages.info(
        request,
        gettext("Nothing left to do: the rotation of “%(name)s” is already %(state)s.")
        % {"name": rotation.old_key_name, "state": rotation.get_state_display().lower()},
    )
    return _back_to_list()


def _back_to_list() -> HttpResponse:
    return HttpResponseRedirect(reverse("apikeys:list"), status=303)
