"""Session timeouts and platform errors, for every view at once.

SessionTimeoutMiddleware ends a signed-in session when it has been idle longer than
SESSION_IDLE_TIMEOUT, is older than SESSION_COOKIE_AGE (absolute), or its platform token has
expired; the user is signed out server-side and sent to sign in again with a message saying why.

PlatformErrorMiddleware turns a `PlatformError` that a view let through into an answer: a 401
from the platform signs the user out (their token was revoked or expired there), anything else
becomes the platform-error banner with a 4xx/5xx status -- never a 500 page.

TimeZoneMiddleware activates the viewer's time zone for the request (accounts.zones), and
LanguageMiddleware their language (accounts.languages).

PageDeadlineMiddleware gives each request one budget for all its platform calls
(PLATFORM_PAGE_DEADLINE, retries included; dashboard.platforms.base.page_deadline): a slow
platform costs a page its deadline and a banner, never gunicorn's timeout.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext, gettext_noop

from accounts import languages, vault, zones
from accounts.platform_session import ENDED_MESSAGE, end_session
from accounts.responses import platform_error_response, redirect_to_sign_in
from dashboard.platforms.base import page_deadline
from dashboard.platforms.errors import PlatformError, PlatformUnauthorized

# Saving the session on every request costs a write; a few seconds of slack in the idle clock
# does not matter.
TOUCH_INTERVAL_SECONDS = 15
# Requests a page makes on its own (polling) carry this header: they do not count as activity,
# or a tab left open on a live table would never go idle.
BACKGROUND_HEADER = "HTTP_X_SWITCHBOARD_BACKGROUND"

# English, as the tests see them; said in the viewer's language (gettext) when shown.
ABSOLUTE_MESSAGE = gettext_noop("Your session reached its maximum length. Please sign in again.")
TOKEN_MESSAGE = gettext_noop("Your Connextlive sign-in expired. Please sign in again.")
REVOKED_MESSAGE = ENDED_MESSAGE


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            if reason := expiry_reason(request, now):
                logout(request)
                messages.info(request, gettext(reason))
                return redirect_to_sign_in(request)
            if not request.META.get(BACKGROUND_HEADER):
                _touch(request, now)
        response = self.get_response(request)
        if request.user.is_authenticated:
            # Console pages hold workspace data: no shared or back-button caches keep them.
            patch_cache_control(response, private=True, no_store=True)
        return response


def expiry_reason(request: HttpRequest, now: float) -> str | None:
    """Why this session must end now, or None while it is live."""
    session = request.session
    signed_in_at = vault.signed_in_at(session)
    last_seen_at = vault.last_seen_at(session)
    token_expires_at = vault.token_expires_at(session)
    if signed_in_at is None or last_seen_at is None or token_expires_at is None:
        return ABSOLUTE_MESSAGE  # a session from before the vault, or tampered with
    if now - signed_in_at >= settings.SESSION_COOKIE_AGE:
        return ABSOLUTE_MESSAGE
    if now >= token_expires_at:
        return TOKEN_MESSAGE
    if now - last_seen_at >= settings.SESSION_IDLE_TIMEOUT:
        minutes = round(settings.SESSION_IDLE_TIMEOUT / 60)
        return translation.ngettext(
            "You were signed out after %(minutes)d minute without activity.",
            "You were signed out after %(minutes)d minutes without activity.",
            minutes,
        ) % {"minutes": minutes}
    return None


def _touch(request: HttpRequest, now: float) -> None:
    last_seen_at = vault.last_seen_at(request.session) or 0.0
    if now - last_seen_at >= TOUCH_INTERVAL_SECONDS:
        vault.mark_seen(request.session, now)


class PlatformErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PlatformUnauthorized):
            return end_session(request)
        if isinstance(exception, PlatformError):
            return platform_error_response(request, exception)
        return None


class PageDeadlineMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with page_deadline(settings.PLATFORM_PAGE_DEADLINE):
            return self.get_response(request)


class TimeZoneMiddleware:
    """Every time a page shows or reads is in the viewer's zone: their own choice, else the
    workspace's (accounts.zones). Anonymous pages stay in UTC."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        zone = zones.zone_for(user, request.session) if user is not None else None
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()  # a thread serves other requests next


class LanguageMiddleware:
    """Every page in the viewer's language: their own choice, else the workspace's, else English
    (accounts.languages). An anonymous page follows the language a signed-in page last set in
    the language cookie, else Accept-Language, and says it varies by them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        code = languages.language_for(user, request.session, request)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()  # a thread serves other requests next
        if user is None:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        elif request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != code:
            # Signed out later (a timeout, sign out), the sign-in page stays in this language.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                code,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        response.headers.setdefault("Content-Language", code)
        return response
