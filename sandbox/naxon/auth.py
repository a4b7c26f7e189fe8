"""The `apiToken` scheme (doc: seeds/001 names it; platforms.md guesses its form):
`Authorization: Bearer <token>`. A missing, malformed or unknown token is a 401
`{"message": "Unauthorized"}` (guess).

Only the token's SHA-256 is stored; it is looked up with SQL, as every call checks it.
"""

import hashlib

from django.http import HttpRequest

from sandbox.database import first_row
from sandbox.naxon.http import ApiError

UNAUTHORIZED = "Unauthorized"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(request: HttpRequest) -> None:
    """Returns if the request carries a known token; a 401 otherwise."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, UNAUTHORIZED)
    # The lookup is by hash: the stored value never meets the token in a comparison.
    if first_row("SELECT 1 FROM naxon_apitoken WHERE token_hash = %s", token_hash(token)) is None:
        raise ApiError(401, UNAUTHORIZED)
