"""Naxon's endpoints (seeds/001): models (list, one), a model's conversations, all
conversations, one conversation, its messages. Every one needs the `apiToken` (doc)."""

from typing import Any

from django.http import HttpRequest

from sandbox.naxon import queries, serializers
from sandbox.naxon.auth import authenticate
from sandbox.naxon.http import ApiError, paging, platform_user, record_id, window


def list_models(request: HttpRequest) -> dict[str, Any]:
    authenticate(request)
    pages, within = paging(request), window(request, sortable=False)
    rows, total = queries.models(within, pages)
    return serializers.page(
        [serializers.model(row) for row in rows], pages.page, pages.per_page, total
    )


def get_model(request: HttpRequest, model_id: str) -> dict[str, Any]:
    authenticate(request)
    return serializers.model(_model(model_id))


def list_model_conversations(request: HttpRequest, model_id: str) -> dict[str, Any]:
    authenticate(request)
    pages, within = paging(request), window(request, sortable=True)
    found = _model(model_id)
    rows, total = queries.conversations(within, pages, found.id, platform_user(request))
    return _conversation_page(rows, total, pages.page, pages.per_page)


def list_conversations(request: HttpRequest) -> dict[str, Any]:
    authenticate(request)
    pages, within = paging(request), window(request, sortable=True)
    rows, total = queries.conversations(within, pages, platform_user_id=platform_user(request))
    return _conversation_page(rows, total, pages.page, pages.per_page)


def get_conversation(request: HttpRequest, conversation_id: str) -> dict[str, Any]:
    authenticate(request)
    row = _conversation(conversation_id)
    return serializers.conversation(row, queries.recent_messages([row.id]).get(row.id, []))


def list_messages(request: HttpRequest, conversation_id: str) -> dict[str, Any]:
    authenticate(request)
    pages = paging(request)
    row = _conversation(conversation_id)
    rows, total = queries.messages(row.id, pages)
    return serializers.page(
        [serializers.message(item) for item in rows], pages.page, pages.per_page, total
    )


def _model(raw_id: str) -> queries.ModelRow:
    found = queries.model(record_id(raw_id, "model_id"))
    if found is None:
        raise ApiError(404, "Model not found")
    return found


def _conversation(raw_id: str) -> queries.ConversationRow:
    found = queries.conversation(record_id(raw_id, "conversation_id"))
    if found is None:
        raise ApiError(404, "Conversation not found")
    return found


def _conversation_page(
    rows: list[queries.ConversationRow], total: int, number: int, per_page: int
) -> dict[str, Any]:
    recent = queries.recent_messages([row.id for row in rows])
    data = [serializers.conversation(row, recent.get(row.id, [])) for row in rows]
    return serializers.page(data, number, per_page, total)
