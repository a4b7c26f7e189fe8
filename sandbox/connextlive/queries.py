"""Reads shared by the tenant and agent APIs. Every lookup is scoped to one tenant: an id of
another workspace is simply not found (404), never forbidden, so ids do not leak."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from sandbox.connextlive.http import not_found
from sandbox.connextlive.ids import new_id
from sandbox.connextlive.models import (
    Attachment,
    Conversation,
    ConversationStatus,
    Message,
    Role,
    SenderType,
    Tenant,
    User,
    Visitor,
    Workspace,
)
from sandbox.state import STATE

LANGUAGES = ("en", "tr", "de", "es")


def default_workspace_settings() -> dict:
    return {
        "notifications": {
            "visitorSound": True,
            "agentSound": True,
            "emailOnNewConversation": True,
            "emailDigest": False,
        },
        "widget": {
            "primaryColor": "#2563eb",
            "position": "bottom-right",
            "greeting": "Hi! How can we help you today?",
            "showAgentAvatar": True,
            "offlineMessage": "We're offline right now. Leave us a message.",
        },
    }


def workspace_of(tenant: Tenant) -> Workspace:
    """The tenant's workspace, created with defaults on first use (documented behaviour)."""
    existing = Workspace.objects.filter(tenant=tenant).first()
    if existing is not None:
        return existing
    now = STATE.now()
    owner_email = (
        User.objects.filter(tenant=tenant, role=Role.CUSTOMER)
        .order_by("created_at")
        .values_list("email", flat=True)
        .first()
    )
    workspace, _ = Workspace.objects.get_or_create(
        tenant=tenant,
        defaults={
            "id": new_id("wsp", now),
            "name": tenant.name,
            "company_name": tenant.name,
            "contact_email": owner_email,
            "language": "en",
            "timezone": "UTC",
            "settings": default_workspace_settings(),
            "created_at": now,
            "updated_at": now,
        },
    )
    return workspace


def _unread_visitor_messages() -> Q:
    return Q(sender_type=SenderType.VISITOR, is_read=False)


def with_summary_figures(conversations: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """Adds what a ConversationSummary shows besides its own columns: counts and last message."""
    messages = Message.objects.filter(conversation=OuterRef("pk"))
    last = messages.order_by("-created_at", "-id")

    def count_of(queryset: QuerySet[Message]) -> Coalesce:
        counted = queryset.order_by().values("conversation").annotate(n=Count("id")).values("n")
        return Coalesce(Subquery(counted), Value(0))

    return conversations.select_related("visitor", "agent").annotate(
        message_count=count_of(messages),
        unread_count=count_of(messages.filter(_unread_visitor_messages())),
        last_message_content=Subquery(last.values("content")[:1]),
        last_message_sender_type=Subquery(last.values("sender_type")[:1]),
        last_message_at=Subquery(last.values("created_at")[:1]),
    )


def conversation_of(tenant: Tenant, conversation_id: str) -> Conversation:
    conversation = (
        with_summary_figures(Conversation.objects.filter(tenant=tenant, id=conversation_id))
        .select_related("tenant")
        .first()
    )
    if conversation is None:
        raise not_found("Conversation")
    return conversation


def refreshed(conversation: Conversation) -> Conversation:
    """The conversation read again with its summary figures, after a change."""
    return conversation_of(conversation.tenant, conversation.id)


def with_visitor_details(visitors: QuerySet[Visitor]) -> QuerySet[Visitor]:
    return visitors.select_related("site").prefetch_related("tag_rows")


def visitor_of(tenant: Tenant, visitor_id: str) -> Visitor:
    found = with_visitor_details(Visitor.objects.filter(tenant=tenant, id=visitor_id)).first()
    if found is None:
        raise not_found("Visitor")
    return found


def agent_of(tenant: Tenant, agent_id: object) -> User:
    if not isinstance(agent_id, str):
        raise not_found("Agent")
    found = User.objects.filter(tenant=tenant, id=agent_id, role=Role.AGENT).first()
    if found is None:
        raise not_found("Agent")
    return found


def messages_of(conversation: Conversation) -> QuerySet[Message]:
    """Oldest first, with attachment metadata (the file bytes stay in the database)."""
    return (
        Message.objects.filter(conversation=conversation)
        .order_by("created_at", "id")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.defer("data").order_by("id"))
        )
    )


def unread_total(tenant: Tenant) -> int:
    """Unread visitor messages across the whole workspace."""
    return Message.objects.filter(_unread_visitor_messages(), conversation__tenant=tenant).count()


def _count_by_status() -> dict[str, Count]:
    return {
        status.lower(): Count("id", filter=Q(status=status)) for status in ConversationStatus.values
    }


def status_counts(tenant: Tenant) -> dict[str, int]:
    """`{"active", "waiting", "closed"}` over all of the tenant's conversations."""
    return Conversation.objects.filter(tenant=tenant).aggregate(**_count_by_status())


@dataclass(frozen=True)
class AgentFigures:
    agent: User
    by_status: dict[str, int]
    unread: int


def agent_figures(tenant: Tenant) -> list[AgentFigures]:
    """Per agent of the workspace: their conversations by status and unread visitor messages."""
    agents = User.objects.filter(tenant=tenant, role=Role.AGENT).order_by("name", "id")
    by_agent = {
        row.pop("agent_id"): row
        for row in Conversation.objects.filter(tenant=tenant, agent__isnull=False)
        .values("agent_id")
        .annotate(total=Count("id"), **_count_by_status())
    }
    unread_by_agent = dict(
        Message.objects.filter(
            _unread_visitor_messages(),
            conversation__tenant=tenant,
            conversation__agent__isnull=False,
        )
        .values("conversation__agent_id")
        .annotate(n=Count("id"))
        .values_list("conversation__agent_id", "n")
    )
    return [
        AgentFigures(agent, by_agent.get(agent.id, {}), unread_by_agent.get(agent.id, 0))
        for agent in agents
    ]


def unread_visitor_messages_in(conversation: Conversation) -> QuerySet[Message]:
    return Message.objects.filter(_unread_visitor_messages(), conversation=conversation)
