"""The three ways to authenticate (doc: seeds/000): `Authorization: API-Key <key>`,
`Authorization: Bearer <JWT>` from login/refresh, and `x-auth-token: <token>`.

JWTs are HS256 with a key of their own; an access token lasts an hour and a refresh token 30
days (guess); both expire by the sandbox's clock, so tests move time instead of waiting.

Every call looks its credential up, so the lookups are SQL through `connection.cursor()`:
compiling the equivalent queryset costs more than SQLite takes to answer (the sandbox is SQLite
only, settings.py; see sandbox/connextlive/queries.py).
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

import jwt
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest

from sandbox.connectiveone.http import ApiError
from sandbox.connectiveone.models import Operator, RevokedToken
from sandbox.database import first_row
from sandbox.state import STATE

ACCESS_LIFETIME = timedelta(hours=1)
REFRESH_LIFETIME = timedelta(days=30)
_ALGORITHM = "HS256"

type Scheme = Literal["api-key", "bearer", "x-auth-token"]


@dataclass(frozen=True)
class Caller:
    scheme: Scheme
    operator: Operator | None = None


def secret_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _signing_key() -> str:
    # Not Connextlive's key: a token of one platform must never open the other.
    return hmac.new(
        settings.SANDBOX_JWT_SECRET.encode(), b"connectiveone", hashlib.sha256
    ).hexdigest()


def issue_tokens(operator: Operator) -> dict[str, Any]:
    """A fresh access token and refresh token for the operator (login and refresh answer this)."""
    now = int(STATE.now().timestamp())
    access_expires = now + int(ACCESS_LIFETIME.total_seconds())
    access = _encode(operator, "access", now, access_expires)
    refresh = _encode(operator, "refresh", now, now + int(REFRESH_LIFETIME.total_seconds()))
    return {"token": access, "refreshToken": refresh, "expiresIn": access_expires - now}


def _encode(operator: Operator, kind: str, issued_at: int, expires_at: int) -> str:
    claims = {
        "sub": str(operator.id),  # RFC 7519: the subject is a string
        "typ": kind,
        "iat": issued_at,
        "exp": expires_at,
        "jti": secrets.token_urlsafe(12),
    }
    return jwt.encode(claims, _signing_key(), algorithm=_ALGORITHM)


def verified_claims(token: str, kind: str) -> dict[str, Any] | None:
    """The claims of a live token of this kind, or None (bad signature, expired, revoked)."""
    try:
        claims = jwt.decode(
            token, _signing_key(), algorithms=[_ALGORITHM], options={"verify_exp": False}
        )
    except jwt.InvalidTokenError:
        return None
    if claims.get("typ") != kind or not isinstance(claims.get("jti"), str):
        return None
    expires_at = claims.get("exp")
    if type(expires_at) is not int or expires_at <= STATE.now().timestamp():
        return None
    if first_row(_REVOKED_TOKEN, claims["jti"]):
        return None
    return claims


def revoke(claims: dict[str, Any]) -> None:
    RevokedToken.objects.get_or_create(jti=claims["jti"])


def operator_of(claims: dict[str, Any]) -> Operator | None:
    subject = claims.get("sub")
    if not (isinstance(subject, str) and subject.isascii() and subject.isdigit()):
        return None
    if int(subject) >= 2**63:  # beyond SQLite's integers: no such operator
        return None
    row = first_row(
        f"SELECT {', '.join(_OPERATOR_FIELDS)} FROM connectiveone_operator WHERE id = %s",
        int(subject),
    )
    # Only the fields the API shows: the others are deferred, as with `.only()`.
    return Operator.from_db(DEFAULT_DB_ALIAS, _OPERATOR_FIELDS, row) if row else None


def authenticated(request: HttpRequest) -> Caller:
    """Whoever the request's credentials name, or a 401."""
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    credential = credential.strip()
    if scheme.lower() == "api-key" and credential:
        if first_row(_API_KEY, secret_hash(credential)):
            return Caller("api-key")
        raise ApiError(401, "Invalid API key")
    if scheme.lower() == "bearer" and credential:
        claims = verified_claims(credential, "access")
        operator = operator_of(claims) if claims else None
        if operator is None:
            raise ApiError(401, "Invalid or expired token")
        return Caller("bearer", operator)
    if external := request.headers.get("x-auth-token", "").strip():
        if first_row(_EXTERNAL_TOKEN, secret_hash(external)):
            return Caller("x-auth-token")
        raise ApiError(401, "Invalid token")
    raise ApiError(401, "Authentication required")


def has_external_token(request: HttpRequest) -> bool:
    """broadcast/route accepts only `x-auth-token` (doc); a bad one is a 422 there (doc)."""
    token = request.headers.get("x-auth-token", "").strip()
    return bool(token) and first_row(_EXTERNAL_TOKEN, secret_hash(token)) is not None


_API_KEY = "SELECT 1 FROM connectiveone_apikey WHERE key_hash = %s"
_REVOKED_TOKEN = "SELECT 1 FROM connectiveone_revokedtoken WHERE jti = %s"
_EXTERNAL_TOKEN = "SELECT 1 FROM connectiveone_externaltoken WHERE token_hash = %s"
_OPERATOR_FIELDS = ["id", "email", "name", "role"]
