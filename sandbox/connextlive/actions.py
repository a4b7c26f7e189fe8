"""Changes to conversations shared by the tenant and agent APIs, with their side effects."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from sandbox.connextlive.ids import new_id
from sandbox.connextlive.models import (
    Attachment,
    Conversation,
    ConversationStatus,
    Message,
    MessageType,
    SenderType,
    User,
)
from sandbox.connextlive.queries import (
    MessageRow,
    message_of,
    unread_visitor_messages_in,
    workspace_of,
)
from sandbox.state import STATE

# The system message resolve adds, in the workspace's language (doc: "localized").
RESOLVED_TEXT = {
    "en": "Conversation resolved",
    "tr": "Görüşme çözüldü",
    "de": "Unterhaltung gelöst",
    "es": "Conversación resuelta",
}


@dataclass(frozen=True)
class Upload:
    file_name: str
    mime_type: str
    data: bytes


def resolve(conversation: Conversation) -> None:
    """Close the conversation and add the localized system message. Resolving a closed
    conversation changes nothing (guess: no second system message)."""
    if conversation.status == ConversationStatus.CLOSED:
        return
    now = STATE.now()
    language = workspace_of(conversation.tenant).language
    with transaction.atomic():
        Message.objects.create(
            id=new_id("msg", now),
            conversation=conversation,
            sender_type=SenderType.SYSTEM,
            sender_id=None,
            sender_name="System",
            content=RESOLVED_TEXT.get(language, RESOLVED_TEXT["en"]),
            message_type=MessageType.SYSTEM,
            is_read=False,
            created_at=now,
        )
        Conversation.objects.filter(pk=conversation.pk).update(
            status=ConversationStatus.CLOSED, closed_at=now, updated_at=now
        )


def set_status(conversation: Conversation, status: str) -> None:
    """Only the status (doc: no resolve side effects); `closedAt` follows it (guess)."""
    now = STATE.now()
    closed_at = None
    if status == ConversationStatus.CLOSED:
        closed_at = conversation.closed_at or now
    Conversation.objects.filter(pk=conversation.pk).update(
        status=status, closed_at=closed_at, updated_at=now
    )


def assign(conversation: Conversation, agent: User) -> None:
    """Give the conversation to `agent`; the status stays as it was (guess)."""
    Conversation.objects.filter(pk=conversation.pk).update(agent=agent, updated_at=STATE.now())


def mark_read(conversation: Conversation) -> int:
    return unread_visitor_messages_in(conversation).update(is_read=True)


def send_message(
    conversation: Conversation, sender: User, content: str, uploads: list[Upload]
) -> MessageRow:
    """The agent's message, which also claims the conversation and sets it ACTIVE (doc); an
    offline visitor with an email address is told by email (doc: "offline-visitor email")."""
    now = STATE.now()
    with transaction.atomic():
        message = Message.objects.create(
            id=new_id("msg", now),
            conversation=conversation,
            sender_type=SenderType.AGENT,
            sender_id=sender.id,
            sender_name=sender.name,
            content=content,
            message_type=MessageType.FILE if uploads else MessageType.TEXT,
            is_read=False,
            created_at=now,
        )
        Attachment.objects.bulk_create(
            Attachment(
                # One millisecond apart, so that ordering by id keeps the upload order.
                id=new_id("att", now + timedelta(milliseconds=position)),
                message=message,
                file_name=upload.file_name,
                mime_type=upload.mime_type,
                size=len(upload.data),
                data=upload.data,
            )
            for position, upload in enumerate(uploads)
        )
        Conversation.objects.filter(pk=conversation.pk).update(
            agent=sender, status=ConversationStatus.ACTIVE, closed_at=None, updated_at=now
        )
    visitor = conversation.visitor
    if not visitor.is_online and visitor.user_email:
        STATE.send_email(
            to=visitor.user_email,
            subject=f"New message from {sender.name}",
            body=content,
            kind="offline-visitor-message",
            conversationId=conversation.id,
            messageId=message.id,
        )
    return message_of(message.id)
