"""LivePerson's control endpoints under /__sandbox__/liveperson/ (tests and demos only).

- `GET|POST|DELETE webhook`: where the account's notifications go. POST `{"url", "secret",
  "accountId"?}` (the main account by default); GET `?accountId=` reads the URL (never the
  secret); DELETE `?accountId=` stops notifications.
- `GET webhook-deliveries[?accountId=]`: every attempt to deliver a notification, from any
  process: `{"deliveries": [{type, conversationId, state | sequence and role, url, attempt,
  status, error, bodySha256, at}]}`.
- `POST consumer-reply {"conversationId", "message", "role"?}`: a message in the conversation
  from the consumer's side (role CONSUMER, or ASSIGNED_AGENT for an agent's), notified like any
  other; answers `{"conversationId", "sequence"}`. A closed conversation refuses it.
- `POST close-conversation {"conversationId"}`: the agent closes it (notified; closing a closed
  one changes nothing).
- `GET conversations[?accountId=&extConsumerId=]`: conversations with their messages, oldest
  first: `{"conversations": [{conversationId, accountId, extConsumerId, consumerId, state,
  skillId, profile, csat, createdAt, closedAt, closeReason, messages: [{sequence, role,
  originatorId, appId, message, at}]}]}`.
"""

from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.http import HttpRequest
from django.urls import path

from sandbox.connextlive.http import endpoint, json_object, not_found, validation_error
from sandbox.liveperson import webhooks
from sandbox.liveperson.auth import ConsumerIdentity
from sandbox.liveperson.credentials import ACCOUNT_ID
from sandbox.liveperson.models import Consumer, Conversation, Message
from sandbox.liveperson.views import MAX_MESSAGE_LENGTH, add_message, close, conversation_row
from sandbox.state import STATE, format_timestamp

ROLES = (Message.CONSUMER, Message.AGENT)
# The agent who answers in the sandbox: an id like LivePerson's `<account>.<user>` (guess).
AGENT_USER = "1000001"


def get_webhook(request: HttpRequest) -> dict[str, Any]:
    account_id = request.GET.get("accountId") or ACCOUNT_ID
    target = STATE.webhook_target(webhooks.target_name(account_id))
    return {"accountId": account_id, "url": target[0] if target else None}


def set_webhook(request: HttpRequest) -> dict[str, Any]:
    body = json_object(request)
    account_id, url, secret = body.get("accountId", ACCOUNT_ID), body.get("url"), body.get("secret")
    errors: dict[str, list[str]] = {}
    if not isinstance(account_id, str) or not account_id:
        errors["accountId"] = ["Expected an account id"]
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        errors["url"] = ["Expected an http or https URL"]
    if not isinstance(secret, str) or not secret:
        errors["secret"] = ["Required"]
    if errors:
        raise validation_error(errors)
    STATE.set_webhook_target(webhooks.target_name(account_id), url, secret)
    return {"accountId": account_id, "url": url}


def clear_webhook(request: HttpRequest) -> dict[str, Any]:
    account_id = request.GET.get("accountId") or ACCOUNT_ID
    STATE.clear_webhook_target(webhooks.target_name(account_id))
    return {"accountId": account_id, "url": None}


def webhook_deliveries(request: HttpRequest) -> dict[str, Any]:
    account_id = request.GET.get("accountId")
    prefix = webhooks.target_name(account_id) if account_id else webhooks.target_name("")
    return {"deliveries": STATE.webhook_deliveries(prefix)}


def consumer_reply(request: HttpRequest) -> dict[str, Any]:
    body = json_object(request)
    message, role = body.get("message"), body.get("role", Message.CONSUMER)
    errors: dict[str, list[str]] = {}
    if not isinstance(message, str) or not message.strip() or len(message) > MAX_MESSAGE_LENGTH:
        errors["message"] = [f"Expected text of 1 to {MAX_MESSAGE_LENGTH} characters"]
    if role not in ROLES:
        errors["role"] = [f"Expected one of {', '.join(ROLES)}"]
    if errors:
        raise validation_error(errors)
    with transaction.atomic():
        conversation = _conversation(body)
        if conversation.state != Conversation.OPEN:
            raise validation_error({"conversationId": ["The conversation is closed"]})
        if role == Message.CONSUMER:
            originator = conversation.consumer.consumer_id
        else:
            originator = f"{conversation.account_id}.{AGENT_USER}"
        row = conversation_row(conversation.id)
        reply = add_message(row, message, role, originator, app_client_id=None)
    return {"conversationId": conversation.id, "sequence": reply.sequence}


def close_conversation(request: HttpRequest) -> dict[str, Any]:
    with transaction.atomic():
        conversation = _conversation(json_object(request))
        owner = conversation.consumer
        identity = ConsumerIdentity(owner.id, owner.consumer_id, owner.ext_consumer_id)
        client_id = conversation_row(conversation.id).app_client_id
        close(conversation, reason="AGENT", identity=identity, client_id=client_id)
    return {"conversationId": conversation.id, "state": conversation.state}


def _conversation(body: dict[str, Any]) -> Conversation:
    conversation_id = body.get("conversationId")
    if not isinstance(conversation_id, str) or not conversation_id:
        raise validation_error({"conversationId": ["Required"]})
    conversation = (
        Conversation.objects.select_related("consumer").filter(id=conversation_id).first()
    )
    if conversation is None:
        raise not_found("Conversation")
    return conversation


def conversations(request: HttpRequest) -> dict[str, Any]:
    found = Conversation.objects.select_related("consumer", "app").order_by("created_at", "id")
    if account_id := request.GET.get("accountId"):
        found = found.filter(account_id=account_id)
    if ext_consumer_id := request.GET.get("extConsumerId"):
        found = found.filter(consumer__ext_consumer_id=ext_consumer_id)
    found = list(found)
    messages: dict[str, list[Message]] = {item.id: [] for item in found}
    for message in Message.objects.filter(conversation_id__in=list(messages)).order_by("sequence"):
        messages[message.conversation_id].append(message)
    return {"conversations": [_listed(item, messages[item.id]) for item in found]}


def _listed(conversation: Conversation, messages: list[Message]) -> dict[str, Any]:
    consumer: Consumer = conversation.consumer
    return {
        "conversationId": conversation.id,
        "accountId": conversation.account_id,
        "extConsumerId": consumer.ext_consumer_id,
        "consumerId": consumer.consumer_id,
        "state": conversation.state,
        "skillId": conversation.skill_id,
        "profile": consumer.profile,
        "csat": (
            None
            if conversation.csat_rate is None
            else {
                "rate": conversation.csat_rate,
                "resolutionConfirmed": conversation.csat_resolution,
                "status": conversation.csat_status,
            }
        ),
        "createdAt": format_timestamp(conversation.created_at),
        "closedAt": format_timestamp(conversation.closed_at) if conversation.closed_at else None,
        "closeReason": conversation.close_reason,
        "messages": [
            {
                "sequence": message.sequence,
                "role": message.role,
                "originatorId": message.originator_id,
                "appId": message.app_client_id,
                "message": message.text,
                "at": format_timestamp(message.created_at),
            }
            for message in messages
        ],
    }


urlpatterns = [
    path("webhook", endpoint(GET=get_webhook, POST=set_webhook, DELETE=clear_webhook)),
    path("webhook-deliveries", endpoint(GET=webhook_deliveries)),
    path("consumer-reply", endpoint(POST=consumer_reply)),
    path("close-conversation", endpoint(POST=close_conversation)),
    path("conversations", endpoint(GET=conversations)),
]
