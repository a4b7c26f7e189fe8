"""Sign-ins, failed sign-ins and sign-outs become audit events through Django's auth signals.

accounts/ calls `login()`, `authenticate()` and `logout()`; listening here keeps the audit log out
of the sign-in code. Of the credentials of a failed sign-in only the email is kept: Django has
already masked the password, and we do not store even the mask.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from dashboard.audit.log import Target, record

SIGN_IN = "auth.sign_in"
SIGN_IN_FAILED = "auth.sign_in_failed"
SIGN_OUT = "auth.sign_out"


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def record_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(request, SIGN_IN, target=_user_target(user), actor=user)


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def record_sign_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None or not user.is_authenticated:
        return  # signing out while signed out changes nothing
    record(request, SIGN_OUT, target=_user_target(user), actor=user)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def record_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = attempted_email(credentials)
    known_user = _local_user(email)
    record(
        request,
        SIGN_IN_FAILED,
        target=Target("user", str(known_user.pk) if known_user else "", email),
        outcome="failure",
        error="Wrong email or password, or the platform refused the sign-in",
        actor_email=email,
        # A failed attempt on a known account is shown to that account's workspace managers.
        tenant_id=str(getattr(known_user, "tenant_id", "") or ""),
    )


def attempted_email(credentials: dict[str, Any]) -> str:
    """The email (or username) typed in; never any other credential."""
    for key in ("email", "username"):
        value = credentials.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip().lower()[:254]
    return ""


def _local_user(email: str) -> Any:
    if not email:
        return None
    user_model = get_user_model()
    email_field = user_model.get_email_field_name()
    return user_model._default_manager.filter(**{f"{email_field}__iexact": email}).first()


def _user_target(user: Any) -> Target:
    return Target("user", str(user.pk), getattr(user, "email", "") or str(user))
