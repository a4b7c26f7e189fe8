"""“Confirm it's you”: the password again before the most dangerous actions (as GitHub's sudo
mode and Stripe do).

    @manager_required
    @require_recent_auth()            # or @reauth_required; max_age defaults to 10 minutes
    def revoke_key(request: AuthedRequest, key_id: str) -> HttpResponse: ...

Signing in counts as typing the password (a session is "recent" for 10 minutes after sign-in).
Without a recent confirmation the action is not performed: a page request is redirected to
`/confirm/?next=<the page>`, an htmx request gets an htmx redirect there. The fields of a refused
POST (never a password, token or key) are kept in the session for that one page, so after
confirming, the user is back on the page with what they typed and the action re-offered
(`take_pending_form(request)`). The password is checked by the platform's login for the same
email; success records the time, renews the session id and puts the fresh platform token in the
vault. Failures are throttled per session (accounts.throttle: never by failed sign-ins from
elsewhere) and audited.
"""

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from accounts import throttle, vault
from accounts.access import AuthedRequest, signed_in
from accounts.backends import mirror_platform_user
from accounts.counters import CountersUnavailable
from dashboard import audit
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import (
    PlatformError,
    PlatformUnauthorized,
    PlatformValidationError,
)

logger = logging.getLogger(__name__)

REAUTH_MAX_AGE = 10 * 60
CONFIRMED_AT = "_reauth_confirmed_at"
PENDING_FORM = "_reauth_pending_form"
# Never kept for the return trip, whatever a form calls them.
_SECRET_FIELD = re.compile(r"csrf|pass|secret|token|plain|credential|api_?key", re.IGNORECASE)
_PENDING_MAX_CHARS = 4000

AUDIT_CONFIRMED = "auth.reauth"
# English, as the tests see them; said in the viewer's language (gettext) when shown.
INCORRECT = gettext_noop("That password is not right.")
UNREACHABLE = gettext_noop(
    "Connextlive is unreachable right now, so the password cannot be checked. Try again."
)
CONFIRMED = gettext_noop(
    "Confirmed. Nothing has been done yet: check the form and submit it again."
)

type View = Callable[..., HttpResponse]


# --- checking ------------------------------------------------------------------------------


def recently_authenticated(request: HttpRequest, max_age: int = REAUTH_MAX_AGE) -> bool:
    """Whether the user typed their password within `max_age` seconds (for views and templates)."""
    seconds = seconds_since_confirmation(request)
    return seconds is not None and 0 <= seconds < max_age


def password_entered_at(request: HttpRequest) -> float | None:
    """When the user last typed their password: at sign-in or at a confirmation, the later."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    confirmed_at = session.get(CONFIRMED_AT)
    if not isinstance(confirmed_at, int | float) or isinstance(confirmed_at, bool):
        confirmed_at = None
    times = [t for t in (confirmed_at, vault.signed_in_at(session)) if t is not None]
    return max(times) if times else None


def seconds_since_confirmation(request: HttpRequest) -> float | None:
    entered_at = password_entered_at(request)
    return None if entered_at is None else timezone.now().timestamp() - entered_at


def confirmation_expires_at(request: HttpRequest, max_age: int = REAUTH_MAX_AGE) -> datetime | None:
    """When the current confirmation stops counting (for a “valid for 7 more minutes” hint)."""
    entered_at = password_entered_at(request)
    if entered_at is None or not recently_authenticated(request, max_age):
        return None
    return datetime.fromtimestamp(entered_at + max_age, tz=UTC)


def mark_recently_authenticated(request: HttpRequest) -> None:
    request.session[CONFIRMED_AT] = timezone.now().timestamp()


def require_recent_auth(max_age: int = REAUTH_MAX_AGE) -> Callable[[View], View]:
    """Refuse to run the view unless the password was confirmed within `max_age` seconds.

    Put it under the access decorator (`@manager_required` / `@signed_in`), which has already
    made sure someone is signed in.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if recently_authenticated(request, max_age):
                return view(request, *args, **kwargs)
            return confirmation_required_response(request)

        return wrapper

    return decorator


reauth_required = require_recent_auth()


def confirmation_required_response(request: HttpRequest) -> HttpResponse:
    """Send the user to confirm, coming back to the page they were on, action not done."""
    next_path = return_path(request)
    if request.method not in ("GET", "HEAD"):
        keep_pending_form(request)
    url = f"{reverse('accounts:confirm')}?{urlencode({'next': next_path})}"
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url, status=303)  # 303: the browser follows with a GET


def return_path(request: HttpRequest) -> str:
    """The page to come back to: for htmx the one in the address bar (the request may be for a
    fragment), for a refused POST its own URL as a page, never a replay of the POST. The query
    string stays: on a filtered page it says what the action applies to."""
    htmx = getattr(request, "htmx", None)
    path = (htmx.current_url_abs_path if htmx else None) or request.get_full_path()
    if not _is_safe_local(request, path):
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    return path


# --- the refused form's fields, for the return trip -----------------------------------------


def keep_pending_form(request: HttpRequest) -> None:
    fields = {
        name: request.POST.getlist(name) for name in request.POST if not _SECRET_FIELD.search(name)
    }
    if sum(len(value) for values in fields.values() for value in values) > _PENDING_MAX_CHARS:
        return  # not worth a bloated session row
    request.session[PENDING_FORM] = {"path": request.path, "fields": fields}


def take_pending_form(request: HttpRequest, path: str | None = None) -> QueryDict | None:
    """The fields of the form refused at `path` (default: this request's path), once."""
    pending = request.session.get(PENDING_FORM)
    if not isinstance(pending, dict) or pending.get("path") != (path or request.path):
        return None
    del request.session[PENDING_FORM]
    data = QueryDict(mutable=True)
    for name, values in (pending.get("fields") or {}).items():
        data.setlist(name, [str(value) for value in values])
    return data


# --- the confirm page -------------------------------------------------------------------------


class ConfirmForm(forms.Form):
    password = forms.CharField(
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


@signed_in
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: AuthedRequest) -> HttpResponse:
    next_path = _safe_next(request)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        error, status = check_password(request, form.cleaned_data["password"])
        if not error:
            messages.success(request, gettext(CONFIRMED))
            return HttpResponseRedirect(next_path, status=303)
        form.add_error("password", error)
    context = {"form": form, "next": next_path, "max_minutes": REAUTH_MAX_AGE // 60}
    return render(request, "accounts/reauth.html", context, status=status)


def check_password(request: AuthedRequest, password: str) -> tuple[str, int]:
    """("", 200) when the platform accepts the password, else (message, HTTP status)."""
    email = request.user.email
    try:
        reservation = throttle.reserve_confirmation(request)
    except CountersUnavailable as error:
        logger.error("confirmation throttle unavailable, confirmation refused: %r", error)
        return gettext(UNREACHABLE), 503
    if isinstance(reservation, throttle.Lockout):
        _audit(request, error=reservation.message)
        return reservation.message, 429
    try:
        login = ConnextliveClient(settings.PLATFORM_URL).login(email, password)
    except (PlatformUnauthorized, PlatformValidationError):
        return _refused(request, reservation, "Wrong password")
    except PlatformError as error:
        reservation.abandoned()
        logger.warning("re-authentication could not reach the platform: %r", error)
        return gettext(UNREACHABLE), 503
    if login.user.id != request.user.platform_user_id:
        # The email now belongs to another platform user: this session is not theirs.
        return _refused(request, reservation, "The platform identity behind this email changed")
    reservation.succeeded()
    _confirm_session(request, login)
    _audit(request)
    return "", 200


def _refused(
    request: AuthedRequest, reservation: throttle.Reservation, why: str
) -> tuple[str, int]:
    lockout = reservation.failed()
    _audit(request, error=why)
    incorrect = gettext(INCORRECT)
    return (f"{incorrect} {lockout.message}" if lockout else incorrect), 200


def _confirm_session(request: AuthedRequest, login: Any) -> None:
    mirror_platform_user(login)  # the role may have changed on the platform since sign-in
    # A step up in privilege gets a new session id, like a sign-in (no fixation).
    request.session.cycle_key()
    _replace_platform_token(request, login)
    mark_recently_authenticated(request)


def _replace_platform_token(request: AuthedRequest, login: Any) -> None:
    """The fresh token replaces the session's; the absolute timeout keeps counting from the
    original sign-in, since confirming is not signing in again."""
    if login.expires_at is None:
        return  # nothing says how long it lives: keep the one the session has
    session = request.session
    signed_in_at = vault.signed_in_at(session)
    vault.store_sign_in(session, login.token, login.expires_at)
    if signed_in_at is None:
        return
    session[vault.SIGNED_IN_AT] = signed_in_at
    token_expiry = vault.token_expires_at(session) or signed_in_at
    deadline = min(signed_in_at + settings.SESSION_COOKIE_AGE, token_expiry)
    session.set_expiry(datetime.fromtimestamp(deadline, tz=UTC))


def _audit(request: AuthedRequest, *, error: str = "") -> None:
    audit.record(
        request,
        AUDIT_CONFIRMED,
        target=audit.Target("user", str(request.user.pk), request.user.email),
        outcome="failure" if error else "success",
        error=error,
    )


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and _is_safe_local(request, candidate):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _is_safe_local(request: HttpRequest, path: str) -> bool:
    allowed = url_has_allowed_host_and_scheme(
        path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    confirm_path = reverse("accounts:confirm")
    return allowed and path.startswith("/") and not path.startswith(confirm_path)
