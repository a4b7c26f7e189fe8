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
from typing import Any, Literal, Self

import httpx
import msgspec

from dashboard.platforms.base import ClientOptions, PlatformHttp, path_segment
from dashboard.platforms.errors import PlatformUnauthorized
from dashboard.platforms.pagination import iter_offset_pages
from dashboard.platforms.records import Moment, Record, read_record

__all__ = [
    "ApiKeyAuth",
    "BearerAuth",
    "ChatRoom",
    "ChatRoomPage",
    "ConnectiveOneClient",
    "Done",
    "ExternalTokenAuth",
    "Login",
    "Bot",
    "Operator",
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
# The shapes are the sandbox's (sandbox/README.md, "ConnectiveOne wire shapes"; guess, as the
# document gives none), read as `records.Record` reads every platform's: `X | None` only where the
# shape lets the platform send null, a null anywhere else a malformed answer.


class Operator(Record, frozen=True, kw_only=True):
    id: int
    name: str = ""
    email: str = ""
    role: str = ""


class Login(Record, frozen=True, kw_only=True):
    """Login and refresh: an access token, the refresh token that renews it, and who signed in."""

    token: str
    refresh_token: str = ""
    expires_in: int = 0  # seconds
    user: Operator

    def __repr__(self) -> str:  # the tokens stay out of logs and tracebacks
        return f"Login(token=<hidden>, refresh_token=<hidden>, user={self.user!r})"


class Bot(Record, frozen=True, kw_only=True):
    id: int
    name: str = ""


class ChatRoom(Record, frozen=True, kw_only=True):
    """An OpChatRoom: one person's chat with a bot on one channel."""

    id: int
    bot_id: int
    chat_id: str
    channel: str
    status: str = ""
    user_name: str | None = None
    phone: str | None = None  # international, digits only
    email: str | None = None  # what the person gave the bot, if anything
    operator_id: int | None = None  # None: no operator took the chat
    # With `include=operator`: the operator, or null when none took it; None too without it.
    operator: Operator | None = None
    bot: Bot | None = None  # `include=bot`
    tickets: "list[Ticket] | None" = None  # `include=tickets`; None: not asked for
    created_at: Moment
    updated_at: Moment


class Ticket(Record, frozen=True, kw_only=True):
    id: int
    chat_room_id: int
    subject: str = ""
    status: str = ""
    priority: str = ""
    operator_id: int | None = None
    chat_room: ChatRoom | None = None  # None: not asked for (`include=chatRoom` sends it)
    operator: Operator | None = None  # `include=operator`
    created_at: Moment
    updated_at: Moment


class ChatRoomPage(Record, frozen=True, kw_only=True):
    items: list[ChatRoom] = msgspec.field(name="rows")
    total: int = msgspec.field(name="count")  # every row the filters match


class TicketPage(Record, frozen=True, kw_only=True):
    items: list[Ticket] = msgspec.field(name="rows")
    total: int = msgspec.field(name="count")


class Done(Record, frozen=True, kw_only=True):
    """A success answer `{"status": "success", "message": ...}`; any other status is malformed."""

    status: Literal["success"]
    message: str = ""


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

    def _read[R: Record](self, record: type[R], method: str, path: str, **request: Any) -> R:
        """A call whose answer is one record, decoded straight from the answer's bytes."""
        credentials = self._http.credentials
        sent = credentials.token if isinstance(credentials, BearerAuth) else ""
        try:
            return read_record(self._http, record, method, path, **request)
        except PlatformUnauthorized:
            if not isinstance(credentials, BearerAuth):
                raise
            # The token expired or was ended: renew it and send once more (a 401 did nothing).
            credentials.renew(sent)
            return read_record(self._http, record, method, path, **request)

    # --- authentication ---

    def login(self, email: str, password: str) -> Login:
        """POST /kw/api/v1/auth/login (path: guess). Wrong credentials: PlatformUnauthorized."""
        body = {"email": email, "password": password}
        return self._read(Login, "POST", "/kw/api/v1/auth/login", json=body)

    def refresh(self, refresh_token: str) -> Login:
        body = {"refreshToken": refresh_token}
        return self._read(Login, "POST", "/kw/api/v1/auth/refresh", json=body)

    def logout(self, refresh_token: str | None = None) -> None:
        body = {"refreshToken": refresh_token} if refresh_token else {}
        self._read(Done, "POST", "/kw/api/v1/auth/logout", json=body, idempotent=True)

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
            return self._read(Done, "POST", path, json=dict(data)).message
        body = {
            "bot_id": bot_id,
            "connector_alias": connector_alias,
            "channel": channel,
            "chat_id": chat_id,
            "data": dict(data),
        }
        return self._read(Done, "POST", "/kw/api/call_node/", json=body).message

    def broadcast_to_phone(self, *, phone: str, bot_id: int, template_id: int) -> str:
        """POST /kw/api/broadcast/route (doc; needs x-auth-token). `phone` in international
        format without `+`."""
        body = {"phone": phone.lstrip("+"), "bot_id": bot_id, "template_id": template_id}
        return self._read(Done, "POST", "/kw/api/broadcast/route", json=body).message

    # --- lists ---

    def list_chat_rooms(
        self,
        *,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        status: str | None = None,
        operator_id: int | None = None,
        phone: str | None = None,
        email: str | None = None,
        order: str = "desc",
        sort: str = "createdAt",
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        include: Sequence[str] = (),
    ) -> ChatRoomPage:
        """A page of chat rooms. `sort` is the field `order` applies to (doc: createdAt; the
        others the sandbox takes are guesses: updatedAt, id, status, userName, channel); the
        operator, phone (digits, `+` dropped) and email filters' keys are guesses too."""
        params = _list_params(created_after, created_before, status, order, limit, offset, include)
        params |= _sort_param(sort, order) | {
            "filter[operatorId]": operator_id,
            "filter[phone]": phone.lstrip("+") if phone else None,
            "filter[email]": email,
        }
        return self._read(ChatRoomPage, "GET", "/kw/api/v1/OpChatRooms/list", params=params)

    def get_chat_room(self, room_id: int, *, include: Sequence[str] = ()) -> ChatRoom:
        """One chat room (doc: "Getting chat by ID"; path guess). Unknown: PlatformNotFound."""
        params = {"include": ",".join(include) or None}
        path = f"/kw/api/v1/OpChatRooms/{path_segment(str(room_id))}"
        return self._read(ChatRoom, "GET", path, params=params)

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
        priority: str | None = None,
        order: str = "desc",
        sort: str = "createdAt",
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        include: Sequence[str] = (),
    ) -> TicketPage:
        """A page of tickets; `sort` as for chat rooms (guesses besides createdAt: updatedAt,
        id, status, priority, subject); the priority filter's key is a guess."""
        params = _list_params(created_after, created_before, status, order, limit, offset, include)
        params |= _sort_param(sort, order) | {"filter[priority]": priority}
        return self._read(TicketPage, "GET", "/kw/api/v1/Ticket/list", params=params)

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


def _sort_param(sort: str, order: str) -> dict[str, Any]:
    """`order[<field>]=<asc|desc>` in place of the default `order[createdAt]`."""
    if sort == "createdAt":
        return {}
    return {"order[createdAt]": None, f"order[{sort}]": order}


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
