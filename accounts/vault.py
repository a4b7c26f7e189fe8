"""What a session keeps about its platform sign-in: the token (encrypted), its expiry, the times
the session timeouts are measured from, and the workspace name shown in the layout.

The token is the only secret, so it is the only thing encrypted: Fernet (AES-128-CBC with an
HMAC-SHA256), with a key derived by HKDF from SECRET_KEY. A leaked session table or backup is
then useless without SECRET_KEY, and keys in SECRET_KEY_FALLBACKS still decrypt (MultiFernet), so
rotating SECRET_KEY does not sign everybody out. The token never leaves the server.

Views get a client for the signed-in user with `platform_client(request)`.
"""

import base64
import functools
from datetime import UTC, datetime

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils import timezone

from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformUnauthorized

TOKEN = "_platform_token"
TOKEN_EXPIRES_AT = "_platform_token_expires_at"
SIGNED_IN_AT = "_signed_in_at"
LAST_SEEN_AT = "_last_seen_at"
WORKSPACE_NAME = "_workspace_name"
WORKSPACE_ZONE = "_workspace_zone"
WORKSPACE_LANGUAGE = "_workspace_language"

_HKDF_SALT = b"switchboard.accounts.vault"
_HKDF_INFO = b"platform token encryption"


def platform_client(request: HttpRequest) -> ConnextliveClient:
    """A Connextlive client acting as the signed-in user. No token: PlatformUnauthorized, which
    the middleware answers by sending the user to sign in again."""
    token = read_token(request.session)
    if token is None:
        raise PlatformUnauthorized("this session holds no platform sign-in")
    return ConnextliveClient.from_settings(token)


def store_sign_in(session: SessionBase, token: str, expires_at: datetime | None) -> None:
    """Keep the token and start the session's clocks; the session dies at its absolute timeout
    or when the token expires, whichever comes first (a token without a stated expiry lasts
    until the absolute timeout, or until the platform answers 401)."""
    now = timezone.now().timestamp()
    absolute_deadline = now + settings.SESSION_COOKIE_AGE
    token_expiry = _as_aware(expires_at).timestamp() if expires_at else absolute_deadline
    session[TOKEN] = seal(token)
    session[TOKEN_EXPIRES_AT] = token_expiry
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now
    deadline = min(absolute_deadline, token_expiry)
    session.set_expiry(datetime.fromtimestamp(deadline, tz=UTC))


def read_token(session: SessionBase) -> str | None:
    """The token, or None when there is none or it cannot be decrypted (foreign key, tampering,
    or older than the absolute session timeout)."""
    ciphertext = session.get(TOKEN)
    if not isinstance(ciphertext, str):
        return None
    try:
        return unseal(ciphertext, max_age=settings.SESSION_COOKIE_AGE)
    except InvalidToken:
        return None


def token_expires_at(session: SessionBase) -> float | None:
    return _number(session.get(TOKEN_EXPIRES_AT))


def signed_in_at(session: SessionBase) -> float | None:
    return _number(session.get(SIGNED_IN_AT))


def last_seen_at(session: SessionBase) -> float | None:
    return _number(session.get(LAST_SEEN_AT))


def mark_seen(session: SessionBase, at: float) -> None:
    session[LAST_SEEN_AT] = at


def remember_workspace_name(session: SessionBase, name: str) -> None:
    """The layout shows it on every page without a platform call; the workspace page calls this
    after a rename, the overview after each load."""
    if session.get(WORKSPACE_NAME) != name:
        session[WORKSPACE_NAME] = name


def workspace_name(session: SessionBase) -> str:
    name = session.get(WORKSPACE_NAME)
    return name if isinstance(name, str) else ""


def remember_workspace_zone(session: SessionBase, name: str) -> None:
    """The workspace's IANA time zone, read at sign-in and refreshed by the pages that read or
    save the workspace (accounts.zones decides which zone a page is in)."""
    if session.get(WORKSPACE_ZONE) != name:
        session[WORKSPACE_ZONE] = name


def workspace_zone(session: SessionBase) -> str:
    name = session.get(WORKSPACE_ZONE)
    return name if isinstance(name, str) else ""


def remember_workspace_language(session: SessionBase, code: str) -> None:
    """The workspace's language code, read when its zone is (accounts.languages)."""
    if session.get(WORKSPACE_LANGUAGE) != code:
        session[WORKSPACE_LANGUAGE] = code


def workspace_language(session: SessionBase) -> str:
    code = session.get(WORKSPACE_LANGUAGE)
    return code if isinstance(code, str) else ""


def seal(secret: str) -> str:
    """Encrypt a secret to keep at rest (session data, a scheduled task's row, credentials)."""
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str, *, max_age: int | None = None) -> str:
    """The secret; InvalidToken when SECRET_KEY and its fallbacks cannot open it, or when it was
    sealed more than max_age seconds ago."""
    return _fernet().decrypt(sealed.encode(), ttl=max_age).decode()


def _fernet() -> MultiFernet:
    return _fernet_for((settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])))


@functools.cache
def _fernet_for(secrets: tuple[str, ...]) -> MultiFernet:
    # The first key encrypts; every key decrypts.
    return MultiFernet([Fernet(_derive_key(secret)) for secret in secrets])


def _derive_key(secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode()))


def _as_aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
