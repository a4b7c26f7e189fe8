"""The answers the access checks and middleware give, each right for a page and for htmx alike.

An htmx request never gets a 302 or a sign-in page swapped into a fragment: it gets an htmx
redirect (HX-Redirect), or the banner fragment retargeted to the layout's #platform-banner.
"""

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from dashboard.platforms.errors import (
    PlatformError,
    PlatformForbidden,
    PlatformNotFound,
    PlatformRateLimited,
    PlatformUnavailable,
)

logger = logging.getLogger(__name__)

BANNER_TARGET = "#platform-banner"


@dataclass(frozen=True)
class Banner:
    """What the layout's banner slot shows: a heading and a sentence."""

    title: str
    detail: str
    level: str = "danger"


def redirect_to_sign_in(request: HttpRequest) -> HttpResponse:
    """To the sign-in page, coming back here afterwards (for htmx: to the page in the address
    bar, since the request's own URL may be a fragment)."""
    url = sign_in_url(_return_path(request))
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def sign_in_url(next_path: str = "") -> str:
    login_url = resolve_url(settings.LOGIN_URL)
    return f"{login_url}?{urlencode({'next': next_path})}" if next_path else login_url


def forbidden_response(request: HttpRequest) -> HttpResponse:
    banner = Banner(
        gettext("Managers only"),
        gettext(
            "This part of the console is for workspace managers. Your account is an agent account."
        ),
        level="warning",
    )
    return banner_response(request, banner, status=403)


def platform_error_response(request: HttpRequest, error: PlatformError) -> HttpResponse:
    status = status_for_platform_error(error)
    logger.warning("platform error in %s: %r", request.path, error)
    banner = Banner(gettext("Connextlive could not complete this request"), str(error))
    response = banner_response(request, banner, status=status)
    if isinstance(error, PlatformRateLimited) and error.retry_after is not None:
        response["Retry-After"] = str(max(1, round(error.retry_after)))
    return response


def banner_response(request: HttpRequest, banner: Banner, *, status: int) -> HttpResponse:
    """A full page with the banner, or for htmx the banner alone, swapped into its slot."""
    if getattr(request, "htmx", False):
        response = render(
            request, "includes/platform_banner.html", {"banner": banner}, status=status
        )
        return reswap(retarget(response, BANNER_TARGET), "innerHTML")
    return render(request, "accounts/banner_page.html", {"banner": banner}, status=status)


def status_for_platform_error(error: PlatformError) -> int:
    match error:
        case PlatformRateLimited():
            return 429
        case PlatformUnavailable():
            return 503
        case PlatformNotFound():
            return 404
        case PlatformForbidden():
            return 403
        case _:
            return 502


def _return_path(request: HttpRequest) -> str:
    htmx = getattr(request, "htmx", None)
    path = (htmx.current_url_abs_path if htmx else None) or request.get_full_path()
    if request.method != "GET" and not htmx:
        path = request.path  # never replay a POST; come back to the page itself
    if path.startswith(settings.LOGIN_URL) or not url_has_allowed_host_and_scheme(
        path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return path
