"""Typed records of LivePerson's Connector API: the tokens' answers, CONVERSATION's and SEND's
answers (seeds/004), and the webhook notifications (shapes seen on the real service, obs;
sandbox/README.md, "LivePerson wire shapes"), with a strict verifier of the webhooks' signature.

For the console's webhook receiver:

    if not verify_signature(secret, request.body, request.headers.get(SIGNATURE_HEADER)):
        ... answer 401, log without the body ...
    notification = parse_notification(request.body)   # MalformedNotification: answer 400
    match notification:
        case MessagingEventNotification(): for change in notification.changes: ...
        case ConversationChangeNotification(): ...
        case UnknownNotification(): ...             # a type the console does not read

Keys are camelCase, which the shared `Record` base reads (`convId` → `conv_id`); the tokens'
answers are snake_case and read as they are.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec

from dashboard.platforms.records import Record

__all__ = [
    "SIGNATURE_HEADER",
    "AppToken",
    "ConsumerToken",
    "ContentEvent",
    "ConversationChange",
    "ConversationChangeNotification",
    "ConversationDetails",
    "MalformedNotification",
    "MessagingChange",
    "MessagingEventNotification",
    "Notification",
    "UnknownNotification",
    "parse_notification",
    "signature_for",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Liveperson-Signature"
_SIGNATURE_PREFIX = "sha1="


# --- answers -----------------------------------------------------------------------------------


class AppToken(Record, frozen=True, rename=None):
    access_token: str
    token_type: str = "Bearer"

    def __repr__(self) -> str:  # the token stays out of logs and tracebacks
        return f"AppToken(access_token=<hidden>, token_type={self.token_type!r})"


class ConsumerToken(Record, frozen=True, rename=None):
    token: str

    def __repr__(self) -> str:
        return "ConsumerToken(token=<hidden>)"


class Response(Record, frozen=True):
    """One answer of CONVERSATION's batch: `code` 200 and a `body` per request."""

    req_id: str | int | None = None
    code: int | str | None = None
    body: Any = None


class PublishedBody(Record, frozen=True):
    sequence: int | None = None


class SendAnswer(Record, frozen=True):
    """SEND's answer: `{"reqId", "code": "OK", "body": {...}}` (doc)."""

    req_id: str | int | None = None
    code: int | str | None = None
    body: PublishedBody = msgspec.field(default_factory=PublishedBody)


# --- notifications -----------------------------------------------------------------------------


class Participant(Record, frozen=True):
    id: str
    role: str | None = None


class Dialog(Record, frozen=True):
    dialog_id: str
    state: str | None = None
    dialog_type: str | None = None
    closed_by: str | None = None


class ConversationDetails(Record, frozen=True):
    brand_id: str | None = None
    state: str | None = None  # OPEN | CLOSE
    stage: str | None = None
    skill_id: str | None = None
    close_reason: str | None = None
    start_ts: int | None = None  # milliseconds since the epoch
    end_ts: int | None = None
    meta_data_last_update_ts: int | None = None
    participants: list[Participant] = msgspec.field(default_factory=list)
    dialogs: list[Dialog] = msgspec.field(default_factory=list)

    @property
    def consumer_id(self) -> str | None:
        return next((p.id for p in self.participants if p.role == "CONSUMER"), None)

    @property
    def started_at(self) -> datetime | None:
        return _from_millis(self.start_ts)

    @property
    def ended_at(self) -> datetime | None:
        return _from_millis(self.end_ts)


class ConversationResult(Record, frozen=True):
    conv_id: str
    conversation_details: ConversationDetails = msgspec.field(default_factory=ConversationDetails)


class ConversationChange(Record, frozen=True):
    """A conversation as it now is (`type` UPSERT), or gone (DELETE)."""

    result: ConversationResult
    type: str = "UPSERT"

    @property
    def conversation_id(self) -> str:
        return self.result.conv_id

    @property
    def state(self) -> str | None:
        return self.result.conversation_details.state


class OriginatorMetadata(Record, frozen=True):
    id: str | None = None
    role: str | None = None  # CONSUMER, ASSIGNED_AGENT...


class ClientProperties(Record, frozen=True):
    type: str | None = None
    app_id: str | None = None


class ContentEvent(Record, frozen=True):
    """The event of a change: a ContentEvent carries `message`; other types (ChatStateEvent,
    AcceptStatusEvent) are read with what they share."""

    type: str
    message: str | None = None
    content_type: str | None = None
    chat_state: str | None = None


class MessagingChange(Record, frozen=True):
    conversation_id: str
    event: ContentEvent
    dialog_id: str | None = None
    sequence: int | None = None
    originator_id: str | None = None
    originator_metadata: OriginatorMetadata | None = None
    originator_client_properties: ClientProperties | None = None
    server_timestamp: int | None = None

    @property
    def is_text(self) -> bool:
        return self.event.type == "ContentEvent" and self.event.message is not None

    @property
    def role(self) -> str | None:
        return self.originator_metadata.role if self.originator_metadata else None

    @property
    def app_id(self) -> str | None:
        """The connector app that published it, when one did (not a reply from the far side)."""
        properties = self.originator_client_properties
        return properties.app_id if properties else None

    @property
    def sent_at(self) -> datetime | None:
        return _from_millis(self.server_timestamp)


class _ConversationChanges(Record, frozen=True):
    changes: list[ConversationChange] = msgspec.field(default_factory=list)


class _MessagingChanges(Record, frozen=True):
    changes: list[MessagingChange] = msgspec.field(default_factory=list)


class ConversationChangeNotification(
    Record, frozen=True, tag_field="type", tag="cqm.ExConversationChangeNotification"
):
    kind: str = "notification"
    body: _ConversationChanges = msgspec.field(default_factory=_ConversationChanges)

    @property
    def changes(self) -> list[ConversationChange]:
        return self.body.changes


class MessagingEventNotification(
    Record, frozen=True, tag_field="type", tag="ms.MessagingEventNotification"
):
    kind: str = "notification"
    body: _MessagingChanges = msgspec.field(default_factory=_MessagingChanges)

    @property
    def changes(self) -> list[MessagingChange]:
        return self.body.changes


@dataclass(frozen=True, slots=True)
class UnknownNotification:
    """A notification of a type the console does not read (acknowledge it, keep nothing)."""

    type: str


type Notification = (
    ConversationChangeNotification | MessagingEventNotification | UnknownNotification
)


class MalformedNotification(ValueError):
    """The body is not a notification: not JSON, or not of the shape its type has."""


class _Envelope(msgspec.Struct):
    type: str


def parse_notification(body: bytes) -> Notification:
    """A webhook body as its typed notification; MalformedNotification when it is not one."""
    try:
        return msgspec.json.decode(
            body, type=ConversationChangeNotification | MessagingEventNotification, strict=False
        )
    except msgspec.ValidationError as problem:
        envelope = _envelope(body)
        if envelope is not None and envelope.type not in _KNOWN_TYPES:
            return UnknownNotification(envelope.type)
        raise MalformedNotification(str(problem)) from None
    except msgspec.DecodeError:
        raise MalformedNotification("the body is not JSON") from None


_KNOWN_TYPES = frozenset({"cqm.ExConversationChangeNotification", "ms.MessagingEventNotification"})


def _envelope(body: bytes) -> _Envelope | None:
    try:
        return msgspec.json.decode(body, type=_Envelope)
    except msgspec.DecodeError:
        return None


def _from_millis(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value / 1000, UTC)


# --- the signature -----------------------------------------------------------------------------


def signature_for(secret: str, body: bytes) -> str:
    """`sha1=` and the base64 of HMAC-SHA1(secret, body) (doc)."""
    digest = hmac.new(secret.encode(), body, hashlib.sha1).digest()
    return _SIGNATURE_PREFIX + base64.b64encode(digest).decode()


def verify_signature(secret: str, body: bytes, header_value: str | None) -> bool:
    """Whether the header is exactly the signature of these bytes with this secret.

    Strict: no other prefix, spacing or encoding is accepted, and a missing header or an empty
    secret never verifies. The comparison takes the same time wherever the values differ."""
    if not secret or not header_value:
        return False
    expected = signature_for(secret, body).encode()
    return hmac.compare_digest(expected, header_value.encode("utf-8", "replace"))
