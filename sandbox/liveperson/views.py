"""LivePerson's Connector API (seeds/004, platforms.md): the AppJWT from the sentinel, a
ConsumerJWS per `ext_consumer_id`, CONVERSATION (a batch: set the consumer's profile, then ask
for a conversation) and SEND (one payload: publish a message, close the conversation, rate it, or
set the profile).

Every request names itself with `kind: "req"`, an `id` and a `type` (doc); answers echo the id
as `reqId`. Events that change a conversation are notified to the account's webhook once they
are committed (webhooks.py).
"""

import uuid
from collections.abc import Mapping
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse

from sandbox.database import first_row
from sandbox.liveperson import serializers, webhooks
from sandbox.liveperson.auth import (
    App,
    ConsumerIdentity,
    app_of,
    app_with_credentials,
    consumer,
    consumer_of,
    issue_app_jwt,
    issue_consumer_jws,
)
from sandbox.liveperson.http import (
    INVALID_CONSUMER_JWS,
    ApiError,
    OAuthError,
    bad_request,
    json_body,
    mapping,
    require_version,
    text,
    unauthorized,
)
from sandbox.liveperson.models import Consumer, Conversation, Message
from sandbox.state import STATE

MAX_EXT_CONSUMER_ID_LENGTH = 200  # guess
MAX_MESSAGE_LENGTH = 10_000  # guess
MAX_REQUEST_ID_LENGTH = 100  # guess
SET_USER_PROFILE = "userprofile.SetUserProfile"
REQUEST_CONVERSATION = "cm.ConsumerRequestConversation"
PUBLISH_EVENT = "ms.PublishEvent"
UPDATE_CONVERSATION_FIELD = "cm.UpdateConversationField"
CSAT_STATUSES = ("FILLED", "SKIPPED")  # guess


# --- tokens ------------------------------------------------------------------------------------


def app_token(request: HttpRequest, account_id: str) -> dict[str, Any]:
    """POST /sentinel/api/account/{accountId}/app/token?v=1.0&grant_type=client_credentials with
    the form body client_id, client_secret (doc) → `{"access_token", "token_type": "Bearer"}`."""
    if request.GET.getlist("v") != ["1.0"]:
        raise OAuthError(400, "invalid_request", "Unsupported or missing API version: v=1.0")
    if request.GET.getlist("grant_type") != ["client_credentials"]:
        raise OAuthError(400, "unsupported_grant_type", "grant_type must be client_credentials")
    client_id, client_secret = request.POST.get("client_id"), request.POST.get("client_secret")
    if not client_id or not client_secret:
        raise OAuthError(400, "invalid_request", "client_id and client_secret are required")
    app = app_with_credentials(account_id, client_id, client_secret)
    if app is None:
        raise OAuthError(401, "invalid_client", "Unknown client or wrong secret")
    return {"access_token": issue_app_jwt(account_id, app), "token_type": "Bearer"}


def consumer_token(request: HttpRequest, account_id: str) -> JsonResponse:
    """POST /api/account/{accountId}/consumer?v=1.0 `{"ext_consumer_id"}` with the AppJWT →
    201 `{"token"}` (doc). The same ext id is the same consumer, whatever token it gets."""
    require_version(request, "1.0")
    app_of(request, account_id)
    body = mapping(json_body(request))
    ext_consumer_id = text(
        (body or {}).get("ext_consumer_id"), max_length=MAX_EXT_CONSUMER_ID_LENGTH
    )
    if ext_consumer_id is None:
        raise bad_request(
            f"ext_consumer_id is required: text of at most {MAX_EXT_CONSUMER_ID_LENGTH} characters"
        )
    identity = consumer(account_id, ext_consumer_id)
    return JsonResponse({"token": issue_consumer_jws(account_id, identity)}, status=201)


# --- CONVERSATION ------------------------------------------------------------------------------


def open_conversation(request: HttpRequest, account_id: str) -> list[dict[str, Any]]:
    """The batch: `userprofile.SetUserProfile` first (mandatory, its body may be `{}`), then
    `cm.ConsumerRequestConversation` (doc). Answers one response per request, in order, the
    second carrying the new `conversationId`."""
    require_version(request, "3")
    app = app_of(request, account_id)
    identity = consumer_of(request, account_id)
    payloads = json_body(request)
    if not isinstance(payloads, list) or len(payloads) != 2:
        raise bad_request(
            f"The body must be an array of two requests: {SET_USER_PROFILE}, then "
            f"{REQUEST_CONVERSATION}"
        )
    profile_id, profile = _request(payloads[0], SET_USER_PROFILE, "the first request")
    open_id, wanted = _request(payloads[1], REQUEST_CONVERSATION, "the second request")
    _check_conversation_request(account_id, wanted)
    with transaction.atomic():
        Consumer.objects.filter(id=identity.id).update(profile=dict(profile))
        conversation = Conversation.objects.create(
            id=str(uuid.uuid4()),
            account_id=account_id,
            consumer_id=identity.id,
            app_id=app.id,
            skill_id=str(wanted["skillId"]) if wanted.get("skillId") is not None else None,
            request=dict(wanted),
            created_at=STATE.now(),
        )
        _notify_change(conversation, identity, app.client_id)
    return serializers.conversation_opened(profile_id, open_id, conversation.id)


def _check_conversation_request(account_id: str, wanted: Mapping[str, Any]) -> None:
    """The fields the sandbox reads; the others (campaignInfo, conversationContext...) are kept
    as sent."""
    brand_id = wanted.get("brandId")
    if brand_id is not None and brand_id != account_id:
        raise bad_request("brandId must be the account id of the URL")
    if wanted.get("channelType", "MESSAGING") != "MESSAGING":
        raise bad_request("channelType must be MESSAGING")
    skill_id = wanted.get("skillId")
    if skill_id is not None and text(skill_id, max_length=40) is None:
        raise bad_request("skillId must be text of at most 40 characters")


# --- SEND --------------------------------------------------------------------------------------


def send(request: HttpRequest, account_id: str) -> dict[str, Any]:
    """One payload: `ms.PublishEvent` (a message), `cm.UpdateConversationField` (close, CSAT) or
    `userprofile.SetUserProfile` (doc)."""
    require_version(request, "3")
    app = app_of(request, account_id)
    identity = consumer_of(request, account_id)
    payload = json_body(request)
    kind = payload.get("type") if isinstance(payload, dict) else None
    if kind == PUBLISH_EVENT:
        req_id, body = _request(payload, PUBLISH_EVENT, "the request")
        return serializers.sent(req_id, _publish(app, identity, account_id, body))
    if kind == UPDATE_CONVERSATION_FIELD:
        req_id, body = _request(payload, UPDATE_CONVERSATION_FIELD, "the request")
        _update_fields(identity, account_id, body)
        return serializers.sent(req_id, {})
    if kind == SET_USER_PROFILE:
        req_id, body = _request(payload, SET_USER_PROFILE, "the request")
        Consumer.objects.filter(id=identity.id).update(profile=dict(body))
        return serializers.sent(req_id, {})
    raise bad_request(
        f"The body must be one request of type {PUBLISH_EVENT}, {UPDATE_CONVERSATION_FIELD} or "
        f"{SET_USER_PROFILE}"
    )


def _publish(
    app: App, identity: ConsumerIdentity, account_id: str, body: Mapping[str, Any]
) -> dict[str, Any]:
    """A text message in the conversation (`dialogId`): its sequence, 0, 2, 4... (doc)."""
    event = mapping(body.get("event"))
    if event is None or event.get("type") != "ContentEvent":
        raise bad_request("event must be a ContentEvent")
    if event.get("contentType") != "text/plain":
        raise bad_request("contentType must be text/plain")
    message = text(event.get("message"), max_length=MAX_MESSAGE_LENGTH)
    if message is None:
        raise bad_request(f"message must be text of 1 to {MAX_MESSAGE_LENGTH} characters")
    with transaction.atomic():
        conversation = _own_conversation(identity, account_id, body.get("dialogId"), "dialogId")
        if conversation.state != Conversation.OPEN:
            raise bad_request(f"Conversation {conversation.id} is closed")
        published = add_message(
            conversation, message, Message.CONSUMER, identity.consumer_id, app.client_id
        )
    return {"sequence": published.sequence}


class ConversationRow(NamedTuple):
    """What a message needs of its conversation, read with SQL: messages are what broadcasts
    send by the thousand, and compiling the equivalent queryset costs more than the rest."""

    id: str
    account_id: str
    consumer_id: int  # the consumer's row
    state: str
    next_sequence: int
    app_client_id: str  # the app that opened it, which the account's webhooks name


def conversation_row(conversation_id: str) -> ConversationRow | None:
    row = first_row(
        "SELECT c.id, c.account_id, c.consumer_id, c.state, c.next_sequence, a.client_id"
        " FROM liveperson_conversation c JOIN liveperson_app a ON a.id = c.app_id"
        " WHERE c.id = %s",
        conversation_id,
    )
    return ConversationRow(*row) if row else None


def add_message(
    conversation: ConversationRow,
    text_: str,
    role: str,
    originator_id: str,
    app_client_id: str | None,
) -> Message:
    """Append a content event (in the caller's write transaction, which orders the
    sequences) and notify it once committed."""
    message = Message(
        conversation_id=conversation.id,
        sequence=conversation.next_sequence,
        role=role,
        originator_id=originator_id,
        app_client_id=app_client_id,
        text=text_,
        created_at=STATE.now(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO liveperson_message (conversation_id, sequence, role, originator_id,"
            " app_client_id, text, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                message.conversation_id,
                message.sequence,
                role,
                originator_id,
                app_client_id,
                text_,
                connection.ops.adapt_datetimefield_value(message.created_at),
            ],
        )
        cursor.execute(
            "UPDATE liveperson_conversation SET next_sequence = next_sequence + 2 WHERE id = %s",
            [conversation.id],
        )
    notification = serializers.message_event(message)
    transaction.on_commit(
        lambda: webhooks.notify(conversation.account_id, conversation.app_client_id, notification)
    )
    return message


def _update_fields(identity: ConsumerIdentity, account_id: str, body: Mapping[str, Any]) -> None:
    """`conversationField` is one field or a list of them (doc shows one; clients send both,
    obs): ConversationStateField CLOSE, or CSATRate."""
    fields = body.get("conversationField")
    fields = [fields] if isinstance(fields, dict) else fields
    if not isinstance(fields, list) or not fields or not all(isinstance(f, dict) for f in fields):
        raise bad_request("conversationField must be a field object or a list of them")
    with transaction.atomic():
        row = _own_conversation(identity, account_id, body.get("conversationId"), "conversationId")
        conversation = Conversation.objects.get(id=row.id)
        for change in fields:
            if change.get("field") == "ConversationStateField":
                if change.get("conversationState") != "CLOSE":
                    raise bad_request("conversationState must be CLOSE")
                close(
                    conversation, reason="CONSUMER", identity=identity, client_id=row.app_client_id
                )
            elif change.get("field") == "CSATRate":
                _rate(conversation, change)
            else:
                raise bad_request("field must be ConversationStateField or CSATRate")


def close(
    conversation: Conversation, *, reason: str, identity: ConsumerIdentity, client_id: str
) -> None:
    """Close it (in the caller's transaction); closing a closed conversation changes nothing
    (guess), so a close sent again after a lost answer is harmless."""
    if conversation.state == Conversation.CLOSE:
        return
    conversation.state = Conversation.CLOSE
    conversation.closed_at = STATE.now()
    conversation.close_reason = reason
    conversation.save(update_fields=["state", "closed_at", "close_reason"])
    _notify_change(conversation, identity, client_id)


def _rate(conversation: Conversation, change: Mapping[str, Any]) -> None:
    """CSAT (doc: csatRate, csatResolutionConfirmation, status); 1 to 5 (guess)."""
    rate = change.get("csatRate")
    if type(rate) is not int or not 1 <= rate <= 5:
        raise bad_request("csatRate must be a whole number from 1 to 5")
    resolved = change.get("csatResolutionConfirmation")
    if resolved is not None and not isinstance(resolved, bool):
        raise bad_request("csatResolutionConfirmation must be true or false")
    status = change.get("status", "FILLED")
    if status not in CSAT_STATUSES:
        raise bad_request(f"status must be one of {', '.join(CSAT_STATUSES)}")
    conversation.csat_rate, conversation.csat_resolution = rate, resolved
    conversation.csat_status = status
    conversation.save(update_fields=["csat_rate", "csat_resolution", "csat_status"])


def _own_conversation(
    identity: ConsumerIdentity, account_id: str, conversation_id: Any, name: str
) -> ConversationRow:
    """The conversation (read in the caller's write transaction), if it is this consumer's:
    another consumer's is a 401 with errorCode 40103 (doc); one that does not exist, a 404
    (guess)."""
    if text(conversation_id, max_length=36) is None:
        raise bad_request(f"{name} must be a conversation id")
    conversation = conversation_row(conversation_id)
    if conversation is None or conversation.account_id != account_id:
        raise ApiError(404, f"Conversation {conversation_id} not found")
    if conversation.consumer_id != identity.id:
        raise unauthorized(INVALID_CONSUMER_JWS, "The ConsumerJWS does not open this conversation")
    return conversation


# --- requests ----------------------------------------------------------------------------------


def _request(payload: Any, kind: str, where: str) -> tuple[Any, Mapping[str, Any]]:
    """(id, body) of a request `{kind: "req", id, type, body}` of this type (doc)."""
    if not isinstance(payload, dict):
        raise bad_request(f"{where} must be a JSON object")
    if payload.get("kind") != "req":
        raise bad_request(f'{where} must have kind "req"')
    if payload.get("type") != kind:
        raise bad_request(f"{where} must have type {kind}")
    req_id = payload.get("id")
    valid_id = (isinstance(req_id, int) and not isinstance(req_id, bool)) or text(
        req_id, max_length=MAX_REQUEST_ID_LENGTH
    ) is not None
    if not valid_id:
        raise bad_request(f"{where} must have an id: text or a whole number")
    body = mapping(payload.get("body"))
    if body is None:
        raise bad_request(f"{where} must have a body object")
    return req_id, body


def _notify_change(conversation: Conversation, identity: ConsumerIdentity, client_id: str) -> None:
    notification = serializers.conversation_change(conversation, identity.consumer_id)
    transaction.on_commit(lambda: webhooks.notify(conversation.account_id, client_id, notification))
