"""A console session lasts only as long as its platform token works.

The platform can end a token before its expiry (revoked by an administrator, password changed,
the user removed). The console asks the platform, with a cheap call (the workspace for a
manager, the profile for an agent), whether the session's token still works:

- on any page at least every SESSION_REVALIDATE_SECONDS (default 60): `@signed_in` does it,
  so pages that show only local data (the audit log, job reports) are covered like the others.
  The time of the last check is kept in the session, so a page within the interval pays
  nothing but a dictionary read;
- on every sensitive action, whatever the interval: views decorated `@sensitive_action`
  (downloads and exports of personal data, the audit export, integrations, widget keys).

A token the platform refuses (401), or a role it no longer grants (403), ends the session at
once: signed out server-side, "Your platform session ended", back to sign-in. When the
platform cannot answer, an ordinary page goes on (it shows its own banner if it needs the
platform) and the check counts as done, so an outage does not cost every page a failed call;
a sensitive action is refused with the platform-error banner, since nothing vouches for it.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts import languages, vault, zones
from accounts.responses import platform_error_response, redirect_to_sign_in
from dashboard.platforms.errors import PlatformError, PlatformForbidden, PlatformUnauthorized

logger = logging.getLogger(__name__)

ENDED_MESSAGE = gettext_noop("Your platform session ended. Please sign in again.")
CHECKED_AT = "_platform_checked_at"
SENSITIVE_ATTRIBUTE = "switchboard_sensitive"
# Set on the request once the platform has vouched for it, so a sensitive view behind
# `@signed_in` does not ask twice in one request.
_CHECKED_THIS_REQUEST = "_switchboard_platform_checked"

type View = Callable[..., HttpResponse]


def sensitive_action(view: View) -> View:
    """Ask the platform about the session's token before this view runs, on every request.

    Put it under the access decorator (`@manager_required` / `@signed_in`)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if refusal := check_session(request, force=True):
            return refusal
        return view(request, *args, **kwargs)

    setattr(wrapper, SENSITIVE_ATTRIBUTE, True)
    return wrapper


def is_sensitive(view: Callable[..., Any]) -> bool:
    return bool(getattr(view, SENSITIVE_ATTRIBUTE, False))


def check_session(request: HttpRequest, *, force: bool = False) -> HttpResponse | None:
    """None while the platform's token works (or was checked within the interval); otherwise
    the answer to send: the session ended, or (for a forced check) the platform's error."""
    if getattr(request, _CHECKED_THIS_REQUEST, False):
        return None
    now = timezone.now().timestamp()
    if not force and not _check_due(request, now):
        return None
    try:
        _ask_platform(request)
    except (PlatformUnauthorized, PlatformForbidden) as error:
        logger.info("platform session ended: %r", error)
        return end_session(request)
    except PlatformError as error:
        if force:
            return platform_error_response(request, error)
        logger.warning("platform session could not be checked, page served: %r", error)
    request.session[CHECKED_AT] = now
    setattr(request, _CHECKED_THIS_REQUEST, True)
    return None


def end_session(request: HttpRequest) -> HttpResponse:
    """Sign the user out server-side and send them to sign in again, saying why."""
    if request.user.is_authenticated:
        logout(request)
        messages.warning(request, gettext(ENDED_MESSAGE))
    return redirect_to_sign_in(request)


def _check_due(request: HttpRequest, now: float) -> bool:
    checked_at = request.session.get(CHECKED_AT)
    if not isinstance(checked_at, int | float) or isinstance(checked_at, bool):
        checked_at = vault.signed_in_at(request.session) or 0.0
    elapsed = now - checked_at
    # A clock that went backwards makes the last check untrustworthy: check again.
    return elapsed >= settings.SESSION_REVALIDATE_SECONDS or elapsed < 0


def _ask_platform(request: HttpRequest) -> None:
    client = vault.platform_client(request)
    if getattr(request.user, "is_manager", False):
        workspace = client.tenant.get_workspace()
        vault.remember_workspace_name(request.session, workspace.name)
        # Another manager may have changed it: every page follows within the interval.
        zones.remember_workspace_zone(request.session, request.user.tenant_id, workspace.timezone)
        languages.remember_workspace_language(
            request.session, request.user.tenant_id, workspace.language
        )
    else:
        client.agent.profile()
