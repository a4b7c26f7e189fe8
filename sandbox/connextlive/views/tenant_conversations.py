"""Tenant — Conversations (CUSTOMER role)."""

from django.http import HttpRequest

from sandbox.connextlive import actions, serializers
from sandbox.connextlive.auth import customer_only
from sandbox.connextlive.http import (
    String,
    json_object,
    query_int,
    query_string,
    validate_body,
    validation_error,
)
from sandbox.connextlive.models import ConversationStatus, User
from sandbox.connextlive.queries import (
    agent_figures,
    agent_of,
    conversation_count,
    conversation_of,
    conversation_page,
    messages_of,
    refreshed,
    summary_of,
    tenant_conversations_matching,
    unread_total,
    visitor_of,
    workspace_of,
)
from sandbox.connextlive.views import base_url

LIST_STATUSES = (*ConversationStatus.values, "all")


@customer_only
def list_conversations(request: HttpRequest, user: User) -> dict:
    status = query_string(request, "status") or "all"
    if status not in LIST_STATUSES:
        raise validation_error({"status": [f"Expected one of {', '.join(LIST_STATUSES)}"]})
    agent_id = query_string(request, "agentId") or "all"
    search = query_string(request, "search")
    limit = query_int(request, "limit", default=50, minimum=1)
    offset = query_int(request, "offset", default=0, minimum=0)

    matching = tenant_conversations_matching(
        user.tenant,
        status=None if status == "all" else status,
        agent_id=None if agent_id == "all" else agent_id,
        search=search,
    )
    page = conversation_page(matching, offset, limit)
    return {
        "conversations": [serializers.conversation_summary(item) for item in page],
        "total": conversation_count(matching),
        "limit": limit,
        "offset": offset,
        "unreadTotal": unread_total(user.tenant),
        "agentStats": [serializers.agent_stat(item) for item in agent_figures(user.tenant)],
    }


@customer_only
def get_conversation(request: HttpRequest, user: User, conversation_id: str) -> dict:
    """ConversationDetail plus every message, oldest first: the tenant API has no messages
    endpoint, so the detail carries them (guess)."""
    conversation = summary_of(user.tenant, conversation_id)
    url = base_url(request)
    return {
        **serializers.conversation_detail(
            conversation,
            workspace_of(user.tenant),
            visitor_of(user.tenant, conversation.visitor_id),
        ),
        "messages": [serializers.message(item, url) for item in messages_of(conversation.id)],
    }


@customer_only
def resolve_conversation(request: HttpRequest, user: User, conversation_id: str) -> dict:
    conversation = conversation_of(user.tenant, conversation_id)
    actions.resolve(conversation)
    return serializers.conversation_summary(refreshed(conversation))


STATUS_FIELDS = {"status": String(max_length=10, choices=tuple(ConversationStatus.values))}


@customer_only
def update_status(request: HttpRequest, user: User, conversation_id: str) -> dict:
    conversation = conversation_of(user.tenant, conversation_id)
    body = validate_body(json_object(request), STATUS_FIELDS, required=("status",))
    actions.set_status(conversation, body["status"])
    return serializers.conversation_summary(refreshed(conversation))


ASSIGN_FIELDS = {"agentId": String(min_length=1, max_length=100)}


@customer_only
def assign_conversation(request: HttpRequest, user: User, conversation_id: str) -> dict:
    """Any agent of the workspace; an unknown agent or one of another workspace is a 404."""
    conversation = conversation_of(user.tenant, conversation_id)
    body = validate_body(json_object(request), ASSIGN_FIELDS, required=("agentId",))
    actions.assign(conversation, agent_of(user.tenant, body["agentId"]))
    return serializers.conversation_summary(refreshed(conversation))


@customer_only
def mark_read(request: HttpRequest, user: User, conversation_id: str) -> dict:
    conversation = conversation_of(user.tenant, conversation_id)
    return serializers.success(markedCount=actions.mark_read(conversation))


@customer_only
def delete_conversation(request: HttpRequest, user: User, conversation_id: str) -> dict:
    conversation_of(user.tenant, conversation_id).delete()
    return serializers.success()
