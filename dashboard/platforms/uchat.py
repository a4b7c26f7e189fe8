"""The UChat client: konversation Connect, a white label of UChat (seeds/002, platforms.md; the
wire shapes in sandbox/README.md, "UChat wire shapes").

    client = UChatClient("https://<partner domain>/api", token)   # a token of one bot
    for subscriber in client.iter_subscribers(tag_ns=vip.tag_ns): ...
    client.add_tag(subscriber.user_ns, vip.tag_ns)
    client.send_sub_flow(subscriber.user_ns, sub_flow.sub_flow_ns)

Built on the shared base (`base.PlatformHttp`): pooled connections, timeouts, safe retries,
typed errors, `Authorization: Bearer <token>`. A token without the scope an endpoint needs is a
PlatformForbidden. Answers become records from `uchat_records`.

Which calls may be sent again after a lost answer: reads, PUT and DELETE (the base's rule), and
creating a tag or tagging a subscriber, which change nothing the second time. Sending never is:
the subscriber would get the sub-flow twice.
"""

from collections.abc import Iterator, Sequence
from typing import Any, Self

import httpx

from dashboard.platforms.base import ClientOptions, PlatformHttp
from dashboard.platforms.errors import UNEXPECTED, PlatformUnavailable
from dashboard.platforms.pagination import iter_numbered_pages
from dashboard.platforms.uchat_records import (
    BroadcastResult,
    CreatedTag,
    SubFlow,
    SubFlowPage,
    Subscriber,
    SubscriberInfo,
    SubscriberPage,
    Tag,
    TagPage,
    UChatRecord,
    UserField,
    UserFieldPage,
    field_value_json,
)

__all__ = ["MAX_PAGE_SIZE", "UChatClient"]

DEFAULT_PAGE_SIZE = 10  # what the service answers without `limit` (obs)
MAX_PAGE_SIZE = 100  # obs: limit 1-100
MAX_BROADCAST_TAGS = 10  # obs


class UChatClient:
    """A client of one bot: the token names the workspace and the bot (doc)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        options: ClientOptions | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = PlatformHttp(base_url, token=token, options=options, transport=transport)

    def __repr__(self) -> str:
        return f"UChatClient({self._http.base_url!r}, token=set)"

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

    def _read[R: UChatRecord](self, record: type[R], method: str, path: str, **request: Any) -> R:
        """A call whose answer is one record, decoded straight from the answer's bytes."""
        answer = self._http.request(method, path, decode=record.from_json, **request)
        if not isinstance(answer, record):  # an empty answer, where a record was due
            raise PlatformUnavailable(UNEXPECTED, method=method, path=path)
        return answer

    def _act(self, method: str, path: str, body: dict[str, Any], **request: Any) -> None:
        """A call whose answer says only that it was done (`{"status": "ok"}`)."""
        self._http.request(method, path, json=body, **request)

    # --- the flow: sub-flows, tags, user fields ---

    def list_sub_flows(
        self, *, page: int = 1, limit: int = DEFAULT_PAGE_SIZE, name: str | None = None
    ) -> SubFlowPage:
        params = {"page": page, "limit": limit, "name": name or None}
        return self._read(SubFlowPage, "GET", "/flow/subflows", params=params)

    def iter_sub_flows(
        self, *, name: str | None = None, page_size: int = MAX_PAGE_SIZE
    ) -> Iterator[SubFlow]:
        return iter_numbered_pages(
            lambda page, limit: self.list_sub_flows(page=page, limit=limit, name=name), page_size
        )

    def list_tags(
        self, *, page: int = 1, limit: int = DEFAULT_PAGE_SIZE, name: str | None = None
    ) -> TagPage:
        params = {"page": page, "limit": limit, "name": name or None}
        return self._read(TagPage, "GET", "/flow/tags", params=params)

    def iter_tags(
        self, *, name: str | None = None, page_size: int = MAX_PAGE_SIZE
    ) -> Iterator[Tag]:
        return iter_numbered_pages(
            lambda page, limit: self.list_tags(page=page, limit=limit, name=name), page_size
        )

    def create_tag(self, name: str) -> Tag:
        """The new tag; a name the bot already has gives that tag back (so a retry is safe)."""
        created = self._read(
            CreatedTag, "POST", "/flow/create-tag", json={"name": name}, idempotent=True
        )
        return created.data

    def delete_tag(self, tag_ns: str) -> None:
        """The tag goes, and every subscriber loses it."""
        self._act("DELETE", "/flow/delete-tag", {"tag_ns": tag_ns})

    def list_user_fields(
        self, *, page: int = 1, limit: int = DEFAULT_PAGE_SIZE, name: str | None = None
    ) -> UserFieldPage:
        params = {"page": page, "limit": limit, "name": name or None}
        return self._read(UserFieldPage, "GET", "/flow/user-fields", params=params)

    def iter_user_fields(
        self, *, name: str | None = None, page_size: int = MAX_PAGE_SIZE
    ) -> Iterator[UserField]:
        return iter_numbered_pages(
            lambda page, limit: self.list_user_fields(page=page, limit=limit, name=name),
            page_size,
        )

    # --- subscribers ---

    def search_subscribers(
        self,
        *,
        name: str | None = None,
        phone: str | None = None,
        email: str | None = None,
        tag_ns: str | None = None,
        user_field_ns: str | None = None,
        user_field_value: Any = None,
        page: int = 1,
        limit: int = DEFAULT_PAGE_SIZE,
    ) -> SubscriberPage:
        """Subscribers matching every filter given (doc: by name, phone, email, tag, field);
        `user_field_value` needs `user_field_ns`."""
        value = field_value_json(user_field_value)
        params = {
            "name": name or None,
            "phone": phone or None,
            "email": email or None,
            "tag_ns": tag_ns or None,
            "user_field_ns": user_field_ns or None,
            "user_field_value": None if value is None else _query_text(value),
            "page": page,
            "limit": limit,
        }
        return self._read(SubscriberPage, "GET", "/subscribers", params=params)

    def iter_subscribers(
        self, *, page_size: int = MAX_PAGE_SIZE, **filters: Any
    ) -> Iterator[Subscriber]:
        """Every subscriber matching `filters` (those of `search_subscribers`), page by page.

        A walk that removes what it filters on (untagging everyone with a tag) shrinks the list
        under it: ask for the first page again instead, until it is empty."""
        return iter_numbered_pages(
            lambda page, limit: self.search_subscribers(page=page, limit=limit, **filters),
            page_size,
        )

    def get_subscriber(self, user_ns: str) -> Subscriber:
        info = self._read(
            SubscriberInfo, "GET", "/subscriber/get-info", params={"user_ns": user_ns}
        )
        return info.data

    def add_tag(self, user_ns: str, tag_ns: str) -> None:
        """A tag the subscriber carries already stays as it is, so a retry is safe."""
        body = {"user_ns": user_ns, "tag_ns": tag_ns}
        self._act("POST", "/subscriber/add-tag", body, idempotent=True)

    def remove_tag(self, user_ns: str, tag_ns: str) -> None:
        self._act("DELETE", "/subscriber/remove-tag", {"user_ns": user_ns, "tag_ns": tag_ns})

    def set_user_field(self, user_ns: str, var_ns: str, value: Any) -> None:
        """Set the subscriber's value; the platform reads it as the field's type (a date as
        YYYY-MM-DD, a datetime as ISO 8601) and refuses one that does not read (422)."""
        body = {"user_ns": user_ns, "var_ns": var_ns, "value": field_value_json(value)}
        self._act("PUT", "/subscriber/set-user-field", body)

    # --- sending ---

    def send_sub_flow(self, user_ns: str, sub_flow_ns: str) -> None:
        """Never sent again once it may have arrived: the subscriber would get it twice."""
        body = {"user_ns": user_ns, "sub_flow_ns": sub_flow_ns}
        self._act("POST", "/subscriber/send-sub-flow", body)

    def send_text(self, user_ns: str, content: str) -> None:
        self._act("POST", "/subscriber/send-text", {"user_ns": user_ns, "content": content})

    def broadcast_by_tag(
        self,
        tags: Sequence[str],
        sub_flow_ns: str,
        *,
        exclude_tags: Sequence[str] = (),
        name: str | None = None,
    ) -> int:
        """The sub-flow to the subscribers carrying any of `tags` (up to 10) and none of
        `exclude_tags`; returns how many it reaches."""
        if not 1 <= len(tags) <= MAX_BROADCAST_TAGS:
            raise ValueError(f"give 1 to {MAX_BROADCAST_TAGS} tags")
        body: dict[str, Any] = {"tags": list(tags), "sub_flow_ns": sub_flow_ns}
        if exclude_tags:
            body["exclude_tags"] = list(exclude_tags)
        if name:
            body["name"] = name
        result = self._read(BroadcastResult, "POST", "/subscriber/broadcast-by-tag", json=body)
        return result.recipients


def _query_text(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
