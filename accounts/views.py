"""Sign-in and sign-out. The platform checks the password (accounts.backends); the console keeps
the token in the session's vault and never shows it to the browser."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import languages, throttle, vault, zones
from accounts.access import AuthedRequest, public, signed_in
from accounts.counters import CountersUnavailable
from accounts.forms import SignInForm
from accounts.models import User
from dashboard.lib.fragments import redirect_after_post
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformError

logger = logging.getLogger(__name__)

# English, as the tests see them; said in the viewer's language (gettext) when shown.
INCORRECT = gettext_noop("Email or password is incorrect.")
UNREACHABLE = gettext_noop("Connextlive is unreachable right now. Please try again in a moment.")
THROTTLE_UNAVAILABLE = gettext_noop(
    "Sign-in is unavailable right now. Please try again in a moment."
)


@public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next_url(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    form = SignInForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        email, password = form.cleaned_data["email"], form.cleaned_data["password"]
        user, error, status = _check_credentials(request, email, password)
        if user is not None:
            _start_session(request, user)
            return HttpResponseRedirect(next_url)
        form.add_error(None, error)
    context = {"form": form, "next": next_url}
    return render(request, "accounts/sign_in.html", context, status=status)


@signed_in
@require_POST
def sign_out(request: AuthedRequest) -> HttpResponse:
    # logout() flushes the session row: the token is gone from the server, not just the cookie.
    logout(request)
    messages.success(request, gettext("You have signed out."))
    return redirect_after_post(request, resolve_url(settings.LOGIN_URL))


def _check_credentials(
    request: HttpRequest, email: str, password: str
) -> tuple[User | None, str, int]:
    """(user, "", 200) on success, else (None, message for the form, HTTP status)."""
    try:
        reservation = throttle.reserve_sign_in(request, email)
    except CountersUnavailable as error:
        logger.error("sign-in throttle unavailable, sign-in refused: %r", error)
        return None, gettext(THROTTLE_UNAVAILABLE), 503
    if isinstance(reservation, throttle.Lockout):
        return None, reservation.message, 429
    try:
        user = authenticate(request, email=email, password=password)
    except PlatformError as error:
        reservation.abandoned()
        logger.warning("sign-in could not reach the platform: %r", error)
        return None, gettext(UNREACHABLE), 503
    if user is None:
        lockout = reservation.failed()
        incorrect = gettext(INCORRECT)
        return None, f"{incorrect} {lockout.message}" if lockout else incorrect, 200
    reservation.succeeded()
    return user, "", 200


def _start_session(request: HttpRequest, user: User) -> None:
    platform_login = user.platform_login
    login(request, user)  # rotates the session key: no fixation
    vault.store_sign_in(request.session, platform_login.token, platform_login.expires_at)
    name, zone, language = _workspace_facts(user, platform_login.token)
    vault.remember_workspace_name(request.session, name)
    zones.remember_workspace_zone(request.session, user.tenant_id, zone)
    languages.remember_workspace_language(request.session, user.tenant_id, language)


def _workspace_facts(user: User, token: str) -> tuple[str, str, str]:
    """The workspace's name (for the layout's header), time zone (for every time shown) and
    language. A manager reads them from the workspace; an agent's profile names the workspace,
    and its zone and language are those a manager's session last read (accounts.zones,
    accounts.languages). A failure here must not fail the sign-in."""
    client = ConnextliveClient.from_settings(token)
    try:
        if user.is_manager:
            workspace = client.tenant.get_workspace()
            return workspace.name, workspace.timezone, workspace.language
        tenant = client.agent.profile().tenant
        known_language = languages.known_workspace_language(user.tenant_id)
        return tenant.name, zones.known_workspace_zone(user.tenant_id), known_language
    except PlatformError as error:
        logger.info("workspace name not loaded at sign-in: %r", error)
        known_language = languages.known_workspace_language(user.tenant_id)
        return "", zones.known_workspace_zone(user.tenant_id), known_language


def _safe_next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if candidate and allowed and not candidate.startswith(settings.LOGIN_URL):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)
