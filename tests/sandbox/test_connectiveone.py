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
