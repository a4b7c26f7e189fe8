"""Sealing the platform token a scheduled revocation will use, with the session vault's cipher.

accounts.vault encrypts session tokens with Fernet keyed from SECRET_KEY (and its fallbacks), so
a rotation row is as useless without SECRET_KEY as a session row. Unlike a session's token, a
sealed rotation token has no Fernet age limit: the platform's own expiry (kept beside it) is
what decides whether it can still be used.
"""

from datetime import UTC, datetime

from cryptography.fernet import InvalidToken
from django.contrib.sessions.backends.base import SessionBase

from accounts import vault

seal = vault.seal
unseal = vault.unseal


def can_unseal(sealed: str) -> bool:
    try:
        unseal(sealed)
    except InvalidToken:
        return False
    return True


def sealed_session_token(session: SessionBase) -> tuple[str, datetime | None]:
    """The signed-in user's token, sealed, with its expiry: what a rotation row stores."""
    token = vault.read_token(session)
    if token is None:
        return "", None
    return seal(token), session_token_expiry(session)


def session_token_expiry(session: SessionBase) -> datetime | None:
    expires_at = vault.token_expires_at(session)
    return datetime.fromtimestamp(expires_at, tz=UTC) if expires_at is not None else None
