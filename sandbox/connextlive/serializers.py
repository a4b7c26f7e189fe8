"""Every Connextlive wire shape, in one place (sandbox/README.md describes them).

Field names and nesting here are the sandbox's contract with the console's client
(`dashboard/platforms/connextlive.py`); most are guesses, since seeds/003 documents parameters
and the error body but not response bodies.
"""

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sandbox.connextlive.models import ApiKey, Invitation, User, Workspace
from sandbox.state import format_timestamp

if TYPE_CHECKING:
    from sandbox.connextlive.queries import (
        AgentFigures,
        AttachmentRow,
        ConversationRow,
        MessageRow,
        VisitorRow,
    )

INVITATION_LIFETIME = timedelta(days=7)


def timestamp(moment: datetime | None) -> str | None:
    return None if moment is None else format_timestamp(moment)


def error_body(status: int, message: str, data: Any = None) -> dict[str, Any]:
    """The documented error body (h3/Nitro's shape)."""
    return {"statusCode": status, "statusMessage": message, "data": data}


def error_body_bytes(status: int, message: str, data: Any = None) -> bytes:
    return json.dumps(error_body(status, message, data)).encode()


def validation_data(field_errors: dict[str, list[str]], form_errors: list[str]) -> dict:
    """zod's flattened error form, which is what an h3 + zod server sends (guess)."""
    return {"fieldErrors": field_errors, "formErrors": form_errors}


def user(record: User) -> dict[str, Any]:
    return {
        "id": record.id,
        "email": record.email,
        "name": record.name,
        "role": record.role,
        "avatarUrl": record.avatar_url,
        "csatScore": record.csat_score,
        "status": record.status,
        "tenantId": record.tenant_id,
        "createdAt": timestamp(record.created_at),
    }


def agent_profile(record: User) -> dict[str, Any]:
    return {**user(record), "tenant": {"id": record.tenant.id, "name": record.tenant.name}}


def login(token: str, expires_at: datetime, record: User) -> dict[str, Any]:
    return {"token": token, "expiresAt": timestamp(expires_at), "user": user(record)}


def workspace(record: Workspace) -> dict[str, Any]:
    return {
        "id": record.id,
        "tenantId": record.tenant_id,
        "name": record.name,
        "companyName": record.company_name,
        "contactEmail": record.contact_email,
        "language": record.language,
        "timezone": record.timezone,
        "settings": record.settings,
        "createdAt": timestamp(record.created_at),
        "updatedAt": timestamp(record.updated_at),
    }


def visitor(record: "VisitorRow") -> dict[str, Any]:
    return {
        "id": record.id,
        "userName": record.user_name,
        "userEmail": record.user_email,
        "userPhone": record.user_phone,
        "ip": record.ip,
        "country": record.country,
        "countryCode": record.country_code,
        "city": record.city,
        "siteId": record.site_id,
        "site": {"id": record.site_id, "name": record.site_name, "domain": record.site_domain},
        "tags": record.tags,
        "notes": record.notes,
        "externalIds": json.loads(record.external_ids),
        "isOnline": record.is_online,
        "isReturning": record.is_returning,
        "visitCount": record.visit_count,
        "browser": record.browser,
        "os": record.os,
        "device": record.device,
        "currentPage": record.current_page,
        "referrer": record.referrer,
        "firstSeenAt": timestamp(record.first_seen_at),
        "lastSeenAt": timestamp(record.last_seen_at),
        "createdAt": timestamp(record.created_at),
    }


def conversation_summary(record: "ConversationRow") -> dict[str, Any]:
    last_message = None
    if record.last_message_at is not None:
        last_message = {
            "content": record.last_message_content,
            "senderType": record.last_message_sender_type,
            "createdAt": timestamp(record.last_message_at),
        }
    agent = None
    if record.agent_id is not None:
        agent = {"id": record.agent_id, "name": record.agent_name}
    return {
        "id": record.id,
        "status": record.status,
        "visitorId": record.visitor_id,
        "visitor": {
            "id": record.visitor_id,
            "userName": record.visitor_user_name,
            "userEmail": record.visitor_user_email,
            "isOnline": record.visitor_is_online,
        },
        "agentId": record.agent_id,
        "agent": agent,
        "siteId": record.site_id,
        "subject": record.subject,
        "unreadCount": record.unread_count,
        "lastMessage": last_message,
        "messageCount": record.message_count,
        "createdAt": timestamp(record.created_at),
        "updatedAt": timestamp(record.updated_at),
        "closedAt": timestamp(record.closed_at),
    }


def conversation_detail(
    record: "ConversationRow", workspace_record: Workspace, full_visitor: "VisitorRow"
) -> dict[str, Any]:
    return {
        **conversation_summary(record),
        "visitor": visitor(full_visitor),
        "workspace": {"id": workspace_record.id, "name": workspace_record.name},
    }


def attachment(record: "AttachmentRow", base_url: str) -> dict[str, Any]:
    return {
        "id": record.id,
        "fileName": record.file_name,
        "mimeType": record.mime_type,
        "size": record.size,
        "url": attachment_url(record, base_url),
    }


def attachment_url(record: "AttachmentRow", base_url: str) -> str:
    return f"{base_url}/connextlive/files/{record.id}/{quote(record.file_name, safe='')}"


def message(record: "MessageRow", base_url: str) -> dict[str, Any]:
    return {
        "id": record.id,
        "conversationId": record.conversation_id,
        "senderType": record.sender_type,
        "senderId": record.sender_id,
        "senderName": record.sender_name,
        "content": record.content,
        "messageType": record.message_type,
        "attachments": [attachment(item, base_url) for item in record.attachments],
        "isRead": record.is_read,
        "createdAt": timestamp(record.created_at),
    }


def invitation(record: Invitation, now: datetime) -> dict[str, Any]:
    expires_at = record.invited_at + INVITATION_LIFETIME
    return {
        "id": record.id,
        "name": record.name,
        "email": record.email,
        "status": "PENDING" if now < expires_at else "EXPIRED",
        "invitedAt": timestamp(record.invited_at),
        "expiresAt": timestamp(expires_at),
    }


def api_key(record: ApiKey, plain_key: str | None = None) -> dict[str, Any]:
    body = {
        "id": record.id,
        "name": record.name,
        "keyHash": record.key_hash,
        "keyPrefix": record.key_prefix,
        "domains": record.domains,
        "status": record.status,
        "createdAt": timestamp(record.created_at),
        "lastUsedAt": timestamp(record.last_used_at),
    }
    if plain_key is not None:
        body["plainKey"] = plain_key
    return body


def agent_stat(figures: "AgentFigures") -> dict[str, Any]:
    return {
        "agentId": figures.agent_id,
        "agentName": figures.agent_name,
        "active": figures.active,
        "waiting": figures.waiting,
        "closed": figures.closed,
        "total": figures.total,
        "unread": figures.unread,
    }


def page_envelope(key: str, items: list, total: int, page: int, limit: int) -> dict[str, Any]:
    """The page-numbered list envelope (visitors, messages)."""
    return {
        key: items,
        "total": total,
        "page": page,
        "limit": limit,
        "totalPages": -(-total // limit),
    }


def success(**extra: Any) -> dict[str, Any]:
    return {"success": True, **extra}
