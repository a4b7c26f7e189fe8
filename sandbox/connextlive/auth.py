"""JWT sign-in (HS256, valid 7 days) and the role checks of the tenant and agent APIs.

Expiry and revocation are judged against the sandbox's clock (state.STATE.now()), so that tests
can move time forward instead of waiting a week.
"""

import functools
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from django.conf import settings
from django.http import HttpRequest

from sandbox.connextlive.http import ApiError
from sandbox.connextlive.models import Role, User
from sandbox.connextlive.queries import user_with_tenant
from sandbox.state import STATE

TOKEN_LIFETIME = timedelta(days=7)
_ALGORITHM = "HS256"


def issue_token(record: User) -> tuple[str, datetime]:
    issued_at = int(STATE.now().timestamp())
    expires_at = issued_at + int(TOKEN_LIFETIME.total_seconds())
    token_id = secrets.token_urlsafe(12)
    claims = {
        "sub": record.id,
        "role": record.role,
        "tenantId": record.tenant_id,
        "iat": issued_at,
        "exp": expires_at,
        "jti": token_id,
    }
    token = jwt.encode(claims, settings.SANDBOX_JWT_SECRET, algorithm=_ALGORITHM)
    STATE.record_token(record.id, token_id)
    return token, datetime.fromtimestamp(expires_at, UTC)


def authenticated_user(request: HttpRequest) -> User:
    """The user behind the request's bearer token, or a 401."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "Authorization token required")
    claims = _verified_claims(token)
    record = user_with_tenant(claims["sub"])
    if record is None:
        raise _invalid_token()
    return record


def _verified_claims(token: str) -> dict[str, Any]:
    claims = _signed_claims(token)
    if claims is None:
        raise _invalid_token()
    subject, issued_at, expires_at, token_id = (
        claims.get("sub"),
        claims.get("iat"),
        claims.get("exp"),
        claims.get("jti"),
    )
    if not (
        isinstance(subject, str)
        and isinstance(token_id, str)
        and type(issued_at) is int
        and type(expires_at) is int
    ):
        raise _invalid_token()
    if expires_at <= STATE.now().timestamp():
        raise _invalid_token()
    if STATE.is_token_revoked(subject, token_id, issued_at):
        raise _invalid_token()
    return claims


@functools.lru_cache(maxsize=1024)
def _signed_claims(token: str) -> dict[str, Any] | None:
    """The token's claims if its signature holds, else None; callers must not change them.

    Cached: a client sends the same token with every call, and decoding it again costs as much
    as the rest of a small request. Expiry and revocation are judged on every call."""
    try:
        return jwt.decode(
            token,
            settings.SANDBOX_JWT_SECRET,
            algorithms=[_ALGORITHM],
            # Time is checked by the caller against the sandbox's clock, not the machine's.
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except jwt.InvalidTokenError:
        return None


def _invalid_token() -> ApiError:
    return ApiError(401, "Invalid or expired token")


def requires_role(role: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Authenticate, check the role (403 otherwise), and pass the user to the handler."""

    def decorate(handler: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(handler)
        def wrapper(request: HttpRequest, **kwargs: str) -> Any:
            record = authenticated_user(request)
            if record.role != role:
                raise ApiError(403, f"Forbidden: this endpoint requires the {role} role")
            return handler(request, record, **kwargs)

        return wrapper

    return decorate


customer_only = requires_role(Role.CUSTOMER)
agent_only = requires_role(Role.AGENT)
