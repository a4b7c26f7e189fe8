"""The two tokens of the Connector API (doc): the AppJWT, which the connector app gets from the
sentinel with its client credentials and which expires after 60 minutes, and the ConsumerJWS,
which identifies one consumer (`ext_consumer_id`) and never expires.

Both are JWTs (HS256) signed with keys of their own (not Connextlive's: a token of one platform
must never open another). The AppJWT is sent as `Authorization: <AppJWT>` (doc; `Bearer <AppJWT>`
is taken too, guess), the ConsumerJWS as `X-LP-ON-BEHALF: <ConsumerJWS>` (doc). Lifetimes run
on the sandbox's clock, so tests move time instead of waiting an hour.

A ConsumerJWS carries the consumer's account and `ext_consumer_id`, so it stays valid across
resets of the sandbox: the consumer is made again from it when it is next used.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from sandbox.database import first_row
from sandbox.liveperson.http import (
    INVALID_APP_JWT,
    INVALID_CONSUMER_JWS,
    MISSING_APP_JWT,
    MISSING_CONSUMER_JWS,
    unauthorized,
)
from sandbox.liveperson.models import Consumer
from sandbox.state import STATE

APP_JWT_LIFETIME = timedelta(minutes=60)  # doc
_ALGORITHM = "HS256"


@dataclass(frozen=True)
class App:
    id: int
    client_id: str


@dataclass(frozen=True)
class ConsumerIdentity:
    id: int  # the row's
    consumer_id: str  # LivePerson's id of the consumer, as participants name it
    ext_consumer_id: str


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _key(purpose: bytes) -> str:
    return hmac.new(settings.SANDBOX_JWT_SECRET.encode(), purpose, hashlib.sha256).hexdigest()


def consumer_id_for(account_id: str, ext_consumer_id: str) -> str:
    """The consumer's LivePerson id: 64 hex digits (obs), the same for the same ext id."""
    return hashlib.sha256(f"{account_id}:{ext_consumer_id}".encode()).hexdigest()


# --- AppJWT ------------------------------------------------------------------------------------


def app_with_credentials(account_id: str, client_id: str, client_secret: str) -> App | None:
    row = first_row(
        "SELECT id, client_id, secret_hash FROM liveperson_app"
        " WHERE account_id = %s AND client_id = %s",
        account_id,
        client_id,
    )
    if row is None or not hmac.compare_digest(row[2], secret_hash(client_secret)):
        return None
    return App(row[0], row[1])


def issue_app_jwt(account_id: str, app: App) -> str:
    now = int(STATE.now().timestamp())
    claims = {
        "sub": app.client_id,
        "acc": account_id,
        "iat": now,
        "exp": now + int(APP_JWT_LIFETIME.total_seconds()),
        "jti": secrets.token_urlsafe(12),
    }
    return jwt.encode(claims, _key(b"liveperson-app-jwt"), algorithm=_ALGORITHM)


def app_of(request: HttpRequest, account_id: str) -> App:
    """The connector app whose live AppJWT the request carries, for this account; else 401."""
    header = request.headers.get("Authorization", "").strip()
    if header[:7].lower() == "bearer ":
        header = header[7:].strip()
    if not header:
        raise unauthorized(MISSING_APP_JWT, "Missing AppJWT in the Authorization header")
    claims = _verified(header, b"liveperson-app-jwt")
    expires_at = claims.get("exp") if claims else None
    if (
        claims is None
        or claims.get("acc") != account_id
        or type(expires_at) is not int
        or expires_at <= STATE.now().timestamp()
    ):
        raise unauthorized(INVALID_APP_JWT, "The AppJWT is invalid or expired")
    row = first_row(
        "SELECT id, client_id FROM liveperson_app WHERE account_id = %s AND client_id = %s",
        account_id,
        claims.get("sub"),
    )
    if row is None:
        raise unauthorized(INVALID_APP_JWT, "The AppJWT is invalid or expired")
    return App(row[0], row[1])


# --- ConsumerJWS -------------------------------------------------------------------------------


def consumer(account_id: str, ext_consumer_id: str) -> ConsumerIdentity:
    """The account's consumer for this ext id, made on first use."""
    consumer_id = consumer_id_for(account_id, ext_consumer_id)
    row = first_row("SELECT id FROM liveperson_consumer WHERE consumer_id = %s", consumer_id)
    if row is None:
        try:
            with transaction.atomic():
                row = (
                    Consumer.objects.create(
                        account_id=account_id,
                        ext_consumer_id=ext_consumer_id,
                        consumer_id=consumer_id,
                        created_at=STATE.now(),
                    ).id,
                )
        except IntegrityError:  # made by a concurrent request
            row = first_row(
                "SELECT id FROM liveperson_consumer WHERE consumer_id = %s", consumer_id
            )
    return ConsumerIdentity(row[0], consumer_id, ext_consumer_id)


def issue_consumer_jws(account_id: str, identity: ConsumerIdentity) -> str:
    claims = {
        "sub": identity.consumer_id,
        "acc": account_id,
        "ext": identity.ext_consumer_id,
        "iat": int(STATE.now().timestamp()),
    }
    return jwt.encode(claims, _key(b"liveperson-consumer-jws"), algorithm=_ALGORITHM)


def consumer_of(request: HttpRequest, account_id: str) -> ConsumerIdentity:
    """The consumer the request acts for (`X-LP-ON-BEHALF`); else 401."""
    token = request.headers.get("X-LP-ON-BEHALF", "").strip()
    if not token:
        raise unauthorized(MISSING_CONSUMER_JWS, "Missing ConsumerJWS in X-LP-ON-BEHALF")
    claims = _verified(token, b"liveperson-consumer-jws")
    ext = claims.get("ext") if claims else None
    if (
        claims is None
        or claims.get("acc") != account_id
        or not isinstance(ext, str)
        or claims.get("sub") != consumer_id_for(account_id, ext)
    ):
        raise unauthorized(INVALID_CONSUMER_JWS, "The ConsumerJWS is invalid")
    return consumer(account_id, ext)


def _verified(token: str, purpose: bytes) -> dict[str, Any] | None:
    try:
        return jwt.decode(
            token,
            _key(purpose),
            algorithms=[_ALGORITHM],
            options={"verify_exp": False, "verify_iat": False},
        )
    except jwt.InvalidTokenError:
        return None
