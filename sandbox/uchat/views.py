"""UChat's endpoints (seeds/002 via platforms.md): the bot's sub-flows, tags and user fields, the
subscriber search, a subscriber's info, tagging, user field values, and sending.

Every endpoint works on the bot the token opens (auth.py). Reads and the sends a broadcast makes
by the thousand are SQL through `connection.cursor()` (the sandbox is SQLite only): compiling the
equivalent querysets costs more than SQLite takes to answer.
"""

from collections import defaultdict
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest

from sandbox.database import first_row
from sandbox.state import STATE
from sandbox.uchat import serializers
from sandbox.uchat.auth import Caller, authorized
from sandbox.uchat.fields import BadValue, stored, typed_value
from sandbox.uchat.http import (
    ApiError,
    invalid,
    json_object,
    not_found,
    ok,
    query_number,
    query_text,
    text_field,
)
from sandbox.uchat.models import Tag
from sandbox.uchat.serializers import SubFlowRow, SubscriberRow, TagRow, UserFieldRow

DEFAULT_LIMIT = 10  # guess: the per_page of an answer seen without `limit` (obs)
MAX_LIMIT = 100  # obs: limit 1-100
MAX_PAGE = 1_000  # obs: page 1-1000
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 4_096  # guess: WhatsApp's limit on a text message
MAX_BROADCAST_TAGS = 10  # obs: "up to 10 tag ns"
# Tag namespaces count on from here, per row id, so that a deleted tag's namespace never returns.
TAG_NS_BASE = 7_215_000
NOT_ALLOWED = "The subscriber does not allow messages to be sent."


def tag_ns_for(flow_ns: str, tag_id: int) -> str:
    return f"{flow_ns}t{TAG_NS_BASE + tag_id}"


# --- flow: sub-flows, tags, user fields --------------------------------------------------------


def list_sub_flows(request: HttpRequest) -> dict[str, Any]:
    caller = authorized(request)
    rows, meta = _named_page(request, caller, SubFlowRow, "uchat_subflow")
    return serializers.page([serializers.sub_flow(row) for row in rows], **meta)


def list_tags(request: HttpRequest) -> dict[str, Any]:
    caller = authorized(request)
    rows, meta = _named_page(request, caller, TagRow, "uchat_tag")
    return serializers.page([serializers.tag(row) for row in rows], **meta)


def list_user_fields(request: HttpRequest) -> dict[str, Any]:
    caller = authorized(request)
    rows, meta = _named_page(request, caller, UserFieldRow, "uchat_userfield")
    return serializers.page([serializers.user_field(row) for row in rows], **meta)


def _named_page[R: tuple](
    request: HttpRequest, caller: Caller, row_type: type[R], table: str
) -> tuple[list[R], dict[str, int]]:
    """A page of the bot's records, oldest first, optionally those whose name contains `name`."""
    page, limit = _paging(request)
    conditions, params = ["bot_id = %s"], [caller.bot_id]
    if name := query_text(request, "name"):
        conditions.append(r"name LIKE %s ESCAPE '\'")
        params.append(_contains(name))
    where = " AND ".join(conditions)
    (total,) = first_row(f"SELECT COUNT(*) FROM {table} WHERE {where}", *params)
    rows = _rows(
        row_type,
        f"SELECT {', '.join(row_type._fields)} FROM {table} WHERE {where}"
        " ORDER BY id LIMIT %s OFFSET %s",
        [*params, limit, (page - 1) * limit],
    )
    return rows, {"current_page": page, "per_page": limit, "total": total}


def create_tag(request: HttpRequest) -> dict[str, Any]:
    """A new tag; a name the bot already has gives that tag back (guess, as third-party code
    reads the answer: "created or found")."""
    caller = authorized(request)
    problems: dict[str, str] = {}
    name = text_field(json_object(request), "name", problems, max_length=MAX_NAME_LENGTH)
    if problems:
        raise invalid(problems)
    with transaction.atomic():
        existing = first_row(
            "SELECT tag_ns, name FROM uchat_tag WHERE bot_id = %s AND name = %s COLLATE NOCASE",
            caller.bot_id,
            name,
        )
        if existing:
            return ok(serializers.tag(TagRow(*existing)))
        tag = Tag.objects.create(bot_id=caller.bot_id, tag_ns=f"new-{caller.flow_ns}", name=name)
        tag.tag_ns = tag_ns_for(caller.flow_ns, tag.id)
        tag.save(update_fields=["tag_ns"])
    return ok(serializers.tag(TagRow(tag.tag_ns, tag.name)))


def delete_tag(request: HttpRequest) -> dict[str, Any]:
    """The tag goes, and with it every subscriber's tagging."""
    caller = authorized(request)
    problems: dict[str, str] = {}
    tag_ns = text_field(json_object(request), "tag_ns", problems, max_length=40)
    if problems:
        raise invalid(problems)
    deleted, _ = Tag.objects.filter(bot_id=caller.bot_id, tag_ns=tag_ns).delete()
    if not deleted:
        raise not_found("Tag")
    return ok()


# --- subscribers -------------------------------------------------------------------------------


def list_subscribers(request: HttpRequest) -> dict[str, Any]:
    """Search by name (contains), phone (its digits, exactly), email (exactly, in any case),
    tag and user field value (guess: how each matches); newest subscriber first."""
    caller = authorized(request)
    page, limit = _paging(request)
    where, params = _subscriber_filters(request, caller)
    (total,) = first_row(f"SELECT COUNT(*) FROM uchat_subscriber s WHERE {where}", *params)
    rows = _rows(
        SubscriberRow,
        f"{_SUBSCRIBERS} WHERE {where} ORDER BY s.subscribed_at DESC, s.id DESC LIMIT %s OFFSET %s",
        [*params, limit, (page - 1) * limit],
    )
    items = _subscribers_with_details(caller, rows)
    return serializers.page(items, current_page=page, per_page=limit, total=total)


def _subscriber_filters(request: HttpRequest, caller: Caller) -> tuple[str, list[Any]]:
    conditions, params = ["s.bot_id = %s"], [caller.bot_id]
    if name := query_text(request, "name"):
        conditions.append(r"s.name LIKE %s ESCAPE '\'")
        params.append(_contains(name))
    if phone := query_text(request, "phone", max_length=40):
        digits = "".join(char for char in phone if char.isascii() and char.isdigit())
        if not digits:
            raise invalid({"phone": "The phone must contain digits."})
        conditions.append("s.phone_digits = %s")
        params.append(digits)
    if email := query_text(request, "email", max_length=254):
        conditions.append("LOWER(s.email) = LOWER(%s)")
        params.append(email)
    if tag_ns := query_text(request, "tag_ns", max_length=40):
        conditions.append(
            "s.id IN (SELECT st.subscriber_id FROM uchat_subscribertag st"
            " JOIN uchat_tag t ON t.id = st.tag_id WHERE t.tag_ns = %s AND t.bot_id = %s)"
        )
        params += [tag_ns, caller.bot_id]
    field_ns = query_text(request, "user_field_ns", max_length=40)
    field_value = query_text(request, "user_field_value", max_length=2_000)
    if field_value is not None and field_ns is None:
        raise invalid({"user_field_ns": "The user field ns field is required with a value."})
    if field_ns is not None:
        condition, values = _field_condition(caller, field_ns, field_value)
        conditions.append(condition)
        params += values
    return " AND ".join(conditions), params


def _field_condition(caller: Caller, var_ns: str, raw_value: str | None) -> tuple[str, list[Any]]:
    """Subscribers with a value for the field, or with this value (read as the field's type).
    An unknown field matches nobody (guess), as an unknown tag does."""
    field = first_row(
        "SELECT id, var_type FROM uchat_userfield WHERE bot_id = %s AND var_ns = %s",
        caller.bot_id,
        var_ns,
    )
    if field is None:
        return "FALSE", []
    field_id, var_type = field
    select = "s.id IN (SELECT subscriber_id FROM uchat_fieldvalue WHERE field_id = %s"
    if raw_value is None:
        return select + ")", [field_id]
    try:
        value = typed_value(var_type, raw_value)
    except BadValue as problem:
        raise invalid({"user_field_value": str(problem)}) from None
    return select + " AND value = %s)", [field_id, stored(value)]


def get_subscriber_info(request: HttpRequest) -> dict[str, Any]:
    caller = authorized(request)
    user_ns = query_text(request, "user_ns", max_length=40)
    if user_ns is None:
        raise invalid({"user_ns": "The user ns field is required."})
    rows = _rows(SubscriberRow, f"{_SUBSCRIBERS} WHERE s.bot_id = %s AND s.user_ns = %s",
                 [caller.bot_id, user_ns])  # fmt: skip
    if not rows:
        raise not_found("Subscriber")
    return ok(_subscribers_with_details(caller, rows)[0])


def _subscribers_with_details(caller: Caller, rows: list[SubscriberRow]) -> list[dict[str, Any]]:
    """The subscribers with their tags and user field values (two queries for the page)."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    placeholders = ", ".join(["%s"] * len(ids))
    tags: dict[int, list[TagRow]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT st.subscriber_id, t.tag_ns, t.name FROM uchat_subscribertag st"
            f" JOIN uchat_tag t ON t.id = st.tag_id WHERE st.subscriber_id IN ({placeholders})"
            " ORDER BY t.id",
            ids,
        )
        for subscriber_id, tag_ns, name in cursor.fetchall():
            tags[subscriber_id].append(TagRow(tag_ns, name))
        cursor.execute(
            "SELECT v.subscriber_id, f.var_ns, v.value FROM uchat_fieldvalue v"
            " JOIN uchat_userfield f ON f.id = v.field_id"
            f" WHERE v.subscriber_id IN ({placeholders})",
            ids,
        )
        values: dict[int, dict[str, str]] = defaultdict(dict)
        for subscriber_id, var_ns, value in cursor.fetchall():
            values[subscriber_id][var_ns] = value
    fields = _rows(
        UserFieldRow,
        "SELECT var_ns, name, var_type, description FROM uchat_userfield"
        " WHERE bot_id = %s ORDER BY id",
        [caller.bot_id],
    )
    return [serializers.subscriber(row, tags[row.id], fields, values[row.id]) for row in rows]


# --- a subscriber's tags and fields ------------------------------------------------------------


def add_tag(request: HttpRequest) -> dict[str, Any]:
    """Idempotent: a tag the subscriber already carries stays as it is (guess)."""
    caller = authorized(request)
    subscriber_id, tag_id = _subscriber_and_tag(caller, json_object(request))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT OR IGNORE INTO uchat_subscribertag (subscriber_id, tag_id) VALUES (%s, %s)",
            [subscriber_id, tag_id],
        )
    return ok()


def remove_tag(request: HttpRequest) -> dict[str, Any]:
    """Idempotent: removing a tag the subscriber does not carry is fine (guess)."""
    caller = authorized(request)
    subscriber_id, tag_id = _subscriber_and_tag(caller, json_object(request))
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM uchat_subscribertag WHERE subscriber_id = %s AND tag_id = %s",
            [subscriber_id, tag_id],
        )
    return ok()


def _subscriber_and_tag(caller: Caller, body: dict[str, Any]) -> tuple[int, int]:
    problems: dict[str, str] = {}
    user_ns = text_field(body, "user_ns", problems, max_length=40)
    tag_ns = text_field(body, "tag_ns", problems, max_length=40)
    if problems:
        raise invalid(problems)
    subscriber_id = _subscriber_id(caller, user_ns)
    tag = first_row(
        "SELECT id FROM uchat_tag WHERE bot_id = %s AND tag_ns = %s", caller.bot_id, tag_ns
    )
    if tag is None:
        raise not_found("Tag")
    return subscriber_id, tag[0]


def set_user_field(request: HttpRequest) -> dict[str, Any]:
    """Set (or replace) the subscriber's value of a user field, read as the field's type."""
    caller = authorized(request)
    body = json_object(request)
    problems: dict[str, str] = {}
    user_ns = text_field(body, "user_ns", problems, max_length=40)
    var_ns = text_field(body, "var_ns", problems, max_length=40)
    if "value" not in body or body["value"] is None:
        problems["value"] = "The value field is required."
    if problems:
        raise invalid(problems)
    subscriber_id = _subscriber_id(caller, user_ns)
    field = first_row(
        "SELECT id, var_type FROM uchat_userfield WHERE bot_id = %s AND var_ns = %s",
        caller.bot_id,
        var_ns,
    )
    if field is None:
        raise not_found("User field")
    field_id, var_type = field
    try:
        value = typed_value(var_type, body["value"])
    except BadValue as problem:
        raise invalid({"value": str(problem)}) from None
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO uchat_fieldvalue (subscriber_id, field_id, value) VALUES (%s, %s, %s)"
            " ON CONFLICT (subscriber_id, field_id) DO UPDATE SET value = excluded.value",
            [subscriber_id, field_id, stored(value)],
        )
    return ok()


# --- sending -----------------------------------------------------------------------------------


def send_sub_flow(request: HttpRequest) -> dict[str, Any]:
    caller = authorized(request)
    body = json_object(request)
    problems: dict[str, str] = {}
    user_ns = text_field(body, "user_ns", problems, max_length=40)
    sub_flow_ns = text_field(body, "sub_flow_ns", problems, max_length=40)
    if problems:
        raise invalid(problems)
    subscriber_id = _reachable_subscriber_id(caller, user_ns)
    sub_flow_id = _sub_flow_id(caller, sub_flow_ns)
    _record_deliveries(
        "SELECT %s", [subscriber_id], kind="sub_flow", via="send-sub-flow", sub_flow_id=sub_flow_id
    )
    return ok()


def send_text(request: HttpRequest) -> dict[str, Any]:
    caller = authorized(request)
    body = json_object(request)
    problems: dict[str, str] = {}
    user_ns = text_field(body, "user_ns", problems, max_length=40)
    content = body.get("content")
    if not isinstance(content, str) or not content.strip():
        problems["content"] = "The content field is required."
    elif len(content) > MAX_TEXT_LENGTH:
        problems["content"] = f"The content may not be greater than {MAX_TEXT_LENGTH} characters."
    if problems:
        raise invalid(problems)
    subscriber_id = _reachable_subscriber_id(caller, user_ns)
    _record_deliveries("SELECT %s", [subscriber_id], kind="text", via="send-text", content=content)
    return ok()


def broadcast_by_tag(request: HttpRequest) -> dict[str, Any]:
    """The sub-flow to every subscriber carrying any of `tags` and none of `exclude_tags` who
    allows messages, at once (guess: the real service schedules and paces it)."""
    caller = authorized(request)
    body = json_object(request)
    problems: dict[str, str] = {}
    sub_flow_ns = text_field(body, "sub_flow_ns", problems, max_length=40)
    tags = _tag_list(body, "tags", problems, required=True)
    excluded = _tag_list(body, "exclude_tags", problems, required=False)
    name = body.get("name")
    if name is not None and (not isinstance(name, str) or len(name) > MAX_NAME_LENGTH):
        problems["name"] = f"The name must be a string of at most {MAX_NAME_LENGTH} characters."
    if problems:
        raise invalid(problems)
    sub_flow_id = _sub_flow_id(caller, sub_flow_ns)
    tag_ids = [_tag_id(caller, tag_ns) for tag_ns in tags]
    excluded_ids = [_tag_id(caller, tag_ns) for tag_ns in excluded] or [0]
    carrying = ", ".join(["%s"] * len(tag_ids))
    excluding = ", ".join(["%s"] * len(excluded_ids))
    recipients = _record_deliveries(
        "SELECT s.id FROM uchat_subscriber s WHERE s.bot_id = %s AND s.allow_send_message"
        f" AND s.id IN (SELECT subscriber_id FROM uchat_subscribertag WHERE tag_id IN ({carrying}))"
        " AND s.id NOT IN (SELECT subscriber_id FROM uchat_subscribertag"
        f" WHERE tag_id IN ({excluding})) ORDER BY s.id",
        [caller.bot_id, *tag_ids, *excluded_ids],
        kind="sub_flow",
        via="broadcast-by-tag",
        sub_flow_id=sub_flow_id,
    )
    return ok({"recipients": recipients})


def _tag_list(
    body: dict[str, Any], name: str, problems: dict[str, str], *, required: bool
) -> list[str]:
    value = body.get(name)
    if value is None and not required:
        return []
    if (
        not isinstance(value, list)
        or not 1 <= len(value) <= MAX_BROADCAST_TAGS
        or not all(isinstance(item, str) and item.strip() for item in value)
    ):
        problems[name] = f"The {name.replace('_', ' ')} must list 1 to {MAX_BROADCAST_TAGS} tag ns."
        return []
    return [item.strip() for item in value]


def _record_deliveries(
    recipients_sql: str,
    params: list[Any],
    *,
    kind: str,
    via: str,
    sub_flow_id: int | None = None,
    content: str | None = None,
) -> int:
    """One Delivery per subscriber id the SELECT yields; returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO uchat_delivery"
            " (subscriber_id, kind, sub_flow_id, content, via, created_at)"
            f" SELECT recipient.*, %s, %s, %s, %s, %s FROM ({recipients_sql}) AS recipient",
            [
                kind,
                sub_flow_id,
                content,
                via,
                connection.ops.adapt_datetimefield_value(STATE.now()),
                *params,
            ],
        )
        return cursor.rowcount


# --- lookups -----------------------------------------------------------------------------------


def _subscriber_id(caller: Caller, user_ns: str) -> int:
    row = first_row(
        "SELECT id FROM uchat_subscriber WHERE bot_id = %s AND user_ns = %s", caller.bot_id, user_ns
    )
    if row is None:
        raise not_found("Subscriber")
    return row[0]


def _reachable_subscriber_id(caller: Caller, user_ns: str) -> int:
    """The subscriber, if it allows messages (obs: `allow_send_message` false makes a send
    fail; the 400 is a guess)."""
    row = first_row(
        "SELECT id, allow_send_message FROM uchat_subscriber WHERE bot_id = %s AND user_ns = %s",
        caller.bot_id,
        user_ns,
    )
    if row is None:
        raise not_found("Subscriber")
    if not row[1]:
        raise ApiError(400, NOT_ALLOWED)
    return row[0]


def _sub_flow_id(caller: Caller, sub_flow_ns: str) -> int:
    row = first_row(
        "SELECT id FROM uchat_subflow WHERE bot_id = %s AND sub_flow_ns = %s",
        caller.bot_id,
        sub_flow_ns,
    )
    if row is None:
        raise not_found("Sub flow")
    return row[0]


def _tag_id(caller: Caller, tag_ns: str) -> int:
    row = first_row(
        "SELECT id FROM uchat_tag WHERE bot_id = %s AND tag_ns = %s", caller.bot_id, tag_ns
    )
    if row is None:
        raise not_found("Tag")
    return row[0]


# --- helpers -----------------------------------------------------------------------------------

_SUBSCRIBERS = (
    "SELECT "
    + ", ".join(f"s.{name}" for name in SubscriberRow._fields)
    + (" FROM uchat_subscriber s")
)


def _paging(request: HttpRequest) -> tuple[int, int]:
    problems: dict[str, str] = {}
    page = query_number(request, "page", default=1, low=1, high=MAX_PAGE, problems=problems)
    limit = query_number(
        request, "limit", default=DEFAULT_LIMIT, low=1, high=MAX_LIMIT, problems=problems
    )
    if problems:
        raise invalid(problems)
    return page, limit


def _contains(text: str) -> str:
    """A LIKE pattern for `text` anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _rows[R: tuple](row_type: type[R], sql: str, params: list[Any]) -> list[R]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row_type(*row) for row in cursor.fetchall()]
