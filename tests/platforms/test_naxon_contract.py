"""The Naxon AI client against the running sandbox, over real HTTP: typed records, every page,
since/until with any offset, sort, exact 64-bit ids and typed errors. A scripted transport only
for answers the sandbox never gives (other offsets, floats and oversized numbers as ids)."""

import logging
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest

from dashboard.platforms.base import ClientOptions
from dashboard.platforms.errors import (
    PlatformNotFound,
    PlatformUnauthorized,
    PlatformUnavailable,
    PlatformValidationError,
)
from dashboard.platforms.naxon import Conversation, Message, Model, NaxonClient
from sandbox.naxon.credentials import API_TOKEN, BIG_ID_MODEL_ID, EMPTY_MODEL_ID
from tests.platforms.helpers import ScriptedTransport, fixed_options, json_response

SECOND = timedelta(seconds=1)
BANGKOK = timezone(timedelta(hours=7))
NEW_YORK_WINTER = timezone(timedelta(hours=-5))
KATHMANDU = timezone(timedelta(hours=5, minutes=45))


def client_for(sandbox, token: str | None = API_TOKEN) -> NaxonClient:
    return NaxonClient(sandbox.url + "/naxon", token, options=ClientOptions())


@pytest.fixture(scope="module")
def client(sandbox) -> NaxonClient:
    return client_for(sandbox)


@pytest.fixture(scope="module")
def conversations(client) -> list[Conversation]:
    return list(client.iter_conversations())


# --- records ----------------------------------------------------------------------------------


def test_models_are_typed_records_with_exact_ids_and_aware_times(client, sandbox) -> None:
    models = list(client.iter_models())
    raw = sandbox.http.get(
        "/naxon/models", headers={"Authorization": f"Bearer {API_TOKEN}"}
    ).json()["data"]  # fmt: skip

    assert all(isinstance(model, Model) for model in models)
    assert [model.id for model in models] == [row["id"] for row in raw]
    assert BIG_ID_MODEL_ID in {model.id for model in models}
    for model, row in zip(models, raw, strict=True):
        assert model.created_at.utcoffset() is not None  # aware, as the platform wrote it
        assert model.created_at == datetime.fromisoformat(row["created_at"])


def test_a_model_by_its_big_id(client) -> None:
    model = client.get_model(BIG_ID_MODEL_ID)

    assert (model.id, model.name) == (2**53 + 1, "Acme Instagram & LINE Concierge")


def test_the_float_of_a_big_id_is_refused_before_any_request(client) -> None:
    with pytest.raises(TypeError):
        client.get_model(float(BIG_ID_MODEL_ID))
    with pytest.raises(PlatformNotFound):
        client.get_model(int(float(BIG_ID_MODEL_ID)))  # 2**53: another model, which is none


def test_walking_every_conversation_gives_each_once_newest_first(client, conversations) -> None:
    first = client.list_conversations(per_page=1)

    assert len(conversations) == first.total_rows == first.total_pages
    assert len({c.id for c in conversations}) == len(conversations)
    created = [c.created_at for c in conversations]
    assert created == sorted(created, reverse=True)
    assert all(c.id > 2**53 for c in conversations)


def test_a_conversation_and_its_thread(client, conversations) -> None:
    listed = next(c for c in conversations if len(c.recent_messages) == 5)

    record = client.get_conversation(listed.id)
    thread = list(client.iter_messages(listed.id))

    assert record == listed
    assert all(isinstance(message, Message) for message in thread)
    assert record.most_recent_message == thread[-1] and record.recent_messages == thread[-5:]
    assert [m.seq for m in thread] == sorted(m.seq for m in thread)
    assert record.updated_at == thread[-1].created_at and record.created_at == thread[0].created_at


def test_a_small_page_size_walks_the_same_thread(client, conversations) -> None:
    long = next(c for c in conversations if len(c.recent_messages) == 5)

    assert list(client.iter_messages(long.id, page_size=2)) == list(client.iter_messages(long.id))


def test_a_models_conversations(client, conversations) -> None:
    own = list(client.iter_conversations(model_id=BIG_ID_MODEL_ID, page_size=7))

    assert own and {c.model_id for c in own} == {BIG_ID_MODEL_ID}
    assert [c.id for c in own] == [c.id for c in conversations if c.model_id == BIG_ID_MODEL_ID]
    assert list(client.iter_conversations(model_id=EMPTY_MODEL_ID)) == []


# --- since, until and sort --------------------------------------------------------------------


def window(client, since=None, until=None, **options) -> set[int]:
    return {c.id for c in client.iter_conversations(since=since, until=until, **options)}


@pytest.mark.parametrize("zone", [UTC, BANGKOK, NEW_YORK_WINTER, KATHMANDU], ids=str)
def test_bounds_are_inclusive_instants_whatever_their_zone(client, conversations, zone) -> None:
    target = conversations[len(conversations) // 2]
    at = target.created_at.astimezone(zone)

    assert target.id in window(client, since=at, until=at)
    assert target.id not in window(client, since=at + SECOND)
    assert target.id not in window(client, until=at - SECOND)


def test_fractions_of_a_second_round_inwards(client, conversations) -> None:
    """The wire has whole seconds and inclusive bounds: nothing before `since` or after
    `until` may come back."""
    target = conversations[len(conversations) // 2]
    half = timedelta(milliseconds=500)

    assert target.id not in window(client, since=target.created_at + half)
    assert target.id in window(client, until=target.created_at + half)
    assert target.id not in window(client, until=target.created_at - half)


def test_a_naive_bound_is_refused_before_any_request(client) -> None:
    with pytest.raises(ValueError, match="aware"):
        client.list_conversations(since=datetime(2026, 1, 1))


def test_sort_updated_at_filters_on_the_update(client, conversations) -> None:
    late = next(c for c in conversations if c.updated_at - c.created_at > timedelta(days=1))

    assert late.id in window(
        client, since=late.updated_at, until=late.updated_at, sort="updated_at"
    )
    assert late.id not in window(client, since=late.updated_at, until=late.updated_at)
    updated = [c.updated_at for c in client.iter_conversations(sort="updated_at")]
    assert updated == sorted(updated, reverse=True)
    with pytest.raises(ValueError):
        client.list_conversations(sort="name")


def test_models_filter_on_creation(client) -> None:
    newest = client.list_models().items[0]

    assert [m.id for m in client.iter_models(since=newest.created_at.astimezone(BANGKOK))] == [
        newest.id
    ]


# --- errors -----------------------------------------------------------------------------------


def test_a_wrong_token_is_unauthorized(sandbox) -> None:
    with pytest.raises(PlatformUnauthorized) as caught:
        client_for(sandbox, "nxn_wrong").list_models()

    assert caught.value.status == 401 and caught.value.message == "Unauthorized"


def test_no_token_is_unauthorized(sandbox) -> None:
    with pytest.raises(PlatformUnauthorized):
        client_for(sandbox, None).get_model(BIG_ID_MODEL_ID)


def test_an_unknown_conversation_is_not_found(client) -> None:
    with pytest.raises(PlatformNotFound) as caught:
        client.get_conversation(1)

    assert caught.value.message == "Conversation not found"


def test_a_refused_parameter_is_a_validation_error_naming_it(client) -> None:
    with pytest.raises(PlatformValidationError) as caught:
        client.list_messages(1, per_page=0)

    assert caught.value.status == 400 and caught.value.message.startswith("per_page ")


def test_a_platform_failure_is_unavailable_after_the_retries(platform) -> None:
    platform.set_faults(errorRate=1, errorStatus=503, paths="^/naxon/")
    client = client_for(platform).with_options(max_retries=1)

    with pytest.raises(PlatformUnavailable):
        client.list_models()

    assert len(platform.requests()) == 2  # the call and one retry


def test_the_token_never_reaches_the_log(sandbox, caplog) -> None:
    caplog.set_level(logging.DEBUG)

    client_for(sandbox).list_models()
    with pytest.raises(PlatformUnauthorized):
        client_for(sandbox, "nxn_wrong_secret").list_models()

    assert caplog.records and API_TOKEN not in caplog.text and "nxn_wrong_secret" not in caplog.text


# --- answers the sandbox never gives -----------------------------------------------------------


def page_of(*rows: dict) -> dict:
    return {"data": list(rows), "page": 1, "rows_per_page": 10, "total_pages": 1,
            "total_rows": len(rows)}  # fmt: skip


def scripted(*answers: httpx.Response) -> tuple[NaxonClient, ScriptedTransport]:
    transport = ScriptedTransport(*answers)
    client = NaxonClient("http://naxon.test/v1", "t", options=fixed_options(), transport=transport)
    return client, transport


@pytest.mark.parametrize(
    "written",
    ["2025-05-05T05:05:05+0700", "2025-05-05T05:05:05+07:00", "2025-05-04T22:05:05Z",
     "2025-05-04T16:20:05-0545", "2025-05-05T05:05:05.000+0700"],
)  # fmt: skip
def test_any_offset_reads_as_the_same_instant(written: str) -> None:
    """The records keep the offset the platform wrote; the instant is what compares (pages show
    it in the viewer's zone)."""
    client, _ = scripted(json_response(200, page_of({"id": 1, "name": "m", "created_at": written})))

    [model] = client.list_models().items

    assert model.created_at == datetime(2025, 5, 4, 22, 5, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    "content",
    [b'{"id": 1.4774425647841295e+18, "name": "m"}', b'{"id": "123", "name": "m"}',
     b'{"id": 123456789012345678901234567890, "name": "m"}', b'{"id": true}',
     b'{"name": "no id"}', b'{"id": 1, "created_at": "2025-05-04T22:05:05"}',
     b'{"id": 1, "created_at": "yesterday"}', b"[1, 2]", b"not json", b'{"id": NaN}'],
)  # fmt: skip
def test_an_answer_that_is_not_a_model_is_unavailable_not_a_crash(content: bytes) -> None:
    client, _ = scripted(httpx.Response(200, content=content))

    with pytest.raises(PlatformUnavailable):
        client.get_model(1)


def test_requests_carry_the_documented_parameters_and_the_token() -> None:
    client, transport = scripted(json_response(200, page_of()))
    since = datetime(2025, 5, 5, 5, 5, 5, tzinfo=BANGKOK)

    client.list_conversations(model_id=2**53 + 1, page=2, per_page=50, since=since,
                              until=since + timedelta(days=1), sort="updated_at")  # fmt: skip

    sent = transport.last
    assert sent.url.path == "/v1/models/9007199254740993/conversations"
    assert dict(sent.url.params) == {
        "page": "2", "per_page": "50", "sort": "updated_at",
        "since": "2025-05-05T05:05:05+0700", "until": "2025-05-06T05:05:05+0700",
    }  # fmt: skip
    assert b"%2B0700" in sent.url.query  # a + sent raw would arrive as a space
    assert sent.headers["Authorization"] == "Bearer t"
