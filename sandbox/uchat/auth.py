"""`Authorization: Bearer <token>` (doc): a token opens one bot of one workspace, within its
permission scopes (doc). No token, or one the sandbox does not know: 401; a token without the
scope the endpoint needs: 403 (guess: the statuses and messages are Laravel's defaults).

Every call looks its token up, so the lookup is SQL through `connection.cursor()` (the sandbox
is SQLite only; compiling a queryset would cost more than the lookup).
"""

import hashlib
from dataclasses import dataclass

from django.http import HttpRequest

from sandbox.database import first_row
from sandbox.uchat.credentials import MANAGE_FLOW
from sandbox.uchat.http import ApiError

UNAUTHENTICATED = "Unauthenticated."
FORBIDDEN = "This action is unauthorized."


@dataclass(frozen=True)
class Caller:
    bot_id: int
    flow_ns: str
    scopes: frozenset[str]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authorized(request: HttpRequest, scope: str = MANAGE_FLOW) -> Caller:
    """The bot the request's token opens, if the token carries `scope`; else 401 or 403."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, UNAUTHENTICATED)
    row = first_row(_TOKEN, token_hash(token))
    if row is None:
        raise ApiError(401, UNAUTHENTICATED)
    bot_id, flow_ns, scopes = row
    caller = Caller(bot_id, flow_ns, frozenset(scopes.split(",")))
    if scope not in caller.scopes:
        raise ApiError(403, FORBIDDEN)
    return caller


_TOKEN = (
    "SELECT b.id, b.flow_ns, t.scopes FROM uchat_apitoken t"
    " JOIN uchat_bot b ON b.id = t.bot_id WHERE t.token_hash = %s"
)
