"""The Connextlive client (seeds/003): `ConnextliveClient(base_url, token)` with two resources.

    client = ConnextliveClient(base_url)
    login = client.login(email, password)
    client = client.with_token(login.token)
    for visitor in client.tenant.iter_visitors(is_online=True): ...

`tenant` holds the CUSTOMER-role endpoints, `agent` the AGENT-role ones; each resource only
describes endpoints (path, parameters, body, record), and the shared base does the rest. Creating
a client is cheap: every instance for a base URL shares the process's pooled connections.
Answers become records from `connextlive_records`; failures become errors from `errors`.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Self

import httpx

from dashboard.platforms.base import (
    UNSET,
    ClientOptions,
    PlatformHttp,
    Unset,
    given_fields,
    path_segment,
)
from dashboard.platforms.connextlive_records import (
    AgentConversationPage,
    AgentProfile,
    AgentRoster,
    ApiKey,
    ApiKeyList,
    ConversationDetail,
    ConversationPage,
    ConversationSummary,
    CreatedApiKey,
    Invitation,
    Login,
    MarkedRead,
    Message,
    MessagePage,
    Upload,
    Visitor,
    VisitorPage,
    Workspace,
    encode_domains,
)
from dashboard.platforms.pagination import iter_numbered_pages, iter_offset_pages
from dashboard.platforms.records import Record, read_record

__all__ = ["UNSET", "AgentResource", "ConnextliveClient", "TenantResource", "Upload"]


class _Resource:
    def __init__(self, http: PlatformHttp) -> None:
        self._http = http

    def _read[R: Record](self, record: type[R], method: str, path: str, **request: Any) -> R:
        """A call whose answer is one record, decoded straight from the answer's bytes."""
        return read_record(self._http, record, method, path, **request)

    def _send(self, method: str, path: str, **request: Any) -> None:
        """A call whose answer says no more than that it worked (`{"success": true}`)."""
        self._http.request(method, path, **request)


def _or_none(text: str | None) -> str | None:
    """An empty search box means no search."""
    return text or None


class TenantResource(_Resource):
    """/api/tenant/*: the workspace manager's endpoints (CUSTOMER role)."""

    # --- conversations ---

    def list_conversations(
        self,
        status: str | None = None,
        agent_id: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> ConversationPage:
        """`status`: ACTIVE | WAITING | CLOSED | all; `agent_id`: an agent's id or "all"."""
        params = {
            "status": status,
            "agentId": agent_id,
            "search": _or_none(search),
            "limit": limit,
            "offset": offset,
        }
        return self._read(ConversationPage, "GET", "/api/tenant/conversations", params=params)

    def iter_conversations(
        self,
        status: str | None = None,
        agent_id: str | None = None,
        search: str | None = None,
        page_size: int = 50,
    ) -> Iterator[ConversationSummary]:
        def fetch(offset: int, limit: int) -> ConversationPage:
            return self.list_conversations(status, agent_id, search, limit=limit, offset=offset)

        return iter_offset_pages(fetch, page_size)

    def get_conversation(self, conversation_id: str) -> ConversationDetail:
        path = f"/api/tenant/conversations/{path_segment(conversation_id)}"
        return self._read(ConversationDetail, "GET", path)

    def resolve_conversation(self, conversation_id: str) -> ConversationSummary:
        path = f"/api/tenant/conversations/{path_segment(conversation_id)}/resolve"
        return self._read(ConversationSummary, "POST", path, idempotent=True)

    def set_conversation_status(self, conversation_id: str, status: str) -> ConversationSummary:
        path = f"/api/tenant/conversations/{path_segment(conversation_id)}/status"
        return self._read(ConversationSummary, "PUT", path, json={"status": status})

    def assign_conversation(self, conversation_id: str, agent_id: str) -> ConversationSummary:
        path = f"/api/tenant/conversations/{path_segment(conversation_id)}/assign"
        return self._read(
            ConversationSummary, "POST", path, json={"agentId": agent_id}, idempotent=True
        )

    def mark_conversation_read(self, conversation_id: str) -> int:
        """Returns how many messages were newly marked as read."""
        path = f"/api/tenant/conversations/{path_segment(conversation_id)}/mark-read"
        return self._read(MarkedRead, "POST", path, idempotent=True).marked_count

    def delete_conversation(self, conversation_id: str) -> None:
        path = f"/api/tenant/conversations/{path_segment(conversation_id)}"
        self._send("DELETE", path)

    # --- visitors ---

    def list_visitors(
        self,
        search: str | None = None,
        is_online: bool | None = None,
        site_id: str | None = None,
        tags: Sequence[str] = (),
        page: int = 1,
        limit: int = 25,
    ) -> VisitorPage:
        """`limit` is capped at 100 by the platform; `stats` are global for the workspace."""
        params = {
            "search": _or_none(search),
            "isOnline": is_online,
            "siteId": site_id,
            "tags": list(tags),
            "page": page,
            "limit": limit,
        }
        return self._read(VisitorPage, "GET", "/api/tenant/visitors", params=params)

    def iter_visitors(
        self,
        search: str | None = None,
        is_online: bool | None = None,
        site_id: str | None = None,
        tags: Sequence[str] = (),
        page_size: int = 100,
    ) -> Iterator[Visitor]:
        def fetch(page: int, limit: int) -> VisitorPage:
            return self.list_visitors(search, is_online, site_id, tags, page=page, limit=limit)

        return iter_numbered_pages(fetch, page_size)

    def get_visitor(self, visitor_id: str) -> Visitor:
        path = f"/api/tenant/visitors/{path_segment(visitor_id)}"
        return self._read(Visitor, "GET", path)

    def update_visitor(
        self,
        visitor_id: str,
        *,
        user_name: str | Unset = UNSET,
        user_email: str | Unset = UNSET,
        user_phone: str | Unset = UNSET,
        tags: Iterable[str] | Unset = UNSET,
        notes: str | Unset = UNSET,
    ) -> Visitor:
        """Sends only the fields given; `tags` replaces the whole list."""
        body = given_fields(
            {
                "userName": user_name,
                "userEmail": user_email,
                "userPhone": user_phone,
                "tags": tags if tags is UNSET else list(tags),
                "notes": notes,
            }
        )
        path = f"/api/tenant/visitors/{path_segment(visitor_id)}"
        # PATCH of absolute values: sending it twice leaves the same visitor.
        return self._read(Visitor, "PATCH", path, json=body, idempotent=True)

    def delete_visitor(self, visitor_id: str) -> None:
        self._send("DELETE", f"/api/tenant/visitors/{path_segment(visitor_id)}")

    # --- agents ---

    def list_agents(self) -> AgentRoster:
        return self._read(AgentRoster, "GET", "/api/tenant/agents")

    def invite_agent(self, name: str, email: str) -> Invitation:
        """Creates an invitation and sends its email: never retried once it may have arrived."""
        body = {"name": name, "email": email}
        return self._read(Invitation, "POST", "/api/tenant/agents", json=body)

    # --- workspace ---

    def get_workspace(self) -> Workspace:
        return self._read(Workspace, "GET", "/api/tenant/workspace")

    def update_workspace(
        self,
        *,
        name: str | Unset = UNSET,
        company_name: str | Unset = UNSET,
        contact_email: str | Unset = UNSET,
        language: str | Unset = UNSET,
        timezone: str | Unset = UNSET,
        settings: dict[str, Any] | Unset = UNSET,
    ) -> Workspace:
        """Sends only the keys given; the platform deep-merges `settings`."""
        body = given_fields(
            {
                "name": name,
                "companyName": company_name,
                "contactEmail": contact_email,
                "language": language,
                "timezone": timezone,
                "settings": settings,
            }
        )
        return self._read(Workspace, "PUT", "/api/tenant/workspace", json=body)

    # --- API keys ---

    def list_api_keys(self) -> list[ApiKey]:
        return self._read(ApiKeyList, "GET", "/api/tenant/api-keys").items

    def create_api_key(
        self, name: str, domains: Sequence[str], status: str = "ACTIVE"
    ) -> CreatedApiKey:
        """The answer holds the plain key, once; show it and store it nowhere."""
        # seeds/003: `domains` is a string holding a JSON array, not an array.
        body = {"name": name, "domains": encode_domains(list(domains)), "status": status}
        return self._read(CreatedApiKey, "POST", "/api/tenant/api-keys", json=body)

    def delete_api_key(self, key_id: str) -> None:
        self._send("DELETE", f"/api/tenant/api-keys/{path_segment(key_id)}")


class AgentResource(_Resource):
    """/api/agent/*: an agent's endpoints (AGENT role)."""

    def profile(self) -> AgentProfile:
        return self._read(AgentProfile, "GET", "/api/agent/profile")

    # --- conversations ---

    def list_conversations(
        self,
        statuses: Iterable[str] = (),
        search: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> AgentConversationPage:
        """`statuses`: any of active, waiting, closed; `limit` 1-50 (the platform caps it)."""
        status = ",".join(s.lower() for s in statuses) or None
        params = {"status": status, "search": _or_none(search), "limit": limit, "offset": offset}
        return self._read(AgentConversationPage, "GET", "/api/agent/conversations", params=params)

    def iter_conversations(
        self, statuses: Iterable[str] = (), search: str | None = None, page_size: int = 50
    ) -> Iterator[ConversationSummary]:
        statuses = tuple(statuses)

        def fetch(offset: int, limit: int) -> AgentConversationPage:
            return self.list_conversations(statuses, search, limit=limit, offset=offset)

        return iter_offset_pages(fetch, page_size)

    def get_conversation(self, conversation_id: str) -> ConversationDetail:
        path = f"/api/agent/conversations/{path_segment(conversation_id)}"
        return self._read(ConversationDetail, "GET", path)

    def list_messages(self, conversation_id: str, page: int = 1, limit: int = 50) -> MessagePage:
        """Oldest first; `limit` is capped at 100 by the platform."""
        path = f"/api/agent/conversations/{path_segment(conversation_id)}/messages"
        params = {"page": page, "limit": limit}
        return self._read(MessagePage, "GET", path, params=params)

    def iter_messages(self, conversation_id: str, page_size: int = 100) -> Iterator[Message]:
        def fetch(page: int, limit: int) -> MessagePage:
            return self.list_messages(conversation_id, page=page, limit=limit)

        return iter_numbered_pages(fetch, page_size)

    def send_message(
        self, conversation_id: str, content: str = "", attachments: Sequence[Upload] = ()
    ) -> Message:
        """JSON for text; multipart when there are files (the platform takes up to 5, 10 MB each).

        Also claims the conversation and sets it ACTIVE. Never retried once it may have arrived:
        a retry could send the visitor the same message twice.
        """
        path = f"/api/agent/conversations/{path_segment(conversation_id)}/messages"
        if not attachments:
            return self._read(Message, "POST", path, json={"content": content})
        files = [
            ("attachments", (upload.filename, upload.content, upload.content_type))
            for upload in attachments
        ]
        return self._read(Message, "POST", path, data={"content": content}, files=files)

    def resolve_conversation(self, conversation_id: str) -> ConversationSummary:
        path = f"/api/agent/conversations/{path_segment(conversation_id)}/resolve"
        return self._read(ConversationSummary, "POST", path, idempotent=True)

    def assign_conversation(self, conversation_id: str, agent_id: str) -> ConversationSummary:
        """Only the currently assigned agent may transfer (else PlatformForbidden)."""
        path = f"/api/agent/conversations/{path_segment(conversation_id)}/assign"
        return self._read(
            ConversationSummary, "POST", path, json={"agentId": agent_id}, idempotent=True
        )

    def mark_conversation_read(self, conversation_id: str) -> int:
        path = f"/api/agent/conversations/{path_segment(conversation_id)}/mark-read"
        return self._read(MarkedRead, "POST", path, idempotent=True).marked_count

    # --- visitors ---

    def list_visitors(
        self,
        search: str | None = None,
        is_online: bool | None = None,
        page: int = 1,
        limit: int = 25,
    ) -> VisitorPage:
        params = {"search": _or_none(search), "isOnline": is_online, "page": page, "limit": limit}
        return self._read(VisitorPage, "GET", "/api/agent/visitors", params=params)

    def iter_visitors(
        self, search: str | None = None, is_online: bool | None = None, page_size: int = 100
    ) -> Iterator[Visitor]:
        def fetch(page: int, limit: int) -> VisitorPage:
            return self.list_visitors(search, is_online, page=page, limit=limit)

        return iter_numbered_pages(fetch, page_size)

    def get_visitor(self, visitor_id: str) -> Visitor:
        return self._read(Visitor, "GET", f"/api/agent/visitors/{path_segment(visitor_id)}")


class ConnextliveClient:
    """A Connextlive API client for one base URL and (optionally) one user's token."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        options: ClientOptions | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        extra = {"sleep": sleep} if sleep is not None else {}
        self._bind(
            PlatformHttp(base_url, token=token, options=options, transport=transport, **extra)
        )

    def _bind(self, http: PlatformHttp) -> None:
        self._http = http
        self.tenant = TenantResource(http)
        self.agent = AgentResource(http)

    @classmethod
    def _from_http(cls, http: PlatformHttp) -> Self:
        client = cls.__new__(cls)
        client._bind(http)
        return client

    @classmethod
    def from_settings(cls, token: str | None = None) -> Self:
        """The client for Django's `PLATFORM_URL` with the PLATFORM_* timeouts and retries."""
        from django.conf import settings

        return cls(settings.PLATFORM_URL, token)

    def __repr__(self) -> str:
        return (
            f"ConnextliveClient({self._http.base_url!r}, token={'set' if self.has_token else None})"
        )

    @property
    def base_url(self) -> str:
        return self._http.base_url

    @property
    def has_token(self) -> bool:
        return self._http.has_token

    def close(self) -> None:
        """Release a client built on its own `transport`; pooled clients need no closing."""
        self._http.close()

    def with_token(self, token: str | None) -> Self:
        return self._from_http(self._http.with_token(token))

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        max_retries: int | None = None,
        retry_after_cap: float | None = None,
    ) -> Self:
        """A copy with other timeouts or retries, sharing the same connections."""
        return self._from_http(
            self._http.with_options(
                timeout=timeout,
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                max_retries=max_retries,
                retry_after_cap=retry_after_cap,
            )
        )

    def login(self, email: str, password: str) -> Login:
        """POST /api/auth/login: a JWT valid 7 days. Wrong credentials: PlatformUnauthorized."""
        body = {"email": email, "password": password}
        anonymous = self._http.with_token(None)
        return read_record(anonymous, Login, "POST", "/api/auth/login", json=body)
