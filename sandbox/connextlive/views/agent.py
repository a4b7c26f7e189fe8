"""Agent — Profile and Conversations (AGENT role). Agent — Visitors is in visitors.py."""

import mimetypes
import re
import unicodedata

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError

from sandbox.connextlive import actions, serializers
from sandbox.connextlive.auth import agent_only
from sandbox.connextlive.http import (
    ApiError,
    String,
    json_object,
    query_int,
    query_string,
    validate_body,
    validation_data,
    validation_error,
)
from sandbox.connextlive.models import ConversationStatus, User
from sandbox.connextlive.queries import (
    agent_conversations_matching,
    agent_of,
    conversation_count,
    conversation_of,
    conversation_page,
    message_count,
    messages_of,
    refreshed,
    status_counts,
    summary_of,
    visitor_of,
    workspace_of,
)
from sandbox.connextlive.views import base_url

STATUS_WORDS = {status.lower(): status for status in ConversationStatus.values}

# doc: "up to 5 files, 10MB each (image/jpeg, image/png, image/webp, application/pdf, office
# docs, zip)"
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/webp",
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/zip",
    }
)
MAX_CONTENT_LENGTH = 10_000  # guess


@agent_only
def profile(request: HttpRequest, user: User) -> dict:
    return serializers.agent_profile(user)


@agent_only
def list_conversations(request: HttpRequest, user: User) -> dict:
    """Every conversation of the agent's tenant (doc: "scoped to the agent's tenant")."""
    statuses = _statuses(query_string(request, "status"))
    search = query_string(request, "search")
    # doc: 1–50; above 50 capped (sandbox/README.md), below 1 refused.
    limit = query_int(request, "limit", default=20, minimum=1, cap=50)
    offset = query_int(request, "offset", default=0, minimum=0)

    matching = agent_conversations_matching(user.tenant, statuses, search)
    page = conversation_page(matching, offset, limit)
    return {
        "conversations": [serializers.conversation_summary(item) for item in page],
        "total": conversation_count(matching),
        "limit": limit,
        "offset": offset,
        "counts": status_counts(user.tenant),
    }


def _statuses(raw: str | None) -> list[str]:
    """doc: lower case, one or a comma-separated list (`active,waiting`)."""
    if raw is None:
        return []
    words = [word.strip() for word in raw.split(",") if word.strip()]
    unknown = [word for word in words if word not in STATUS_WORDS]
    if unknown:
        expected = ", ".join(STATUS_WORDS)
        raise validation_error({"status": [f"Unknown status '{unknown[0][:50]}': use {expected}"]})
    return [STATUS_WORDS[word] for word in words]


@agent_only
def get_conversation(request: HttpRequest, user: User, conversation_id: str) -> dict:
    conversation = summary_of(user.tenant, conversation_id)
    return serializers.conversation_detail(
        conversation, workspace_of(user.tenant), visitor_of(user.tenant, conversation.visitor_id)
    )


@agent_only
def list_messages(request: HttpRequest, user: User, conversation_id: str) -> dict:
    conversation = conversation_of(user.tenant, conversation_id)
    page = query_int(request, "page", default=1, minimum=1)
    limit = query_int(request, "limit", default=50, minimum=1, cap=100)  # doc: max 100
    url = base_url(request)
    messages = messages_of(conversation.id, offset=(page - 1) * limit, limit=limit)
    items = [serializers.message(item, url) for item in messages]
    return serializers.page_envelope("messages", items, message_count(conversation.id), page, limit)


MESSAGE_FIELDS = {
    "content": String(max_length=MAX_CONTENT_LENGTH),
    # doc: TEXT by default, FILE when attachments are present; a sender cannot claim SYSTEM.
    "messageType": String(max_length=10, choices=("TEXT", "FILE")),
}


@agent_only
def send_message(request: HttpRequest, user: User, conversation_id: str) -> dict:
    """JSON `{content, messageType}` or multipart with `content` and up to 5 `attachments`."""
    conversation = conversation_of(user.tenant, conversation_id)
    if request.content_type == "multipart/form-data":
        fields, files = _multipart(request)
    else:
        fields, files = json_object(request), []
    content = validate_body(fields, MESSAGE_FIELDS).get("content", "")
    uploads = _checked_uploads(files)
    if not content.strip() and not uploads:
        raise _message_error("Message content or at least one attachment is required", "content")
    message = actions.send_message(conversation, user, content, uploads)
    return serializers.message(message, base_url(request))


def _multipart(request: HttpRequest) -> tuple[dict[str, str], list[UploadedFile]]:
    try:
        fields = {name: request.POST.get(name) for name in MESSAGE_FIELDS if name in request.POST}
        return fields, request.FILES.getlist("attachments")
    except (MultiPartParserError, RequestDataTooBig, TooManyFilesSent):
        raise ApiError(400, "Invalid multipart body") from None


def _checked_uploads(files: list[UploadedFile]) -> list[actions.Upload]:
    if len(files) > MAX_ATTACHMENTS:
        raise _message_error(f"Too many attachments: at most {MAX_ATTACHMENTS} files per message")
    uploads = []
    for file in files:
        name = _safe_file_name(file.name or "")
        if file.size is None or file.size > MAX_ATTACHMENT_BYTES:
            raise _message_error(f"Attachment '{name}' is larger than 10 MB")
        mime_type = _mime_type(file, name)
        if mime_type not in ALLOWED_TYPES:
            raise _message_error(
                f"Attachment '{name}' has an unsupported type '{mime_type}': allowed are "
                "JPEG, PNG and WebP images, PDF, Office documents and ZIP archives"
            )
        uploads.append(actions.Upload(file_name=name, mime_type=mime_type, data=file.read()))
    return uploads


def _message_error(message: str, field: str = "attachments") -> ApiError:
    return ApiError(400, message, validation_data({field: [message]}, []))


def _mime_type(file: UploadedFile, name: str) -> str:
    """The part's declared type; a generic one is replaced by the name's (guess)."""
    declared = (file.content_type or "").split(";")[0].strip().lower()
    if declared and declared != "application/octet-stream":
        return declared
    return mimetypes.guess_type(name)[0] or declared or "application/octet-stream"


_UNSAFE_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f"\\/]')


def _safe_file_name(raw: str) -> str:
    """The last path component, without control characters or quotes, at most 255 long."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE_NAME_CHARACTERS.sub("_", name).strip(" .")
    return name[-255:] or "file"


@agent_only
def resolve_conversation(request: HttpRequest, user: User, conversation_id: str) -> dict:
    conversation = conversation_of(user.tenant, conversation_id)
    actions.resolve(conversation)
    return serializers.conversation_summary(refreshed(conversation))


TRANSFER_FIELDS = {"agentId": String(min_length=1, max_length=100)}


@agent_only
def transfer_conversation(request: HttpRequest, user: User, conversation_id: str) -> dict:
    """doc: only the currently assigned agent may transfer; the target must be an agent of the
    tenant (404 otherwise)."""
    conversation = conversation_of(user.tenant, conversation_id)
    body = validate_body(json_object(request), TRANSFER_FIELDS, required=("agentId",))
    if conversation.agent_id != user.id:
        raise ApiError(403, "Only the agent assigned to this conversation can transfer it")
    actions.assign(conversation, agent_of(user.tenant, body["agentId"]))
    return serializers.conversation_summary(refreshed(conversation))


@agent_only
def mark_read(request: HttpRequest, user: User, conversation_id: str) -> dict:
    conversation = conversation_of(user.tenant, conversation_id)
    return serializers.success(markedCount=actions.mark_read(conversation))
