"""ConnectiveOne's records read the sandbox's shapes (sandbox/README.md, "ConnectiveOne wire
shapes"): defaults where a key is missing, None only where the shape allows a null, anything else
of the wrong kind refused, and the client calls such an answer unexpected."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from dashboard.platforms.connectiveone import (
    ApiKeyAuth,
    ChatRoom,
    ChatRoomPage,
    ConnectiveOneClient,
    Done,
    Login,
    Ticket,
    TicketPage,
)
from dashboard.platforms.errors import PlatformUnavailable
from tests.platforms.helpers import ScriptedTransport, fixed_options, json_response

OPERATOR = {"id": 3, "email": "operator@example.com", "name": "Olena", "role": "admin"}
ROOM = {
    "id": 41,
    "botId": 1,
    "chatId": "567890",
    "channel": "telegram",
    "status": "open",
    "userName": "Taras",
    "phone": "380501234567",
    "operatorId": 3,
    "createdAt": "2026-11-21T10:00:00.000Z",
    "updatedAt": "2026-11-21T10:05:00.000Z",
}
TICKET = {
    "id": 7,
    "chatRoomId": 41,
    "subject": "Refund",
    "status": "new",
    "priority": "high",
    "operatorId": None,
    "createdAt": "2026-11-21T11:00:00.000Z",
    "updatedAt": "2026-11-21T11:00:00.000Z",
}
LOGIN = {
    "status": "success",
    "token": "eyJaccess.jwt",
    "refreshToken": "eyJrefresh.jwt",
    "expiresIn": 3600,
    "user": OPERATOR,
}


def read_both_ways(record, answer):
    from_bytes = record.from_json(json.dumps(answer).encode())
    assert from_bytes == record.from_api(answer)
    return from_bytes


def test_a_chat_room_reads_every_field():
    room = read_both_ways(ChatRoom, ROOM | {"operator": OPERATOR, "bot": {"id": 1, "name": "A"}})

    assert (room.id, room.bot_id, room.chat_id, room.channel) == (41, 1, "567890", "telegram")
    assert (room.user_name, room.phone, room.operator_id) == ("Taras", "380501234567", 3)
    assert room.operator is not None and room.operator.name == "Olena"
    assert room.created_at == datetime(2026, 11, 21, 10, tzinfo=UTC)


def test_missing_keys_take_the_fields_defaults():
    bare = {
        key: ROOM[key] for key in ("id", "botId", "chatId", "channel", "createdAt", "updatedAt")
    }
    room = read_both_ways(ChatRoom, bare)

    assert room.status == ""
    assert (room.user_name, room.phone, room.operator_id, room.operator) == (None,) * 4
    ticket = read_both_ways(Ticket, {k: v for k, v in TICKET.items() if k != "priority"})
    assert (ticket.priority, ticket.chat_room) == ("", None)


@pytest.mark.parametrize(
    ("record", "answer", "nullable"),
    [
        (ChatRoom, ROOM, "userName"),
        (ChatRoom, ROOM, "phone"),
        (ChatRoom, ROOM, "operatorId"),
        (ChatRoom, ROOM, "operator"),
        (Ticket, TICKET, "operatorId"),
    ],
)
def test_a_null_where_the_shape_allows_one_reads_as_none(record, answer, nullable):
    read = read_both_ways(record, answer | {nullable: None})

    snake_case = "".join(f"_{c.lower()}" if c.isupper() else c for c in nullable)
    assert getattr(read, snake_case) is None


@pytest.mark.parametrize(
    ("record", "answer", "not_nullable"),
    [
        (ChatRoom, ROOM, "botId"),
        (ChatRoom, ROOM, "chatId"),
        (ChatRoom, ROOM, "status"),
        (ChatRoom, ROOM, "createdAt"),
        (Ticket, TICKET, "subject"),
        (Ticket, TICKET, "priority"),
        (ChatRoomPage, {"rows": [], "count": 0}, "count"),
        (Login, LOGIN, "refreshToken"),
    ],
)
def test_a_null_where_the_shape_has_none_is_a_malformed_answer(record, answer, not_nullable):
    with pytest.raises(ValueError, match="got `null`"):
        record.from_api(answer | {not_nullable: None})
    with pytest.raises(ValueError, match="got `null`"):
        record.from_json(json.dumps(answer | {not_nullable: None}).encode())


@pytest.mark.parametrize("missing", ["rows", "count"])
def test_a_list_answer_without_its_envelope_is_malformed(missing):
    with pytest.raises(ValueError, match=f"missing required field `{missing}`"):
        TicketPage.from_api({key: [] if key == "rows" else 0 for key in ("rows", "count")
                             if key != missing})  # fmt: skip


def test_ids_sent_as_text_are_read_as_numbers():
    room = read_both_ways(ChatRoom, ROOM | {"id": "41", "botId": "1", "operatorId": "3"})

    assert (room.id, room.bot_id, room.operator_id) == (41, 1, 3)


def test_datetimes_keep_the_answers_offset():
    room = read_both_ways(ChatRoom, ROOM | {"createdAt": "2026-11-21T12:00:00.000+02:00"})

    assert room.created_at == datetime(2026, 11, 21, 10, tzinfo=UTC)
    assert room.created_at.utcoffset() == timedelta(hours=2)


def test_a_datetime_without_an_offset_is_refused():
    with pytest.raises(ValueError, match="timezone"):
        ChatRoom.from_api(ROOM | {"createdAt": "2026-11-21T10:00:00.000"})


def test_a_ticket_carries_its_included_chat_room():
    ticket = read_both_ways(Ticket, TICKET | {"chatRoom": ROOM, "operator": None})

    assert ticket.chat_room == ChatRoom.from_api(ROOM)


def test_a_login_keeps_both_tokens_out_of_repr():
    login = read_both_ways(Login, LOGIN)

    assert (login.token, login.refresh_token, login.expires_in) == (
        "eyJaccess.jwt",
        "eyJrefresh.jwt",
        3600,
    )
    assert login.user.email == "operator@example.com"
    assert "eyJ" not in repr(login)


def test_only_a_success_answer_is_done():
    assert read_both_ways(Done, {"status": "success", "message": "Node called"}).message == (
        "Node called"
    )
    with pytest.raises(ValueError):
        Done.from_api({"status": "error", "message": "Node not found"})


@pytest.mark.parametrize(
    "page",
    [
        {"rows": [ROOM | {"chatId": None}], "count": 1},  # a null where text belongs
        {"rows": [ROOM | {"createdAt": "2026-11-21T10:00:00"}], "count": 1},  # no offset
        {"rows": [ROOM]},  # no count
        {"rows": "none", "count": 0},  # a value of the wrong kind
    ],
    ids=["misplaced null", "naive datetime", "missing key", "wrong kind"],
)
def test_the_client_calls_a_malformed_list_an_unexpected_response(page):
    transport = ScriptedTransport(json_response(200, page))
    client = ConnectiveOneClient(
        "http://platform.test/connectiveone",
        ApiKeyAuth("k"),
        options=fixed_options(),
        transport=transport,
    )

    with pytest.raises(PlatformUnavailable) as caught:
        client.list_chat_rooms()

    assert caught.value.message == "unexpected response"
    assert len(transport.requests) == 1, "a 200 was processed: retrying cannot fix its body"
