"""Sign-in against the platform, like an LDAP backend: the platform checks the password, and the
local `accounts.User` mirrors the identity it answers with (refreshed at every sign-in).

`authenticate()` returns None for wrong credentials (Django then signals a failed sign-in) and
lets `PlatformError` for anything else (unreachable, rate limited) propagate to the sign-in view:
an outage is not a wrong password and must not count against the account's throttle.
"""

import functools
from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.db import connection, transaction
from django.http import HttpRequest

from accounts.models import Role, User
from dashboard.platforms.connextlive import ConnextliveClient, Login
from dashboard.platforms.errors import PlatformUnauthorized, PlatformValidationError

PLATFORM_ROLES = {role.value for role in Role}


class PlatformBackend(BaseBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        email: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not email or not password:
            return None
        try:
            login = ConnextliveClient.from_settings().login(email, password)
        except (PlatformUnauthorized, PlatformValidationError):
            # 401 wrong pair; 400 e.g. a password under the platform's minimum length.
            return None
        if login.user.role not in PLATFORM_ROLES:
            return None
        user = mirror_platform_user(login)
        if not user.is_active:  # switched off locally: the platform's yes is not enough
            return None
        # Transient: the sign-in view moves the token into the session right after login().
        user.platform_login = login
        return user

    def get_user(self, user_id: Any) -> User | None:
        # On every request: read as SQL, since building and compiling the queryset of
        # `User.objects.get(pk=user_id, is_active=True)` costs about three times the query
        # itself (bench/README.md). The same row, the same model instance.
        for user in User.objects.raw(_active_user_sql(), [user_id]):
            return user
        return None


@functools.cache
def _active_user_sql() -> str:
    """The active user by primary key; the names come from the model, the id is a parameter."""
    quote = connection.ops.quote_name
    meta = User._meta
    return (
        f"SELECT * FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.pk.column)} = %s AND {quote(meta.get_field('is_active').column)}"
    )


@transaction.atomic
def mirror_platform_user(login: Login) -> User:
    """Create or refresh the local record of the platform user who just signed in."""
    platform_user = login.user
    user, created = User.objects.select_for_update().get_or_create(
        platform_user_id=platform_user.id,
        defaults={
            "email": platform_user.email.lower(),
            "name": platform_user.name or "",
            "role": platform_user.role,
            "tenant_id": platform_user.tenant_id or "",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return user
    user.email = platform_user.email.lower()
    user.name = platform_user.name or ""
    user.role = platform_user.role
    user.tenant_id = platform_user.tenant_id or ""
    user.save(update_fields=["email", "name", "role", "tenant_id"])
    return user
