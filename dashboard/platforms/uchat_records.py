"""Typed records of UChat's (konversation Connect's) answers (shapes: sandbox/README.md, "UChat
wire shapes").

The list envelope `{"data": [...], "meta": {"current_page", "per_page", "total"}, "status"}`, the
tag and sub-flow records and `user_ns` are seen on the real service (obs); the subscriber's other
fields are the sandbox's guess, read here leniently: unknown keys are ignored, missing ones
defaulted. Keys are UChat's snake_case, so these records read them as they are (the shared
`Record` base reads camelCase otherwise); everything else is `platforms/records.py`'s reading
(frozen msgspec Structs decoded straight from the answer's bytes, hints that say what may be
null).
"""

from datetime import UTC, date, datetime
from math import ceil
from typing import Any

import msgspec

from dashboard.platforms.records import Moment, Record

__all__ = [
    "BroadcastResult",
    "CreatedTag",
    "FieldValue",
    "PageMeta",
    "SubFlow",
    "SubFlowPage",
    "Subscriber",
    "SubscriberInfo",
    "SubscriberPage",
    "Tag",
    "TagPage",
    "UChatRecord",
    "UserField",
    "UserFieldPage",
    "field_value_json",
]

type Value = str | int | float | bool | None


class UChatRecord(Record, frozen=True, rename=None):
    """A UChat record: the shared reading, with snake_case keys as UChat writes them."""


class Tag(UChatRecord, frozen=True):
    tag_ns: str
    name: str = ""


class SubFlow(UChatRecord, frozen=True):
    sub_flow_ns: str
    name: str = ""


class UserField(UChatRecord, frozen=True):
    """A custom field of the bot's subscribers: text, number, boolean, date or datetime."""

    var_ns: str
    name: str = ""
    var_type: str = "text"
    description: str = ""


class FieldValue(UChatRecord, frozen=True):
    """A subscriber's value of one user field, as the answer writes it (None when unset)."""

    var_ns: str
    name: str = ""
    var_type: str = "text"
    value: Value = None

    @property
    def typed(self) -> Value | date | datetime:
        """The value as its field's type: a date or an aware UTC datetime for those types; the
        answer's value itself when it does not read as its type."""
        if not isinstance(self.value, str):
            return self.value
        try:
            if self.var_type == "date":
                return date.fromisoformat(self.value)
            if self.var_type == "datetime":
                moment = datetime.fromisoformat(self.value)
                return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        except ValueError:
            pass
        return self.value


class Subscriber(UChatRecord, frozen=True):
    user_ns: str
    user_id: str | None = None
    channel: str | None = None
    name: str = ""
    first_name: str = ""
    last_name: str = ""
    gender: str | None = None
    email: str | None = None
    phone: str | None = None
    subscribed: bool = True
    allow_send_message: bool = True
    subscribed_at: Moment | None = None
    last_interaction_at: Moment | None = None
    tags: list[Tag] = msgspec.field(default_factory=list)
    user_fields: list[FieldValue] = msgspec.field(default_factory=list)

    @property
    def tag_ns_set(self) -> frozenset[str]:
        return frozenset(tag.tag_ns for tag in self.tags)

    def field(self, var_ns: str) -> FieldValue | None:
        return next((item for item in self.user_fields if item.var_ns == var_ns), None)


class PageMeta(UChatRecord, frozen=True):
    current_page: int = 1
    per_page: int = 0
    total: int = 0


class _Page(UChatRecord, frozen=True):
    """What every list answer shares; `items` is each list's `data`."""

    meta: PageMeta = msgspec.field(default_factory=PageMeta)

    @property
    def total(self) -> int:
        return self.meta.total

    @property
    def page(self) -> int:
        return self.meta.current_page

    @property
    def total_pages(self) -> int:
        return ceil(self.meta.total / self.meta.per_page) if self.meta.per_page else 0


class TagPage(_Page, frozen=True):
    items: list[Tag] = msgspec.field(name="data", default_factory=list)


class SubFlowPage(_Page, frozen=True):
    items: list[SubFlow] = msgspec.field(name="data", default_factory=list)


class UserFieldPage(_Page, frozen=True):
    items: list[UserField] = msgspec.field(name="data", default_factory=list)


class SubscriberPage(_Page, frozen=True):
    items: list[Subscriber] = msgspec.field(name="data", default_factory=list)


class SubscriberInfo(UChatRecord, frozen=True):
    """GET /subscriber/get-info: `{"status": "ok", "data": <subscriber>}`."""

    data: Subscriber


class CreatedTag(UChatRecord, frozen=True):
    data: Tag


class _Recipients(UChatRecord, frozen=True):
    recipients: int = 0


class BroadcastResult(UChatRecord, frozen=True):
    data: _Recipients = msgspec.field(default_factory=_Recipients)

    @property
    def recipients(self) -> int:
        return self.data.recipients


def field_value_json(value: Any) -> Value:
    """A value to set, as JSON: a date as YYYY-MM-DD, a datetime as ISO 8601 in UTC."""
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"a user field value cannot be a {type(value).__name__}")
