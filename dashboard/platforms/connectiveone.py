"""The ConnectiveOne (formerly Kwizbot) client (seeds/000, platforms.md; the wire shapes in
sandbox/README.md, "ConnectiveOne wire shapes").

    client = ConnectiveOneClient(base_url, ApiKeyAuth(key))           # Authorization: API-Key
    client = ConnectiveOneClient(base_url, ExternalTokenAuth(token))  # x-auth-token
    client = ConnectiveOneClient.signed_in(base_url, email, password) # Bearer JWT, refreshed
    client.call_node(bot_id=1, channel="telegram", chat_id="567890",
                     data={"message": "Your order is ready!"}, connector_alias="entry_point_alias")
    for room in client.iter_chat_rooms(created_after=..., created_before=...): ...

Built on the shared base (`base.PlatformHttp`): pooled connections, timeouts, safe retries and
typed errors. Only the credential header differs from Connextlive's: `_CredentialHttp`
overrides the base's `auth_headers()` hook.
"""

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Self

import httpx

from dashboard.platforms.base import ClientOptions, PlatformHttp, parse_answer, path_segment
from dashboard.platforms.connextlive_records import parse_datetime
from dashboard.platforms.errors import PlatformUnauthorized
from dashboard.platforms.pagination import iter_offset_pages

__all__ = [
    "ApiKeyAuth",
    "BearerAuth",
    "ChatRoom",
    "ChatRoomPage",
    "ConnectiveOneClient",
    "ExternalTokenAuth",
    "Login",
    "Ticket",
    "TicketPage",
]

DEFAULT_PAGE_SIZE = 10  # doc
MAX_PAGE_SIZE = 100  # the sandbox caps larger pages (guess)


# --- credentials ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApiKeyAuth:
    """`Authorization: API-Key <key>` (doc)."""

    key: str = field(repr=False)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"API-Key {self.key}"}


@dataclass(frozen=True, slots=True)
class ExternalTokenAuth:
    """`x-auth-token: <token>`, the external token broadcasts use (doc)."""

    token: str = field(repr=False)

    def headers(self) -> dict[str, str]:
        return {"x-auth-token": self.token}


class BearerAuth:
    """`Authorization: Bearer <JWT>` from login; when the platform answers 401 the token is
    refreshed once (or the login repeated) and the call sent again: a 401 was not carried out."""

    def __init__(self, login: Callable[[], "Login"], refresh: Callable[[str], "Login"]) -> None:
        self._login = login
        self._refresh = refresh
        self._lock = threading.Lock()
        self._current: Login | None = None

    def __repr__(self) -> str:
        return "BearerAuth(token=set)" if self._current else "BearerAuth(token=None)"

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._session().token}"}

    def _session(self) -> "Login":
        with self._lock:
            if self._current is None:
                self._current = self._login()
            return self._current

    def renew(self, failed_token: str) -> None:
        """Replace the token that was refused (unless another thread already did)."""
        with self._lock:
            if self._current is None or self._current.token != failed_token:
                return
            try:
                self._current = self._refresh(self._current.refresh_token)
            except PlatformUnauthorized:
                self._current = self._login()

    @property
    def token(self) -> str:
        return self._session().token


type Credentials = ApiKeyAuth | ExternalTokenAuth | BearerAuth


class _CredentialHttp(PlatformHttp):
    """The shared base with ConnectiveOne's credential header (API-Key, Bearer or x-auth-token)
    in place of Connextlive's Bearer token."""

    def __init__(self, base_url: str, credentials: Credentials | None, **kwargs: Any) -> None:
        super().__init__(base_url, **kwargs)
        self.credentials = credentials

    def auth_headers(self) -> dict[str, str]:
        return self.credentials.headers() if self.credentials else {}


# --- records ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Login:
    token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int = 0
    operator_name: str = ""
    operator_email: str = ""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        user = data.get("user") if isinstance(data.get("user"), dict) else {}
        return cls(
            token=str(data["token"]),
            refresh_token=str(data.get("refreshToken") or ""),
            expires_in=int(data.get("expiresIn") or 0),
            operator_name=str(user.get("name") or ""),
            operator_email=str(user.get("email") or ""),
        )


@dataclass(frozen=True, slots=True)
class OperatorRef:
    id: int
    name: str = ""
    email: str = ""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            id=int(data["id"]), name=str(data.get("name") or ""), email=str(data.get("email") or "")
        )


@dataclass(frozen=True, slots=True)
class ChatRoom:
    """An OpChatRoom: one person's chat with a bot on one channel."""

    id: int
    bot_id: int
    chat_id: str
    channel: str
    status: str = ""
    user_name: str | None = None
    phone: str | None = None
    operator_id: int | None = None
    operator: OperatorRef | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        operator = data.get("operator")
        return cls(
            id=int(data["id"]),
            bot_id=int(data["botId"]),
            chat_id=str(data["chatId"]),
            channel=str(data["channel"]),
            status=str(data.get("status") or ""),
            user_name=_optional_text(data.get("userName")),
            phone=_optional_text(data.get("phone")),
            operator_id=_optional_int(data.get("operatorId")),
            operator=OperatorRef.from_api(operator) if isinstance(operator, dict) else None,
            created_at=parse_datetime(data.get("createdAt")),
            updated_at=parse_datetime(data.get("updatedAt")),
        )


@dataclass(frozen=True, slots=True)
class Ticket:
    id: int
    chat_room_id: int
    subject: str = ""
    status: str = ""
    priority: str = ""
    operator_id: int | None = None
    chat_room: ChatRoom | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        room = data.get("chatRoom")
        return cls(
            id=int(data["id"]),
            chat_room_id=int(data["chatRoomId"]),
            subject=str(data.get("subject") or ""),
            status=str(data.get("status") or ""),
            priority=str(data.get("priority") or ""),
            operator_id=_optional_int(data.get("operatorId")),
            chat_room=ChatRoom.from_api(room) if isinstance(room, dict) else None,
            created_at=parse_datetime(data.get("createdAt")),
            updated_at=parse_datetime(data.get("updatedAt")),
        )


@dataclass(frozen=True, slots=True)
class ChatRoomPage:
    items: list[ChatRoom]
    total: int

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        return cls(items=[ChatRoom.from_api(row) for row in data["rows"]], total=int(data["count"]))


@dataclass(frozen=True, slots=True)
class TicketPage:
    items: list[Ticket]
    total: int

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        return cls(items=[Ticket.from_api(row) for row in data["rows"]], total=int(data["count"]))


def _optional_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _message(payload: Mapping[str, Any]) -> str:
    """A success answer `{"status": "success", "message": ...}`; anything else is malformed."""
    if payload.get("status") != "success":
        raise ValueError("not a success answer")
    return str(payload.get("message") or "")


def iso_utc(moment: datetime) -> str:
    """The filter's spelling (doc example): `2024-12-01T00:00:00.000Z`."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# --- the client -------------------------------------------------------------------------------


class ConnectiveOneClient:
    """A ConnectiveOne API client for one instance's base URL and one credential."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials | None = None,
        *,
        options: ClientOptions | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = _CredentialHttp(base_url, credentials, options=options, transport=transport)

    @classmethod
    def signed_in(
        cls,
        base_url: str,
        email: str,
        password: str,
        *,
        options: ClientOptions | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> Self:
        """A client that logs in with the operator's email and password on first use and renews
        its Bearer token when the platform refuses it."""
        anonymous = cls(base_url, options=options, transport=transport)
        auth = BearerAuth(login=lambda: anonymous.login(email, password), refresh=anonymous.refresh)
        client = cls(base_url, auth, options=options, transport=transport)
        return client

    def __repr__(self) -> str:
        return f"ConnectiveOneClient({self._http.base_url!r}, {self._http.credentials!r})"

    @property
    def base_url(self) -> str:
        return self._http.base_url

    def with_options(self, **changes: Any) -> Self:
        """A copy with other timeouts or retries (see `ClientOptions.with_changes`)."""
        clone = self.__class__.__new__(self.__class__)
        clone._http = self._http.with_options(**changes)
        return clone

    def close(self) -> None:
        self._http.close()

    def _call[T](self, parse: Callable[[Any], T], method: str, path: str, **request: Any) -> T:
        credentials = self._http.credentials
        sent = credentials.token if isinstance(credentials, BearerAuth) else ""
        try:
            payload = self._http.request(method, path, **request)
        except PlatformUnauthorized:
            if not isinstance(credentials, BearerAuth):
                raise
            # The token expired or was ended: renew it and send once more (a 401 did nothing).
            credentials.renew(sent)
            payload = self._http.request(method, path, **request)
        return parse_answer(parse, payload, method=method, path=path)

    # --- authentication ---

    def login(self, email: str, password: str) -> Login:
        """POST /kw/api/v1/auth/login (path: guess). Wrong credentials: PlatformUnauthorized."""
        body = {"email": email, "password": password}
        return self._call(Login.from_api, "POST", "/kw/api/v1/auth/login", json=body)

    def refresh(self, refresh_token: str) -> Login:
        body = {"refreshToken": refresh_token}
        return self._call(Login.from_api, "POST", "/kw/api/v1/auth/refresh", json=body)

    def logout(self, refresh_token: str | None = None) -> None:
        body = {"refreshToken": refresh_token} if refresh_token else {}
        self._call(_message, "POST", "/kw/api/v1/auth/logout", json=body, idempotent=True)

    # --- sending ---

    def call_node(
        self,
        *,
        bot_id: int,
        channel: str,
        chat_id: str,
        data: Mapping[str, Any],
        connector_alias: str | None = None,
        node_id: int | None = None,
    ) -> str:
        """Run a bot scenario for one chat (doc). With `connector_alias` the JSON-body form is
        used, with `node_id` the path form. Never retried once it may have arrived: the person
        would get the message twice. Returns the platform's message."""
        if (connector_alias is None) == (node_id is None):
            raise ValueError("give exactly one of connector_alias and node_id")
        if node_id is not None:
            path = "/kw/api/call_node/" + "/".join(
                path_segment(str(part)) for part in (bot_id, node_id, channel, chat_id)
            )
            return self._call(_message, "POST", path, json=dict(data))
        body = {
            "bot_id": bot_id,
            "connector_alias": connector_alias,
            "channel": channel,
            "chat_id": chat_id,
            "data": dict(data),
        }
        return self._call(_message, "POST", "/kw/api/call_node/", json=body)

    def broadcast_to_phone(self, *, phone: str, bot_id: int, template_id: int) -> str:
        """POST /kw/api/broadcast/route (doc; needs x-auth-token). `phone` in international
        format without `+`."""
        body = {"phone": phone.lstrip("+"), "bot_id": bot_id, "template_id": template_id}
        return self._call(_message, "POST", "/kw/api/broadcast/route", json=body)

    # --- lists ---

    def list_chat_rooms(
        self,
        *,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        status: str | None = None,
        order: str = "desc",
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        include: Sequence[str] = (),
    ) -> ChatRoomPage:
        params = _list_params(created_after, created_before, status, order, limit, offset, include)
        return self._call(
            ChatRoomPage.from_api, "GET", "/kw/api/v1/OpChatRooms/list", params=params
        )

    def iter_chat_rooms(
        self,
        *,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        status: str | None = None,
        order: str = "asc",
        include: Sequence[str] = (),
        page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[ChatRoom]:
        """Every chat room matching, oldest first by default: new chats created while walking
        land at the end instead of shifting the pages already read."""

        def fetch(offset: int, limit: int) -> ChatRoomPage:
            return self.list_chat_rooms(
                created_after=created_after,
                created_before=created_before,
                status=status,
                order=order,
                limit=limit,
                offset=offset,
                include=include,
            )

        return iter_offset_pages(fetch, page_size)

    def list_tickets(
        self,
        *,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        status: str | None = None,
        order: str = "desc",
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        include: Sequence[str] = (),
    ) -> TicketPage:
        params = _list_params(created_after, created_before, status, order, limit, offset, include)
        return self._call(TicketPage.from_api, "GET", "/kw/api/v1/Ticket/list", params=params)

    def iter_tickets(
        self,
        *,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        status: str | None = None,
        order: str = "asc",
        include: Sequence[str] = (),
        page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[Ticket]:
        def fetch(offset: int, limit: int) -> TicketPage:
            return self.list_tickets(
                created_after=created_after,
                created_before=created_before,
                status=status,
                order=order,
                limit=limit,
                offset=offset,
                include=include,
            )

        return iter_offset_pages(fetch, page_size)


def _list_params(
    created_after: datetime | None,
    created_before: datetime | None,
    status: str | None,
    order: str,
    limit: int,
    offset: int,
    include: Sequence[str],
) -> dict[str, Any]:
    return {
        "filter[createdAt][gt]": iso_utc(created_after) if created_after else None,
        "filter[createdAt][lt]": iso_utc(created_before) if created_before else None,
        "filter[status]": status,
        "order[createdAt]": order,
        "limit": limit,
        "offset": offset,
        "include": ",".join(include) or None,
    }
