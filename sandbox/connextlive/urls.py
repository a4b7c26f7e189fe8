"""Connextlive's paths, exactly as seeds/003 writes them, under /connextlive."""

from django.urls import path

from sandbox.connextlive.http import endpoint
from sandbox.connextlive.views import agent, agents, api_keys, auth, files, visitors, workspace
from sandbox.connextlive.views import tenant_conversations as conversations

urlpatterns = [
    path("api/auth/login", endpoint(POST=auth.login)),
    # Tenant — Conversations
    path("api/tenant/conversations", endpoint(GET=conversations.list_conversations)),
    path(
        "api/tenant/conversations/<str:conversation_id>",
        endpoint(GET=conversations.get_conversation, DELETE=conversations.delete_conversation),
    ),
    path(
        "api/tenant/conversations/<str:conversation_id>/resolve",
        endpoint(POST=conversations.resolve_conversation),
    ),
    path(
        "api/tenant/conversations/<str:conversation_id>/status",
        endpoint(PUT=conversations.update_status),
    ),
    path(
        "api/tenant/conversations/<str:conversation_id>/assign",
        endpoint(POST=conversations.assign_conversation),
    ),
    path(
        "api/tenant/conversations/<str:conversation_id>/mark-read",
        endpoint(POST=conversations.mark_read),
    ),
    # Tenant — Visitors
    path("api/tenant/visitors", endpoint(GET=visitors.list_visitors)),
    path(
        "api/tenant/visitors/<str:visitor_id>",
        endpoint(
            GET=visitors.get_visitor, PATCH=visitors.update_visitor, DELETE=visitors.delete_visitor
        ),
    ),
    # Tenant — Agents, Workspace, API Keys
    path("api/tenant/agents", endpoint(GET=agents.list_agents, POST=agents.invite_agent)),
    path(
        "api/tenant/workspace",
        endpoint(GET=workspace.get_workspace, PUT=workspace.update_workspace),
    ),
    path(
        "api/tenant/api-keys",
        endpoint(GET=api_keys.list_api_keys, POST=api_keys.create_api_key),
    ),
    path("api/tenant/api-keys/<str:key_id>", endpoint(DELETE=api_keys.delete_api_key)),
    # Agent
    path("api/agent/profile", endpoint(GET=agent.profile)),
    path("api/agent/conversations", endpoint(GET=agent.list_conversations)),
    path("api/agent/conversations/<str:conversation_id>", endpoint(GET=agent.get_conversation)),
    path(
        "api/agent/conversations/<str:conversation_id>/messages",
        endpoint(GET=agent.list_messages, POST=agent.send_message),
    ),
    path(
        "api/agent/conversations/<str:conversation_id>/resolve",
        endpoint(POST=agent.resolve_conversation),
    ),
    path(
        "api/agent/conversations/<str:conversation_id>/assign",
        endpoint(POST=agent.transfer_conversation),
    ),
    path(
        "api/agent/conversations/<str:conversation_id>/mark-read",
        endpoint(POST=agent.mark_read),
    ),
    path("api/agent/visitors", endpoint(GET=visitors.agent_list_visitors)),
    path("api/agent/visitors/<str:visitor_id>", endpoint(GET=visitors.agent_get_visitor)),
    # Not in the document: where the sandbox serves attachments.
    path("files/<str:attachment_id>/<str:file_name>", endpoint(GET=files.download)),
]
