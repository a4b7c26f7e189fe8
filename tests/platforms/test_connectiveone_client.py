"""The ConnectiveOne client against the running sandbox: each credential, typed records, paging,
typed errors, a Bearer token renewed when the platform ends it, and no secret in the logs."""

import logging

import httpx
import pytest

from dashboard.platforms.connectiveone import (
    ApiKeyAuth,
    ConnectiveOneClient,
    ExternalTokenAuth,
)
from dashboard.platforms.errors import (
    PlatformNotFound,
    PlatformUnauthorized,
    PlatformValidationError,
)
from sandbox.connectiveone.credentials import (
    API_KEY,
    ENTRY_ALIAS,
    ENTRY_NODE_ID,
    EXTERNAL_TOKEN,
    MAIN_BOT_ID,
    OPERATOR_EMAIL,
    OPERATOR_PASSWORD,
)


@pytest.fixture
def client(sandbox) -> ConnectiveOneClient:
    return ConnectiveOneClient(sandbox.url + "/connectiveone", ApiKeyAuth(API_KEY))


def test_it_walks_every_chat_once(client):
    first = client.list_chat_rooms(limit=1)
    rooms = list(client.iter_chat_rooms())

    assert len(rooms) == first.total
    assert len({room.id for room in rooms}) == len(rooms)
    assert rooms[0].created_at <= rooms[-1].created_at  # oldest first


def test_date_filters_narrow_the_list(client):
    rooms = list(client.iter_chat_rooms())
    cut = rooms[len(rooms) // 2].created_at

    after = list(client.iter_chat_rooms(created_after=cut))

    assert after and all(room.created_at > cut for room in after)


def test_records_carry_included_objects(client):
    room = client.list_chat_rooms(limit=20, include=["operator"]).items
    ticket = client.list_tickets(limit=1, include=["chatRoom"]).items[0]

    assert any(r.operator is not None for r in room)
    assert ticket.chat_room is not None and ticket.chat_room.id == ticket.chat_room_id


def test_call_node_in_both_forms(platform, client):
    room = next(r for r in client.iter_chat_rooms() if r.bot_id == MAIN_BOT_ID)

    by_alias = client.call_node(bot_id=MAIN_BOT_ID, channel=room.channel, chat_id=room.chat_id,
                                data={"message": "hi"}, connector_alias=ENTRY_ALIAS)  # fmt: skip
    by_node = client.call_node(bot_id=MAIN_BOT_ID, channel=room.channel, chat_id=room.chat_id,
                               data={"message": "hi"}, node_id=ENTRY_NODE_ID)  # fmt: skip

    assert by_alias == by_node == "Node called"
    paths = [r["path"] for r in platform.requests() if r["method"] == "POST"]
    assert "/connectiveone/kw/api/call_node/" in paths
    assert any(p.endswith(f"/{room.chat_id}") for p in paths)


def test_errors_are_typed(client):
    with pytest.raises(PlatformNotFound, match="Chat not found"):
        client.call_node(bot_id=MAIN_BOT_ID, channel="telegram", chat_id="1",
                         data={}, connector_alias=ENTRY_ALIAS)  # fmt: skip
    with pytest.raises(PlatformValidationError):
        client.call_node(bot_id=MAIN_BOT_ID, channel="pigeon", chat_id="1",
                         data={}, connector_alias=ENTRY_ALIAS)  # fmt: skip
    with pytest.raises(ValueError):
        client.call_node(bot_id=1, channel="telegram", chat_id="1", data={})


def test_a_wrong_key_is_unauthorized(sandbox):
    client = ConnectiveOneClient(sandbox.url + "/connectiveone", ApiKeyAuth("wrong"))

    with pytest.raises(PlatformUnauthorized):
        client.list_tickets()


def test_broadcast_by_phone_with_the_external_token(platform, client):
    phone = next(r.phone for r in client.iter_chat_rooms() if r.bot_id == MAIN_BOT_ID)
    external = ConnectiveOneClient(
        platform.url + "/connectiveone", ExternalTokenAuth(EXTERNAL_TOKEN)
    )

    assert external.broadcast_to_phone(phone=f"+{phone}", bot_id=MAIN_BOT_ID, template_id=1) == (
        "Broadcast scheduled"
    )


def test_a_bearer_client_signs_in_again_when_its_token_is_ended(platform):
    client = ConnectiveOneClient.signed_in(
        platform.url + "/connectiveone", OPERATOR_EMAIL, OPERATOR_PASSWORD
    )
    assert client.list_tickets(limit=1).total > 0
    token = client._http.credentials.token
    platform.http.post(
        "/connectiveone/kw/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}
    )

    assert client.list_tickets(limit=1).total > 0  # renewed, not an error
    assert client._http.credentials.token != token


def test_no_secret_reaches_the_log(sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    client = ConnectiveOneClient.signed_in(
        sandbox.url + "/connectiveone", OPERATOR_EMAIL, OPERATOR_PASSWORD
    )
    client.list_tickets(limit=1)
    ConnectiveOneClient(sandbox.url + "/connectiveone", ApiKeyAuth(API_KEY)).list_tickets(limit=1)

    text = caplog.text + repr(client)
    assert OPERATOR_PASSWORD not in text and API_KEY not in text
    assert client._http.credentials.token not in text


def test_a_429_on_a_list_is_retried_after_retry_after(platform):
    client = ConnectiveOneClient(platform.url + "/connectiveone", ApiKeyAuth(API_KEY))
    platform.set_faults(rateLimitRps=1, retryAfter=1, paths="Ticket")
    client.list_tickets(limit=1)

    assert client.list_tickets(limit=1).total > 0
    statuses = [r["status"] for r in platform.requests() if "Ticket" in r["path"]]
    assert 429 in statuses


def test_an_unreachable_instance_is_unavailable():
    client = ConnectiveOneClient("http://127.0.0.1:9/connectiveone", ApiKeyAuth(API_KEY))
    with pytest.raises(Exception) as raised:
        client.with_options(max_retries=0).list_tickets()
    assert not isinstance(raised.value, httpx.HTTPError)


def test_it_filters_and_sorts_by_the_other_documented_fields(client):
    taken = client.list_chat_rooms(operator_id=1, status="open", sort="updatedAt", order="asc",
                                   limit=50)  # fmt: skip
    urgent = client.list_tickets(priority="high", sort="priority", limit=50)

    assert taken.items and all(r.operator_id == 1 and r.status == "open" for r in taken.items)
    stamps = [r.updated_at for r in taken.items]
    assert stamps == sorted(stamps)
    assert urgent.items and {t.priority for t in urgent.items} == {"high"}


def test_it_finds_a_persons_chats_by_phone_or_email_and_reads_one_by_id(client):
    from sandbox.people import PEOPLE

    jane = PEOPLE[0]
    by_phone = client.list_chat_rooms(phone=jane.phone)  # the `+` is dropped
    by_email = client.list_chat_rooms(email=jane.email)
    room = client.get_chat_room(by_phone.items[0].id, include=["tickets", "bot", "operator"])

    assert by_phone.total == 2 and {r.id for r in by_phone.items} == {r.id for r in by_email.items}
    assert room.email == jane.email and room.bot is not None and room.tickets is not None
    with pytest.raises(PlatformNotFound):
        client.get_chat_room(99_999_999)
