"""The ConnectiveOne emulator (/connectiveone): seeds/000's paths, the three ways to
authenticate, both call_node forms, broadcast by phone, and the lists' filter, order, paging
and include parameters."""

from datetime import UTC, datetime

import pytest

from sandbox.connectiveone.credentials import (
    API_KEY,
    ENTRY_ALIAS,
    ENTRY_NODE_ID,
    EXTERNAL_TOKEN,
    MAIN_BOT_ID,
    OPERATOR_EMAIL,
    OPERATOR_PASSWORD,
)
from sandbox.connectiveone.shared import carries_email, shared_rooms
from sandbox.people import PEOPLE

TEST_CHAT_ROOMS = 2_500  # seed.py, SIZES["test"]
KEY = {"Authorization": f"API-Key {API_KEY}"}
ROOMS = "/connectiveone/kw/api/v1/OpChatRooms/list"
TICKETS = "/connectiveone/kw/api/v1/Ticket/list"
CALL = "/connectiveone/kw/api/call_node/"


def get(sandbox, path, headers=KEY, **params):
    return sandbox.http.get(path, headers=headers, params=params)


def post(sandbox, path, body=None, headers=KEY):
    return sandbox.http.post(path, headers=headers, json=body if body is not None else {})


def login(sandbox) -> dict:
    response = post(
        sandbox, "/connectiveone/kw/api/v1/auth/login",
        {"email": OPERATOR_EMAIL, "password": OPERATOR_PASSWORD}, headers={},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return response.json()


def a_chat(sandbox) -> dict:
    rows = get(sandbox, ROOMS, limit=50).json()["rows"]
    return next(row for row in rows if row["botId"] == MAIN_BOT_ID)


@pytest.mark.parametrize(
    "headers",
    [KEY, {"x-auth-token": EXTERNAL_TOKEN}],
    ids=["api-key", "x-auth-token"],
)
def test_a_list_answers_with_each_credential(sandbox, headers):
    response = get(sandbox, ROOMS, headers=headers)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"rows", "count"} and len(body["rows"]) == 10  # doc: limit defaults to 10


def test_a_bearer_token_from_login_works_until_logout(sandbox):
    tokens = login(sandbox)
    bearer = {"Authorization": f"Bearer {tokens['token']}"}
    assert get(sandbox, TICKETS, headers=bearer).status_code == 200

    post(sandbox, "/connectiveone/kw/api/v1/auth/logout", {}, headers=bearer)

    response = get(sandbox, TICKETS, headers=bearer)
    assert response.status_code == 401
    assert response.json() == {"status": "error", "message": "Invalid or expired token"}


def test_a_refresh_token_is_used_once(sandbox):
    refresh = login(sandbox)["refreshToken"]
    path = "/connectiveone/kw/api/v1/auth/refresh"

    first = post(sandbox, path, {"refreshToken": refresh}, headers={})
    second = post(sandbox, path, {"refreshToken": refresh}, headers={})

    assert first.status_code == 200 and first.json()["token"]
    assert second.status_code == 401


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "API-Key wrong"}, {"Authorization": "Bearer x.y.z"},
     {"x-auth-token": "wrong"}, {"Authorization": "Basic abc"}],
)  # fmt: skip
def test_missing_or_wrong_credentials_get_401(sandbox, headers):
    response = get(sandbox, ROOMS, headers=headers)

    assert response.status_code == 401
    assert response.json()["status"] == "error"


def test_wrong_password_gets_401(sandbox):
    response = post(
        sandbox, "/connectiveone/kw/api/v1/auth/login",
        {"email": OPERATOR_EMAIL, "password": "nope-nope"}, headers={},
    )  # fmt: skip

    assert response.status_code == 401


def test_filters_order_and_paging(sandbox):
    everything = get(sandbox, ROOMS, limit=100).json()["count"]
    middle = "2026-01-01T00:00:00.000Z"
    rows = get(sandbox, ROOMS, limit=100, **{"order[createdAt]": "asc"}).json()["rows"]
    gt = rows[10]["createdAt"]

    after = get(sandbox, ROOMS, limit=5, **{"filter[createdAt][gt]": gt, "order[createdAt]": "asc"})
    before = get(sandbox, ROOMS, **{"filter[createdAt][lt]": middle})
    page2 = get(sandbox, ROOMS, limit=3, offset=3, **{"order[createdAt]": "asc"}).json()["rows"]

    assert [r["id"] for r in after.json()["rows"]] == [r["id"] for r in rows[11:16]]
    assert after.json()["count"] == everything - 11
    assert before.json()["count"] <= everything
    assert [r["id"] for r in page2] == [r["id"] for r in rows[3:6]]
    newest_first = get(sandbox, ROOMS, limit=5).json()["rows"]
    stamps = [r["createdAt"] for r in newest_first]
    assert stamps == sorted(stamps, reverse=True)


def test_include_embeds_related_objects(sandbox):
    room = get(sandbox, ROOMS, limit=1, include="operator,bot,tickets").json()["rows"][0]
    ticket = get(sandbox, TICKETS, limit=1, include="chatRoom").json()["rows"][0]

    assert {"operator", "bot", "tickets"} <= set(room)
    assert ticket["chatRoom"]["id"] == ticket["chatRoomId"]


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "many"}, {"offset": "-1"}, {"order[createdAt]": "up"},
     {"filter[createdAt][gt]": "yesterday"}, {"include": "everything"}],
)  # fmt: skip
def test_bad_parameters_get_422(sandbox, params):
    response = get(sandbox, ROOMS, **params)

    assert response.status_code == 422
    assert response.json()["message"].startswith("Invalid request data")


def test_a_large_limit_is_capped(sandbox):
    assert len(get(sandbox, ROOMS, limit=5000).json()["rows"]) == 100


def test_call_node_with_a_body_and_by_path(platform):
    chat = a_chat(platform)
    body = {"bot_id": MAIN_BOT_ID, "connector_alias": ENTRY_ALIAS, "channel": chat["channel"],
            "chat_id": chat["chatId"], "data": {"message": "Your order is ready!"}}  # fmt: skip
    by_path = f"{CALL}{MAIN_BOT_ID}/{ENTRY_NODE_ID}/{chat['channel']}/{chat['chatId']}"

    first = post(platform, CALL, body)
    second = post(platform, by_path, {"message": "Again"})

    assert first.json() == {"status": "success", "message": "Node called"}
    assert second.status_code == 200 and second.json()["status"] == "success"


@pytest.mark.parametrize(
    ("change", "status"),
    [({"bot_id": 999}, 404), ({"connector_alias": "nope"}, 404), ({"chat_id": "000"}, 404),
     ({"bot_id": "x"}, 422), ({"channel": "pigeon"}, 422), ({"data": "text"}, 422),
     ({"connector_alias": None}, 422)],
)  # fmt: skip
def test_call_node_refusals(sandbox, change, status):
    chat = a_chat(sandbox)
    body = {"bot_id": MAIN_BOT_ID, "connector_alias": ENTRY_ALIAS, "channel": chat["channel"],
            "chat_id": chat["chatId"], "data": {"message": "hi"}, **change}  # fmt: skip
    body = {k: v for k, v in body.items() if v is not None}

    response = post(sandbox, CALL, body)

    assert response.status_code == status
    assert response.json()["status"] == "error"


def test_broadcast_route_needs_the_external_token(platform):
    chat = a_chat(platform)
    body = {"phone": chat["phone"], "bot_id": MAIN_BOT_ID, "template_id": 1}
    path = "/connectiveone/kw/api/broadcast/route"

    ok = post(platform, path, body, headers={"x-auth-token": EXTERNAL_TOKEN})
    with_key = post(platform, path, body)
    unknown = post(
        platform, path, {**body, "template_id": 99}, headers={"x-auth-token": EXTERNAL_TOKEN}
    )

    assert ok.json() == {"status": "success", "message": "Broadcast scheduled"}
    assert with_key.status_code == 422  # doc: "Invalid token or request data"
    assert unknown.status_code == 404
    assert unknown.json()["message"] == "User not found or template does not exist"


def test_the_seed_spreads_chats_over_months(sandbox):
    rows = get(sandbox, ROOMS, limit=1, **{"order[createdAt]": "asc"}).json()["rows"]
    oldest = datetime.fromisoformat(rows[0]["createdAt"])
    assert (datetime.now(UTC) - oldest).days >= 100


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_a_moment_beyond_the_calendar_in_utc_gets_422(sandbox, moment):
    response = get(sandbox, TICKETS, **{"filter[createdAt][gt]": moment})

    assert response.status_code == 422
    assert response.json()["message"].startswith("Invalid request data")


def test_broadcast_route_with_a_body_that_is_not_json_gets_the_documented_422(sandbox):
    response = sandbox.http.post(
        "/connectiveone/kw/api/broadcast/route",
        headers={"x-auth-token": EXTERNAL_TOKEN, "Content-Type": "application/json"},
        content=b"not json",
    )

    assert response.status_code == 422
    assert response.json() == {"status": "error", "message": "Invalid token or request data"}


# --- every documented filter and sort (seeds/000: "Filtering by creation date, status, operator",
# "by creation date, status, priority", "Sorting by various fields") ---------------------------


def every_row(sandbox, path, **params) -> list[dict]:
    rows, offset = [], 0
    while True:
        page = get(sandbox, path, limit=100, offset=offset, **params).json()["rows"]
        rows += page
        if len(page) < 100:
            return rows
        offset += 100


def test_chats_filter_by_operator_and_status(sandbox):
    everything = every_row(sandbox, ROOMS)
    operator_id = next(row["operatorId"] for row in everything if row["operatorId"])

    taken = get(sandbox, ROOMS, limit=100, **{"filter[operatorId]": operator_id}).json()
    both = get(sandbox, ROOMS, limit=100, **{"filter[operatorId]": operator_id,
                                             "filter[status]": "closed"}).json()  # fmt: skip

    expected = [row["id"] for row in everything if row["operatorId"] == operator_id]
    assert taken["count"] == len(expected) and 0 < len(expected) < len(everything)
    assert [row["id"] for row in taken["rows"]] == expected[:100]
    closed = [
        r["id"] for r in everything if r["operatorId"] == operator_id and r["status"] == "closed"
    ]
    assert both["count"] == len(closed) and [r["id"] for r in both["rows"]] == closed[:100]


def test_tickets_filter_by_priority_and_status(sandbox):
    everything = every_row(sandbox, TICKETS)

    high = every_row(sandbox, TICKETS, **{"filter[priority]": "high"})
    high_new = get(sandbox, TICKETS, limit=100,
                   **{"filter[priority]": "high", "filter[status]": "new"}).json()  # fmt: skip

    assert [t["id"] for t in high] == [t["id"] for t in everything if t["priority"] == "high"]
    assert 0 < len(high) < len(everything)
    expected = [t["id"] for t in everything if t["priority"] == "high" and t["status"] == "new"]
    assert high_new["count"] == len(expected)


@pytest.mark.parametrize(
    ("path", "field", "key"),
    [(ROOMS, "updatedAt", lambda r: r["updatedAt"]),
     (ROOMS, "id", lambda r: r["id"]),
     (ROOMS, "status", lambda r: ("open", "closed").index(r["status"])),
     (TICKETS, "priority", lambda t: ("low", "normal", "high").index(t["priority"])),
     (TICKETS, "status", lambda t: ("new", "in_progress", "resolved").index(t["status"]))],
)  # fmt: skip
def test_lists_sort_by_other_fields_both_ways(sandbox, path, field, key):
    first = {}
    for direction in ("asc", "desc"):
        rows = get(sandbox, path, limit=100, **{f"order[{field}]": direction}).json()["rows"]
        keys = [key(row) for row in rows]
        assert keys == sorted(keys, reverse=direction == "desc"), (field, direction)
        first[direction] = keys[0]
    assert first["asc"] < first["desc"]


def test_several_sort_keys_apply_in_the_order_given(sandbox):
    rows = get(sandbox, TICKETS, limit=100,
               **{"order[priority]": "desc", "order[createdAt]": "asc"}).json()["rows"]  # fmt: skip

    ranks = {"high": 0, "normal": 1, "low": 2}
    keys = [(ranks[t["priority"]], t["createdAt"]) for t in rows]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [(ROOMS, {"filter[priority]": "high"}, "filter[priority]"),
     (ROOMS, {"filter[nope]": "1"}, "filter[nope]"),
     (ROOMS, {"filter[createdAt][gte]": "2024-01-01"}, "filter[createdAt][gte]"),
     (TICKETS, {"filter[operatorId]": "1"}, "filter[operatorId]"),
     (ROOMS, {"order[priority]": "asc"}, "order[priority]"),
     (TICKETS, {"order[nope]": "asc"}, "order[nope]"),
     (ROOMS, {"filter[operatorId]": "x"}, "filter[operatorId]"),
     (TICKETS, {"filter[priority]": "urgent"}, "filter[priority]"),
     (TICKETS, {"order[priority]": "up"}, "order[priority]")],
)  # fmt: skip
def test_an_unknown_or_bad_filter_or_sort_key_is_refused_by_name(sandbox, path, params, named):
    response = get(sandbox, path, **params)

    assert response.status_code == 422
    message = response.json()["message"]
    assert message.startswith("Invalid request data") and named in message


def test_a_chat_by_id_with_its_tickets(sandbox):
    ticket = get(sandbox, TICKETS, limit=1).json()["rows"][0]

    room = get(sandbox, f"/connectiveone/kw/api/v1/OpChatRooms/{ticket['chatRoomId']}",
               include="tickets,operator").json()  # fmt: skip
    missing = get(sandbox, "/connectiveone/kw/api/v1/OpChatRooms/99999999")

    assert room["id"] == ticket["chatRoomId"]
    assert ticket["id"] in [t["id"] for t in room["tickets"]]
    assert missing.status_code == 404 and missing.json()["message"] == "Chat not found"


def test_the_shared_people_chat_here_with_the_phone_and_email_the_seed_names(sandbox):
    jane = PEOPLE[0]
    rooms = shared_rooms(TEST_CHAT_ROOMS)
    by_phone = get(sandbox, ROOMS, **{"filter[phone]": jane.phone_digits}).json()
    by_email = get(sandbox, ROOMS, **{"filter[email]": jane.email.upper()}).json()
    liam = get(sandbox, ROOMS, **{"filter[email]": PEOPLE[1].email}).json()

    janes = sorted(room_id for room_id, person in rooms.items() if person == jane)
    assert len(janes) == 2 and carries_email(jane) and not carries_email(PEOPLE[1])
    assert sorted(row["id"] for row in by_phone["rows"]) == janes
    assert sorted(row["id"] for row in by_email["rows"]) == janes
    assert {row["userName"] for row in by_phone["rows"]} == {jane.name}
    assert liam["count"] == 0
