"""Who may open what. Every view of the console carries exactly one of these decorators:

    @public              anyone (sign-in, health checks)
    @signed_in           a signed-in user with a live platform session (managers and agents)
    @manager_required    managers only; agents get a 403 page (or banner, for htmx)

and types its request as `AuthedRequest`:

    @manager_required
    def workspace(request: AuthedRequest) -> HttpResponse:
        client = platform_client(request)           # accounts.vault
        ...

The decorator also records the view's access level (`access_of(view)`): the navigation shows an
area only to users who may open it, and tests/accounts/test_access.py walks every URL of the
resolver, so a new page without a decorator fails the suite.

Signed out, or the session's platform token gone: back to sign-in (an htmx redirect for htmx).
`@signed_in` also has the platform confirm the token every SESSION_REVALIDATE_SECONDS, on every
page (accounts.platform_session); views of sensitive actions add `@sensitive_action` under it to
have it confirmed on every request.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Literal

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from accounts import platform_session, vault
from accounts.models import User
from accounts.responses import forbidden_response, redirect_to_sign_in

type Access = Literal["public", "signed_in", "manager"]
type View = Callable[..., HttpResponse]

ACCESS_ATTRIBUTE = "switchboard_access"


class AuthedRequest(HttpRequest):
    """The request a decorated view receives: django-htmx's details and our user model."""

    htmx: HtmxDetails
    user: User  # type: ignore[assignment]


def public(view: View) -> View:
    return _mark(view, "public")


def signed_in(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_sign_in(request)
        if vault.read_token(request.session) is None:
            logout(request)
            return redirect_to_sign_in(request)
        if ended := platform_session.check_session(request):
            return ended
        return view(request, *args, **kwargs)

    return _mark(wrapper, "signed_in")


def manager_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_manager:
            return forbidden_response(request)
        return view(request, *args, **kwargs)

    # signed_in runs first, so the role check only ever sees a signed-in user.
    return _mark(signed_in(wrapper), "manager")


PUBLIC_ONLY: frozenset[Access] = frozenset({"public"})
SIGNED_IN_LEVELS: frozenset[Access] = frozenset({"public", "signed_in"})
MANAGER_LEVELS: frozenset[Access] = frozenset({"public", "signed_in", "manager"})


def access_of(view: Callable[..., Any]) -> Access | None:
    """The level a view was decorated with; None for a view that has none (a bug)."""
    return getattr(view, ACCESS_ATTRIBUTE, None)


def levels_open_to(user: Any) -> frozenset[Access]:
    """The access levels whose views `user` may open; an undecorated view (None) is shown to
    nobody until it declares its access. Worked out once for a page's navigation, which asks
    about every area."""
    if not user.is_authenticated:
        return PUBLIC_ONLY
    return MANAGER_LEVELS if user.is_manager else SIGNED_IN_LEVELS


def _mark(view: View, access: Access) -> View:
    setattr(view, ACCESS_ATTRIBUTE, access)
    return view
