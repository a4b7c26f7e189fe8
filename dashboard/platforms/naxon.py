"""The Naxon AI client (seeds/001; wire shapes in sandbox/README.md, "Naxon AI wire shapes").

    client = NaxonClient(base_url, token)            # `Authorization: Bearer <token>` (apiToken)
    for model in client.iter_models(): ...
    for conversation in client.iter_conversations(model_id=model.id, since=..., sort="updated_at"):
        ...
    thread = list(client.iter_messages(conversation.id))

    notification = parse_keyword_notification(request.body)  # the keyword webhook, or
                                                              # MalformedNotification(reason)

Built on the shared base (`base.PlatformHttp`): pooled connections, timeouts, safe retries and
typed errors (`errors.py`: a 401 is PlatformUnauthorized, a bad page or date PlatformValidation-
Error, an unknown id PlatformNotFound). Answers are decoded straight from their bytes into frozen
msgspec records:

- ids are int64 (doc) and stay exact Python ints: some exceed 2**53, where a float would change
  them;
- timestamps are written `2025-05-05T05:05:05+0700` (doc); they are read with whatever offset
  they carry and held as aware datetimes in UTC (a timestamp without an offset is taken as UTC);
- `since` and `until` go out in the document's spelling with the caller's own offset; they must
  be aware datetimes, since a naive one names no instant.
"""

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, Self

import httpx
import msgspec

from dashboard.platforms.base import ClientOptions, PlatformHttp, decode_json, path_segment
from dashboard.platforms.errors import UNEXPECTED, PlatformUnavailable
from dashboard.platforms.pagination import iter_numbered_pages
from dashboard.platforms.records import Moment, Record

__all__ = [
    "MAX_PER_PAGE",
    "Conversation",
    "ConversationPage",
    "KeywordNotification",
    "MalformedNotification",
    "Message",
    "MessagePage",
    "Model",
    "ModelPage",
    "NaxonClient",
    "NotificationPayload",
    "parse_keyword_notification",
]

DEFAULT_URL = "http://127.0.0.1:8001/naxon"  # the sandbox's Naxon (`make run`)
DEFAULT_PER_PAGE = 10  # what the sandbox answers without `per_page` (guess)
MAX_PER_PAGE = 100  # the sandbox caps larger pages (guess)
# The console's webhook receiver refuses larger bodies (issue 15); the parser does too.
MAX_NOTIFICATION_BYTES = 256 * 1024

type Sort = Literal["created_at", "updated_at"]
type Int64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]


# --- records ----------------------------------------------------------------------------------


class NaxonRecord(Record, frozen=True, rename=None):
    """A Naxon record: the API's own snake_case keys, read as every platform record is
    (platforms/records.py: unknown keys ignored, missing ones defaulted, datetimes aware as
    sent), but strictly typed: an id must be a JSON integer. A float is
    refused, not rounded into another id (1.4774425647841295e+18 is no conversation's id), and
    so is a string of digits (the document says int64)."""

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Self:
        return msgspec.convert(data, cls, strict=True)

    @classmethod
    def from_json(cls, content: bytes) -> Self:
        try:
            return msgspec.json.decode(content, type=cls, strict=True)
        except msgspec.ValidationError:
            raise
        except msgspec.DecodeError:  # a byte-order mark, UTF-16...: the base's general path
            return cls.from_api(decode_json(content))


class Model(NaxonRecord, frozen=True):
    """A model: one AI bot of the account."""

    id: Int64
    name: str = ""
    created_at: Moment | None = None


class Message(NaxonRecord, frozen=True):
    id: Int64
    seq: str = ""  # a ULID: sorts as the messages came
    sender: str = ""  # user, bot or agent in the sandbox (guess)
    message: str = ""
    created_at: Moment | None = None


class Conversation(NaxonRecord, frozen=True):
    """One person's conversation with a model on one platform (whatsapp, telegram, web...)."""

    id: Int64
    model_id: Int64 | None = None
    model_name: str | None = None  # a notification may carry null (its model renamed or gone)
    created_at: Moment | None = None
    updated_at: Moment | None = None
    most_recent_message: Message | None = None
    recent_messages: list[Message] = msgspec.field(default_factory=list)  # oldest first
    platform: str = ""
    platform_user_id: str = ""


class _Page(NaxonRecord, frozen=True):
    """The list envelope (doc): the request's `per_page` comes back as `rows_per_page`."""

    page: int = 1
    rows_per_page: int = 0
    total_pages: int = 0
    total_rows: int = 0


class ModelPage(_Page, frozen=True):
    items: list[Model] = msgspec.field(name="data", default_factory=list)


class ConversationPage(_Page, frozen=True):
    items: list[Conversation] = msgspec.field(name="data", default_factory=list)


class MessagePage(_Page, frozen=True):
    """Oldest first."""

    items: list[Message] = msgspec.field(name="data", default_factory=list)


# --- the keyword-notification webhook --------------------------------------------------------


class NotificationPayload(Conversation, frozen=True, kw_only=True):
    """The conversation as it was when a message with a watched keyword arrived, and the
    keyword. `most_recent_message` is the message that matched (in the sandbox; the document
    says only that the payload is the conversation)."""

    model_id: Int64  # required here: an alert names its model
    keyword: Annotated[str, msgspec.Meta(min_length=1)]


class KeywordNotification(NaxonRecord, frozen=True):
    """`{"event": "keyword-notification", "payload": <conversation plus "keyword">}` (doc)."""

    event: Literal["keyword-notification"]
    payload: NotificationPayload

    @property
    def dedup_key(self) -> str:
        """The same for every delivery of one notification, different for any other: the
        conversation, the keyword and the message that matched (or, without one, the
        conversation's update time). A redelivery repeats the body, so the key with it."""
        payload = self.payload
        message = payload.most_recent_message
        moment = payload.updated_at.isoformat() if payload.updated_at else ""
        matched = f"message:{message.id}" if message is not None else f"updated:{moment}"
        return f"{payload.id}:{payload.keyword.casefold()}:{matched}"


class MalformedNotification(ValueError):
    """A webhook body that is not a keyword notification; the message says why, for a 400 and
    for the list of rejected deliveries."""


_NOTIFICATION_DECODER = msgspec.json.Decoder(KeywordNotification, strict=True)


def parse_keyword_notification(
    body: bytes, *, max_bytes: int = MAX_NOTIFICATION_BYTES
) -> KeywordNotification:
    """The notification in a webhook body, read strictly: UTF-8 JSON of the documented shape,
    ids as JSON integers within int64, a non-empty keyword, timestamps in RFC 3339 or the
    document's `+0700` spelling (one without an offset is read as UTC). Anything else raises
    MalformedNotification with the reason; no input makes it raise anything else (deep nesting,
    huge numbers, bytes that are not UTF-8 included)."""
    if not body.strip():
        raise MalformedNotification("the body is empty")
    if len(body) > max_bytes:
        raise MalformedNotification(f"the body is larger than {max_bytes} bytes")
    try:
        return _NOTIFICATION_DECODER.decode(body)
    except msgspec.ValidationError as problem:
        raise MalformedNotification(f"not a keyword notification: {problem}") from None
    except msgspec.DecodeError as problem:
        raise MalformedNotification(f"not JSON: {problem}") from None
    except RecursionError:
        raise MalformedNotification("not a keyword notification: nested too deeply") from None


# --- the client -------------------------------------------------------------------------------


class NaxonClient:
    """A Naxon AI API client for one base URL and one API token."""

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
        self._http = PlatformHttp(
            base_url, token=token, options=options, transport=transport, **extra
        )

    @classmethod
    def _from_http(cls, http: PlatformHttp) -> Self:
        client = cls.__new__(cls)
        client._http = http
        return client

    @classmethod
    def from_settings(cls, token: str | None = None) -> Self:
        """The client for Django's `NAXON_URL` (the sandbox's by default), with the PLATFORM_*
        timeouts and retries."""
        from django.conf import settings

        return cls(getattr(settings, "NAXON_URL", DEFAULT_URL), token)

    def __repr__(self) -> str:
        return f"NaxonClient({self.base_url!r}, token={'set' if self.has_token else None})"

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

    def with_options(self, **changes: Any) -> Self:
        """A copy with other timeouts or retries (see `ClientOptions.with_changes`)."""
        return self._from_http(self._http.with_options(**changes))

    def _read[R: NaxonRecord](self, record: type[R], path: str, **params: Any) -> R:
        answer = self._http.request("GET", path, params=params, decode=record.from_json)
        if not isinstance(answer, record):  # an empty answer, where a record was due
            raise PlatformUnavailable(UNEXPECTED, method="GET", path=path)
        return answer

    # --- models ---

    def list_models(
        self,
        *,
        page: int = 1,
        per_page: int = DEFAULT_PER_PAGE,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> ModelPage:
        """GET /models: newest first; `since`/`until` (inclusive) on `created_at`."""
        params = {"page": page, "per_page": per_page, **_window(since, until)}
        return self._read(ModelPage, "/models", **params)

    def iter_models(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        page_size: int = MAX_PER_PAGE,
    ) -> Iterator[Model]:
        def fetch(page: int, per_page: int) -> ModelPage:
            return self.list_models(page=page, per_page=per_page, since=since, until=until)

        return _once_each(iter_numbered_pages(fetch, page_size))

    def get_model(self, model_id: int) -> Model:
        return self._read(Model, f"/models/{_id(model_id)}")

    # --- conversations ---

    def list_conversations(
        self,
        *,
        model_id: int | None = None,
        page: int = 1,
        per_page: int = DEFAULT_PER_PAGE,
        since: datetime | None = None,
        until: datetime | None = None,
        sort: Sort = "created_at",
        platform_user_id: str | None = None,
    ) -> ConversationPage:
        """GET /conversations, or /models/{id}/conversations with `model_id`. `sort` names the
        field `since` and `until` (inclusive) filter on (doc); rows come newest first by it.

        `platform_user_id` asks for one platform user's conversations: the sandbox's filter, a
        guess (the document has none). A service that ignores it answers every conversation, so
        a caller keeps only the rows whose `platform_user_id` is the one asked for."""
        if sort not in ("created_at", "updated_at"):
            raise ValueError(f"sort must be created_at or updated_at, not {sort!r}")
        path = (
            f"/models/{_id(model_id)}/conversations" if model_id is not None else "/conversations"
        )
        params = {"page": page, "per_page": per_page, "sort": sort, **_window(since, until)}
        if platform_user_id:
            params["platform_user_id"] = platform_user_id
        return self._read(ConversationPage, path, **params)

    def iter_conversations(
        self,
        *,
        model_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        sort: Sort = "created_at",
        page_size: int = MAX_PER_PAGE,
    ) -> Iterator[Conversation]:
        """Every conversation that matches, newest first, each once: pages shift when new
        conversations arrive during the walk, and a row seen on one page is not repeated."""

        def fetch(page: int, per_page: int) -> ConversationPage:
            return self.list_conversations(
                model_id=model_id,
                page=page,
                per_page=per_page,
                since=since,
                until=until,
                sort=sort,
            )

        return _once_each(iter_numbered_pages(fetch, page_size))

    def get_conversation(self, conversation_id: int) -> Conversation:
        return self._read(Conversation, f"/conversations/{_id(conversation_id)}")

    # --- messages ---

    def list_messages(
        self, conversation_id: int, *, page: int = 1, per_page: int = DEFAULT_PER_PAGE
    ) -> MessagePage:
        path = f"/conversations/{_id(conversation_id)}/messages"
        return self._read(MessagePage, path, page=page, per_page=per_page)

    def iter_messages(
        self, conversation_id: int, *, page_size: int = MAX_PER_PAGE
    ) -> Iterator[Message]:
        """The whole thread, oldest first."""

        def fetch(page: int, per_page: int) -> MessagePage:
            return self.list_messages(conversation_id, page=page, per_page=per_page)

        return _once_each(iter_numbered_pages(fetch, page_size))


def _id(record_id: int) -> str:
    """An int64 id in a path. A bool or a float is refused here: `float(2**53 + 1)` names
    another record."""
    if type(record_id) is not int:
        raise TypeError(f"ids are ints, not {type(record_id).__name__}")
    return path_segment(str(record_id))


def _window(since: datetime | None, until: datetime | None) -> dict[str, str | None]:
    """`since` and `until` in the document's spelling, keeping their offsets. The wire has
    whole seconds and both bounds are inclusive, so a fraction rounds inwards: `since` up,
    `until` down, and nothing outside the instants asked for is included."""
    return {
        "since": _wire_time(since, round_up=True) if since is not None else None,
        "until": _wire_time(until, round_up=False) if until is not None else None,
    }


def _wire_time(moment: datetime, *, round_up: bool) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("since and until must be aware datetimes: a naive one names no instant")
    if moment.microsecond:
        whole = moment.replace(microsecond=0)
        moment = whole + timedelta(seconds=1) if round_up else whole
    return moment.strftime("%Y-%m-%dT%H:%M:%S%z")


def _once_each[T: (Model, Conversation, Message)](records: Iterator[T]) -> Iterator[T]:
    seen: set[int] = set()
    for record in records:
        if record.id not in seen:
            seen.add(record.id)
            yield record
