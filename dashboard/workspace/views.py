"""Workspace settings: one form, saved through htmx, that never silently overwrites a change made
on the platform since it was loaded (see snapshot.py)."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts import languages, vault, zones
from accounts.access import AuthedRequest, manager_required
from accounts.responses import status_for_platform_error
from accounts.vault import platform_client
from dashboard.audit import Target, recording
from dashboard.audit.models import display_value
from dashboard.lib.fragments import redirect_after_post, wants_fragment
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import (
    PlatformCallFailed,
    PlatformError,
    PlatformUnavailable,
    PlatformValidationError,
)
from dashboard.workspace.forms import (
    FIELD_OF_KEY,
    WorkspaceForm,
    field_name_of,
    human_label,
    initial_values,
)
from dashboard.workspace.snapshot import (
    Path,
    Snapshot,
    differences,
    dotted,
    nested_patch,
    same_value,
)

ACTION = "workspace.update"
# English, as the tests and the audit log see them; shown in the viewer's language (gettext).
CONFLICT_ERROR = gettext_noop(
    "The workspace changed on Connextlive since the form was loaded; nothing was saved."
)
STALE_FORM = gettext_noop(
    "This form was too old to compare with the workspace, so it was reloaded with the current "
    "settings. Make your changes again."
)
NOTHING_CHANGED = gettext_noop("Nothing was changed, so nothing was sent.")
PAGE = "workspace/edit.html"
FORM_PARTIAL = "workspace/edit.html#workspace-form"


@dataclass(frozen=True)
class Notice:
    """The message shown above the form (a Tabler alert level and a sentence)."""

    level: str
    text: str


@dataclass(frozen=True)
class Conflict:
    """One field someone changed on the platform since the form was loaded."""

    field: str
    current: str
    yours: str | None  # what this manager typed, when they changed the same field


@manager_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def edit_workspace(request: AuthedRequest) -> HttpResponse:
    client = platform_client(request)
    if request.method == "POST":
        return save_workspace(request, client)
    # A failed load has no form to show an error in: the middleware's banner says why.
    workspace = client.tenant.get_workspace()
    zones.remember_workspace_zone(request.session, request.user.tenant_id, workspace.timezone)
    languages.remember_workspace_language(
        request.session, request.user.tenant_id, workspace.language
    )
    return render(request, PAGE, page_context(form_for(request, Snapshot.of(workspace))))


def save_workspace(request: AuthedRequest, client: ConnextliveClient) -> HttpResponse:
    snapshot = Snapshot.unsign(request.POST.get("snapshot", ""), request.user.pk)
    if snapshot is None:
        fresh = form_for(request, Snapshot.of(client.tenant.get_workspace()))
        return form_response(request, fresh, Notice("warning", gettext(STALE_FORM)))
    form = form_for(request, snapshot, data=request.POST)
    if not form.is_valid():
        return form_response(request, form, status=422)
    changes = form.changed_values()
    if not changes:
        return form_response(request, form, Notice("info", gettext(NOTHING_CHANGED)))
    return send_changes(request, client, form, changes)


def send_changes(
    request: AuthedRequest,
    client: ConnextliveClient,
    form: WorkspaceForm,
    changes: dict[Path, tuple[Any, Any]],
) -> HttpResponse:
    """Re-read, refuse if the workspace moved meanwhile, else update: one audit event."""
    snapshot = form.snapshot
    put_sent = False  # once the update has left, a lost answer may hide a success
    try:
        with recording(
            request, ACTION, target=Target("workspace", snapshot.id, snapshot.name)
        ) as ev:
            ev.changes = {
                dotted(path): [before, after] for path, (before, after) in changes.items()
            }
            current = Snapshot.of(client.tenant.get_workspace())
            if moved := changed_elsewhere(snapshot, current, changes):
                ev.fail(CONFLICT_ERROR)
                return conflict_response(request, current, changes, moved)
            put_sent = True
            updated = client.tenant.update_workspace(**update_arguments(changes))
    except PlatformValidationError as error:
        add_platform_errors(form, error)
        return form_response(request, form, status=422)
    except PlatformCallFailed as error:
        form.add_error(None, failure_message(error, put_sent=put_sent))
        return form_response(request, form, status=status_for_platform_error(error))
    vault.remember_workspace_name(request.session, updated.name)
    # From the next page on, every time is shown and read in the zone just saved.
    zones.remember_workspace_zone(request.session, request.user.tenant_id, updated.timezone)
    languages.remember_workspace_language(request.session, request.user.tenant_id, updated.language)
    fields = ", ".join(human_label(path) for path in changes)
    saved = Notice("success", gettext("Saved: %(fields)s.") % {"fields": fields})
    if not wants_fragment(request):
        messages.success(request, saved.text)
        return redirect_after_post(request, reverse("workspace:edit"))
    return form_response(request, form_for(request, Snapshot.of(updated)), saved)


def changed_elsewhere(
    snapshot: Snapshot, current: Snapshot, changes: dict[Path, tuple[Any, Any]]
) -> dict[Path, tuple[Any, Any]]:
    """What moved on the platform since the form was loaded, leaving out fields that already
    hold what this manager typed (e.g. their own earlier save whose answer was lost)."""
    moved = differences(snapshot.leaves(), current.leaves())
    return {
        path: (then, now)
        for path, (then, now) in moved.items()
        if not (path in changes and same_value(now, changes[path][1]))
    }


def conflict_response(
    request: AuthedRequest,
    current: Snapshot,
    changes: dict[Path, tuple[Any, Any]],
    moved: dict[Path, tuple[Any, Any]],
) -> HttpResponse:
    """The form again, on the platform's current values with the manager's own edits kept on top,
    and the list of what moved: saving once more applies the edits knowingly."""
    typed = {path: after for path, (_before, after) in changes.items()}
    current_leaves = current.leaves()
    initial = initial_values(current) | {
        field_name_of(path): value for path, value in typed.items() if path in current_leaves
    }
    conflicts = [
        Conflict(
            field=human_label(path),
            current=display_value(now),
            yours=display_value(typed[path]) if path in typed else None,
        )
        for path, (_then, now) in moved.items()
    ]
    form = form_for(request, current, initial=initial)
    return form_response(
        request, form, Notice("warning", gettext(CONFLICT_ERROR)), conflicts=conflicts
    )


def update_arguments(changes: dict[Path, tuple[Any, Any]]) -> dict[str, Any]:
    """Keyword arguments of `update_workspace`: the changed fields only, settings as a partial
    object for the platform to merge."""
    patch = nested_patch({path: after for path, (_before, after) in changes.items()})
    # The client's parameters are the form's field names (company_name...), and `settings`.
    return {FIELD_OF_KEY.get(key, key): value for key, value in patch.items()}


def add_platform_errors(form: WorkspaceForm, error: PlatformValidationError) -> None:
    """The platform's field messages on the fields they name, anything else above the form."""
    for key, field_messages in error.field_errors.items():
        for message in field_messages:
            form.add_platform_error(key, message)
    for message in error.form_errors:
        form.add_error(None, message)
    if not (error.field_errors or error.form_errors):
        form.add_error(None, failure_message(error))


def failure_message(error: PlatformError, *, put_sent: bool = False) -> str:
    if put_sent and isinstance(error, PlatformUnavailable) and error.status is None:
        # Saving is idempotent, and a value already there is not a conflict: saving again is safe.
        return gettext(
            "%(error)s. The change may or may not have been saved; save again to be sure."
        ) % {"error": error}
    return gettext("Nothing was saved. %(error)s.") % {"error": error}


def form_for(
    request: AuthedRequest, snapshot: Snapshot, *, data: Any = None, **kwargs: Any
) -> WorkspaceForm:
    return WorkspaceForm(
        data, snapshot=snapshot, signed_snapshot=snapshot.sign(request.user.pk), **kwargs
    )


def form_response(
    request: AuthedRequest,
    form: WorkspaceForm,
    notice: Notice | None = None,
    *,
    conflicts: list[Conflict] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = page_context(form, notice=notice, conflicts=conflicts or [])
    return render(
        request, FORM_PARTIAL if wants_fragment(request) else PAGE, context, status=status
    )


def page_context(form: WorkspaceForm, **extra: Any) -> dict[str, Any]:
    return {"form": form, "timezones": zones.iana_timezones(), **extra}
