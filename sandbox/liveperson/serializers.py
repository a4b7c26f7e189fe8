"""LivePerson's wire shapes: the answers to CONVERSATION and SEND (doc, with the fields the
document leaves out marked guess in openapi.py) and the webhook notifications, whose shapes
follow notifications captured from the real service in third-party tests (obs).

Timestamps in notifications are milliseconds since the epoch (obs).
"""

from datetime import datetime
from typing import Any

from sandbox.liveperson.models import Conversation, Message

PROFILE_SET = "OK Profile Set"  # guess: the text LivePerson's examples answer


def millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


# --- answers -----------------------------------------------------------------------------------


def conversation_opened(profile_req_id: Any, open_req_id: Any, conversation_id: str) -> list:
    return [
        {
            "kind": "resp",
            "reqId": profile_req_id,
            "code": 200,
            "body": PROFILE_SET,
            "type": "userprofile.SetUserProfile$Response",
        },
        {
            "kind": "resp",
            "reqId": open_req_id,
            "code": 200,
            "body": {"conversationId": conversation_id},
            "type": "cm.RequestConversationResponse",
        },
    ]


def sent(req_id: Any, body: dict[str, Any]) -> dict[str, Any]:
    """The answer to one SEND payload (doc: `{"reqId", "code": "OK", "body": {...}}`)."""
    return {"reqId": req_id, "code": "OK", "body": body}


# --- webhook notifications ---------------------------------------------------------------------


def conversation_change(conversation: Conversation, consumer_id: str) -> dict[str, Any]:
    """`cqm.ExConversationChangeNotification`: the conversation's state (OPEN or CLOSE)."""
    state = conversation.state
    updated = conversation.closed_at or conversation.created_at
    participant = {"id": consumer_id, "role": "CONSUMER"}
    dialog: dict[str, Any] = {
        "dialogId": conversation.id,
        "participantsDetails": [participant],
        "dialogType": "MAIN",
        "channelType": "MESSAGING",
        "state": state,
        "creationTs": millis(conversation.created_at),
        "metaDataLastUpdateTs": millis(updated),
    }
    details: dict[str, Any] = {
        "skillId": conversation.skill_id or "-1",
        "participants": [participant],
        "dialogs": [dialog],
        "brandId": conversation.account_id,
        "state": state,
        "stage": state,
        "startTs": millis(conversation.created_at),
        "metaDataLastUpdateTs": millis(updated),
    }
    if conversation.closed_at is not None:
        dialog |= {"endTs": millis(conversation.closed_at), "closedBy": conversation.close_reason}
        details |= {
            "endTs": millis(conversation.closed_at),
            "closeReason": conversation.close_reason,
        }
    change = {
        "type": "UPSERT",
        "result": {"convId": conversation.id, "effectiveTTR": -1, "conversationDetails": details},
    }
    return _notification("cqm.ExConversationChangeNotification", change)


def message_event(message: Message) -> dict[str, Any]:
    """`ms.MessagingEventNotification`: a ContentEvent published in the conversation. One the
    connector published names its app in `originatorClientProperties` (guess), so a receiver
    can tell its own messages from replies."""
    change: dict[str, Any] = {
        "sequence": message.sequence,
        "originatorId": message.originator_id,
        "originatorMetadata": {"id": message.originator_id, "role": message.role},
        "serverTimestamp": millis(message.created_at),
        "event": {"type": "ContentEvent", "message": message.text, "contentType": "text/plain"},
        "conversationId": message.conversation_id,
        "dialogId": message.conversation_id,
    }
    if message.app_client_id:
        change["originatorClientProperties"] = {"type": "CUSTOM", "appId": message.app_client_id}
    return _notification("ms.MessagingEventNotification", change)


def _notification(kind: str, change: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "notification", "body": {"changes": [change]}, "type": kind}
