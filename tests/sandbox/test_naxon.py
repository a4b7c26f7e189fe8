"""The Naxon AI emulator (/naxon), from seeds/001: every operation, `page`, `per_page`, `since`
and `until` (inclusive, with any offset), `sort`, the list envelope, the records, int64 ids
beyond 2**53, the apiToken's 401, and bad input answered with a 400, never a 5xx."""

import json
import math
import re
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.connextlive.hostile import HOSTILE_STRINGS
from sandbox.naxon.credentials import (
    API_TOKEN,
    BIG_ID_MODEL_ID,
    EMPTY_MODEL_ID,
    WEB_CHAT_MODEL_ID,
)
from sandbox.naxon.shared import SHARED_PEOPLE, shared_conversations, user_id
from sandbox.people import PEOPLE
from tests.fixtures.sandbox import Sandbox

TOKEN = {"Authorization": f"Bearer {API_TOKEN}"}
ENVELOPE = {"data", "page", "rows_per_page", "total_pages", "total_rows"}
WIRE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0700$")
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ENDPOINTS = [
    "/naxon/models",
    f"/naxon/models/{WEB_CHAT_MODEL_ID}",
    f"/naxon/models/{WEB_CHAT_MODEL_ID}/conversations",
    "/naxon/conversations",
    "/naxon/conversations/{conversation}",
    "/naxon/conversations/{conversation}/messages",
]


def get(sandbox: Sandbox, path: str, headers: dict[str, str] = TOKEN, **params) -> httpx.Response:
    return sandbox.http.get(path, headers=headers, params=params)


def ok(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def every_row(sandbox: Sandbox, path: str, **params) -> list[dict]:
    rows, page = [], 1
    while True:
        body = ok(get(sandbox, path, page=page, per_page=100, **params))
        rows += body["data"]
        if page >= body["total_pages"]:
            return rows
        page += 1


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def wire(instant: datetime, offset_hours: int = 7, colon: bool = False) -> str:
    """The instant in the document's spelling, in another zone if asked."""
    text = instant.astimezone(timezone(timedelta(hours=offset_hours))).strftime(
        "%Y-%m-%dT%H:%M:%S%z"
    )
    return text[:-2] + ":" + text[-2:] if colon else text


@pytest.fixture(scope="module")
def conversations(sandbox: Sandbox) -> list[dict]:
    return every_row(sandbox, "/naxon/conversations")


@pytest.fixture(scope="module")
def conversation(conversations: list[dict]) -> dict:
    return conversations[len(conversations) // 2]


# --- the envelope and paging -------------------------------------------------------------------


def test_the_models_list_is_the_documented_envelope_of_documented_records(sandbox) -> None:
    body = ok(get(sandbox, "/naxon/models"))

    assert set(body) == ENVELOPE
    assert (body["page"], body["rows_per_page"]) == (1, 10)  # guess: 10 rows by default
    assert body["total_rows"] == len(body["data"]) == 7 and body["total_pages"] == 1
    assert all(set(model) == {"id", "name", "created_at"} for model in body["data"])
    oldest = body["data"][-1]  # newest first: the document's example model is the oldest
    assert (oldest["id"], oldest["name"]) == (WEB_CHAT_MODEL_ID, "Acme Web Chat")
    assert all(WIRE_TIME.match(model["created_at"]) for model in body["data"])


def test_walking_the_pages_gives_every_conversation_once(sandbox, conversations) -> None:
    first = ok(get(sandbox, "/naxon/conversations", per_page=7))
    walked, page = [], 1
    while page <= first["total_pages"]:
        body = ok(get(sandbox, "/naxon/conversations", per_page=7, page=page))
        assert body["page"] == page and body["rows_per_page"] == 7
        walked += [row["id"] for row in body["data"]]
        page += 1

    assert first["total_rows"] == len(conversations) >= 300
    assert first["total_pages"] == math.ceil(first["total_rows"] / 7)
    assert len(walked) == len(set(walked)) == first["total_rows"]


def test_a_page_past_the_last_is_empty_with_the_totals(sandbox) -> None:
    body = ok(get(sandbox, "/naxon/conversations", page=10_000, per_page=50))

    assert body["data"] == [] and body["page"] == 10_000 and body["total_rows"] > 0


def test_per_page_above_100_is_capped(sandbox) -> None:
    body = ok(get(sandbox, "/naxon/conversations", per_page=5_000))

    assert body["rows_per_page"] == 100 and len(body["data"]) == 100


def test_an_empty_value_counts_as_absent(sandbox) -> None:
    assert ok(get(sandbox, "/naxon/conversations", page="", per_page="", sort="", since="")) == ok(
        get(sandbox, "/naxon/conversations")
    )


def test_rows_come_newest_first_by_the_sort_field(sandbox, conversations) -> None:
    by_created = [moment(row["created_at"]) for row in conversations]
    by_updated = [
        moment(row["updated_at"])
        for row in every_row(sandbox, "/naxon/conversations", sort="updated_at")
    ]

    assert by_created == sorted(by_created, reverse=True)
    assert by_updated == sorted(by_updated, reverse=True)


# --- since and until -----------------------------------------------------------------------------


def window_ids(sandbox: Sandbox, **params) -> set[int]:
    return {row["id"] for row in every_row(sandbox, "/naxon/conversations", **params)}


def test_since_and_until_are_inclusive_to_the_second(sandbox, conversation) -> None:
    created = moment(conversation["created_at"])
    second = timedelta(seconds=1)

    assert conversation["id"] in window_ids(sandbox, since=wire(created), until=wire(created))
    assert conversation["id"] not in window_ids(sandbox, since=wire(created + second))
    assert conversation["id"] not in window_ids(sandbox, until=wire(created - second))


@pytest.mark.parametrize("offset_hours", [7, 0, -5, 13])
@pytest.mark.parametrize("colon", [False, True], ids=["+0700", "+07:00"])
def test_an_instant_means_the_same_whatever_its_offset(
    sandbox, conversations, offset_hours: int, colon: bool
) -> None:
    middle = moment(conversations[len(conversations) // 3]["created_at"])
    expected = {row["id"] for row in conversations if moment(row["created_at"]) >= middle}

    assert window_ids(sandbox, since=wire(middle, offset_hours, colon)) == expected


def test_z_is_utc(sandbox, conversations) -> None:
    middle = moment(conversations[len(conversations) // 3]["created_at"]).astimezone(UTC)
    spelled = middle.strftime("%Y-%m-%dT%H:%M:%SZ")
    expected = {row["id"] for row in conversations if moment(row["created_at"]) <= middle}

    assert window_ids(sandbox, until=spelled) == expected


def test_the_wall_clock_without_its_offset_is_another_instant(sandbox, conversation) -> None:
    """The same `12:00:00` at +0700 and at +0000 are seven hours apart: a client that drops
    offsets gets the wrong rows."""
    created = moment(conversation["created_at"])
    as_if_utc = created.replace(tzinfo=UTC)

    assert conversation["id"] in window_ids(sandbox, since=wire(created), until=wire(created))
    assert conversation["id"] not in window_ids(
        sandbox, since=wire(as_if_utc, 0), until=wire(as_if_utc, 0)
    )


def test_sort_updated_at_makes_the_window_filter_on_updated_at(sandbox, conversations) -> None:
    """A conversation its customer came back to days later: its update is in a window its
    creation is not."""
    late = next(
        row
        for row in conversations
        if moment(row["updated_at"]) - moment(row["created_at"]) > timedelta(days=1)
    )
    updated = wire(moment(late["updated_at"]))

    assert late["id"] in window_ids(sandbox, since=updated, until=updated, sort="updated_at")
    assert late["id"] not in window_ids(sandbox, since=updated, until=updated)
    assert late["id"] not in window_ids(sandbox, since=updated, sort="created_at")


def test_the_models_list_filters_on_creation(sandbox) -> None:
    models = ok(get(sandbox, "/naxon/models"))["data"]
    newest = moment(models[0]["created_at"])

    body = ok(get(sandbox, "/naxon/models", since=wire(newest)))

    assert [model["id"] for model in body["data"]] == [models[0]["id"]]


# --- records and ids ---------------------------------------------------------------------------


def test_ids_beyond_2_to_the_53_are_exact_on_the_wire(sandbox, conversations) -> None:
    raw = get(sandbox, f"/naxon/models/{BIG_ID_MODEL_ID}").text

    assert f'"id": {BIG_ID_MODEL_ID}' in raw
    assert json.loads(raw)["id"] == 2**53 + 1 != int(float(2**53 + 1))
    assert all(row["id"] > 2**53 for row in conversations)  # Snowflake-like, all of them
    assert BIG_ID_MODEL_ID in {row["model_id"] for row in conversations}


def test_the_float_reading_of_a_big_id_is_another_id(sandbox) -> None:
    response = get(sandbox, f"/naxon/models/{int(float(BIG_ID_MODEL_ID))}")

    assert response.status_code == 404 and response.json() == {"message": "Model not found"}


def test_a_model_by_id_and_its_conversations(sandbox, conversations) -> None:
    model = ok(get(sandbox, f"/naxon/models/{BIG_ID_MODEL_ID}"))
    own = every_row(sandbox, f"/naxon/models/{BIG_ID_MODEL_ID}/conversations")

    assert model["name"] == "Acme Instagram & LINE Concierge"
    assert own and {row["model_id"] for row in own} == {BIG_ID_MODEL_ID}
    assert {row["model_name"] for row in own} == {model["name"]}
    assert {row["id"] for row in own} == {
        row["id"] for row in conversations if row["model_id"] == BIG_ID_MODEL_ID
    }


def test_a_model_without_conversations_lists_none(sandbox) -> None:
    body = ok(get(sandbox, f"/naxon/models/{EMPTY_MODEL_ID}/conversations"))

    assert (body["data"], body["total_rows"], body["total_pages"]) == ([], 0, 0)


def test_a_conversation_carries_its_latest_messages(sandbox, conversation) -> None:
    record = ok(get(sandbox, f"/naxon/conversations/{conversation['id']}"))
    thread = ok(get(sandbox, f"/naxon/conversations/{conversation['id']}/messages", per_page=100))

    assert set(record) == {
        "id", "model_id", "model_name", "created_at", "updated_at", "most_recent_message",
        "recent_messages", "platform", "platform_user_id",
    }  # fmt: skip
    assert record == conversation
    assert record["recent_messages"] == thread["data"][-5:]
    assert record["most_recent_message"] == thread["data"][-1]
    assert record["created_at"] == thread["data"][0]["created_at"]
    assert record["updated_at"] == thread["data"][-1]["created_at"]


def ulid_milliseconds(seq: str) -> int:
    """The time a ULID holds: its first ten Crockford base32 digits."""
    value = 0
    for digit in seq[:10]:
        value = value * 32 + CROCKFORD.index(digit)
    return value


def test_messages_come_oldest_first_with_ulid_seqs_in_time_order(sandbox, conversation) -> None:
    thread = ok(get(sandbox, f"/naxon/conversations/{conversation['id']}/messages"))["data"]

    assert all(set(m) == {"id", "seq", "sender", "message", "created_at"} for m in thread)
    assert [m["seq"] for m in thread] == sorted(m["seq"] for m in thread)
    assert [m["created_at"] for m in thread] == sorted(m["created_at"] for m in thread)
    for message in thread:
        assert re.fullmatch(f"[{CROCKFORD}]{{26}}", message["seq"])
        seconds = ulid_milliseconds(message["seq"]) // 1000
        assert seconds == int(moment(message["created_at"]).timestamp())


def test_messages_page_like_the_lists(sandbox, conversations) -> None:
    long = next(row for row in conversations if len(row["recent_messages"]) == 5)
    path = f"/naxon/conversations/{long['id']}/messages"
    whole = ok(get(sandbox, path, per_page=100))
    pages = [ok(get(sandbox, path, per_page=2, page=number)) for number in (1, 2, 3)]

    assert [page["total_rows"] for page in pages] == [whole["total_rows"]] * 3
    assert [m for page in pages for m in page["data"]] == whole["data"][:6]


# --- the seed ------------------------------------------------------------------------------------


def test_the_seed_spreads_conversations_over_platforms_and_ninety_days(conversations) -> None:
    created = [moment(row["created_at"]) for row in conversations]

    assert {row["platform"] for row in conversations} == {
        "web", "whatsapp", "telegram", "messenger", "instagram", "line",
    }  # fmt: skip
    assert timedelta(days=80) < max(created) - min(created) < timedelta(days=95)
    assert max(created) < datetime.now(UTC)


def test_people_write_from_their_phone_and_their_email(conversations) -> None:
    """WhatsApp ids are E.164 numbers without the +, web users may be signed in by email; the
    same person turns up on both."""
    phones = {person.phone.removeprefix("+"): person for person in PEOPLE}
    emails = {person.email: person for person in PEOPLE}
    whatsapp = [row["platform_user_id"] for row in conversations if row["platform"] == "whatsapp"]
    web = [row["platform_user_id"] for row in conversations if row["platform"] == "web"]

    assert all(re.fullmatch(r"(44|1)\d{9,10}", user) for user in whatsapp)
    assert {phones[user] for user in whatsapp if user in phones} & {
        emails[user] for user in web if user in emails
    }


def test_the_shared_people_have_exactly_the_conversations_the_seed_lists(conversations) -> None:
    """sandbox/naxon/shared.py: the newest conversations, and no other (neither a random pick
    nor an anonymous WhatsApp number), are theirs."""
    listed = sorted((platform, user_id(person, platform)) for person, platform in
                    shared_conversations())  # fmt: skip
    theirs = {user_id(person, platform) for person in PEOPLE[:SHARED_PEOPLE]
              for platform in ("whatsapp", "web")}  # fmt: skip

    found = [(row["platform"], row["platform_user_id"]) for row in conversations
             if row["platform_user_id"] in theirs]  # fmt: skip
    assert sorted(found) == listed
    assert len(listed) == 18


def test_platform_user_id_filters_the_conversation_lists(sandbox) -> None:
    """A guess (the document has no such filter), for the contact view: an exact match."""
    jane = PEOPLE[0]
    by_phone = ok(get(sandbox, "/naxon/conversations", platform_user_id=jane.phone_digits))
    by_email = ok(get(sandbox, "/naxon/models/123/conversations", platform_user_id=jane.email))
    nobody = ok(get(sandbox, "/naxon/conversations", platform_user_id=jane.phone_digits[:-1]))

    assert [(r["platform"], r["platform_user_id"]) for r in by_phone["data"]] == [
        ("whatsapp", jane.phone_digits)
    ]
    assert by_phone["total_rows"] == 1 and by_email["total_rows"] == 1
    assert by_email["data"][0]["platform"] == "web"
    assert nobody["data"] == [] and nobody["total_rows"] == 0
    too_long = get(sandbox, "/naxon/conversations", platform_user_id="x" * 257)
    assert too_long.status_code == 400 and "platform_user_id" in too_long.json()["message"]


def test_hostile_strings_are_message_texts(sandbox, conversations) -> None:
    """Every 97th conversation carries one as a customer's message (test size: four)."""
    texts = set()
    for row in conversations:
        path = f"/naxon/conversations/{row['id']}/messages"
        texts |= {message["message"] for message in ok(get(sandbox, path, per_page=100))["data"]}

    assert len(texts & set(HOSTILE_STRINGS)) == len(conversations) // 97


# --- failures ------------------------------------------------------------------------------------


def endpoint(path: str, conversation: dict) -> str:
    return path.format(conversation=conversation["id"])


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": API_TOKEN},
     {"Authorization": f"Basic {API_TOKEN}"}, {"Authorization": "Bearer  x"}],
    ids=["none", "wrong", "no-scheme", "basic", "padded"],
)  # fmt: skip
def test_without_the_token_every_endpoint_answers_the_documented_401(
    sandbox, conversation, path: str, headers: dict[str, str]
) -> None:
    response = get(sandbox, endpoint(path, conversation), headers=headers)

    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}


def test_the_scheme_is_read_without_regard_to_case(sandbox) -> None:
    assert get(
        sandbox, "/naxon/models", headers={"Authorization": f"bearer {API_TOKEN}"}
    ).is_success


BAD_QUERIES = [
    ("page", "0"), ("page", "-1"), ("page", "two"), ("page", "1.5"), ("page", str(2**31)),
    ("per_page", "0"), ("per_page", "1e3"), ("per_page", str(2**64)),
    ("since", "yesterday"), ("since", "2025-05-05"), ("since", "2025-05-05T05:05:05"),
    ("since", "2025-05-05 05:05:05+0700"), ("until", "2025-02-30T00:00:00Z"),
    ("until", "2025-05-05T25:00:00Z"), ("until", "2025-05-05T05:05:05+2400"),
    ("since", "0001-01-01T00:00:00+0100"), ("until", "9999-12-31T23:59:59-0100"),
    ("sort", "name"), ("sort", "CREATED_AT"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "value"), BAD_QUERIES)
def test_a_bad_query_value_gets_400_naming_the_parameter(sandbox, name: str, value: str) -> None:
    response = get(sandbox, "/naxon/conversations", **{name: value})

    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith(f"{name} must be ")


def test_an_unencoded_plus_is_a_space_and_the_400_says_so(sandbox) -> None:
    response = sandbox.http.get(
        "/naxon/conversations?since=2025-05-05T05:05:05+0700", headers=TOKEN
    )

    assert response.status_code == 400
    assert "%2B" in response.json()["message"]


@pytest.mark.parametrize(
    "path",
    ["/naxon/models/abc", "/naxon/models/1.5", "/naxon/models/12abc/conversations",
     f"/naxon/conversations/{2**63}", "/naxon/conversations/--1/messages",
     "/naxon/conversations/%20"],
)  # fmt: skip
def test_an_id_that_is_not_an_int64_gets_400(sandbox, path: str) -> None:
    response = get(sandbox, path)

    assert response.status_code == 400
    assert re.match(
        r"^(model|conversation)_id must be a 64-bit integer", response.json()["message"]
    )


@pytest.mark.parametrize(
    "path",
    ["/naxon/models/1", "/naxon/models/-5/conversations", f"/naxon/conversations/{2**63 - 1}",
     "/naxon/conversations/0/messages"],
)  # fmt: skip
def test_an_unknown_id_gets_404(sandbox, path: str) -> None:
    response = get(sandbox, path)

    assert response.status_code == 404
    assert response.json()["message"] in ("Model not found", "Conversation not found")


def test_a_wrong_method_gets_405_with_allow(sandbox) -> None:
    response = sandbox.http.post("/naxon/conversations", headers=TOKEN)

    assert response.status_code == 405 and response.headers["Allow"] == "GET"
    assert response.json() == {"message": "Method Not Allowed"}


# --- the sandbox around it -------------------------------------------------------------------


def test_faults_and_the_request_log_cover_naxon(platform) -> None:
    platform.set_faults(errorRate=1, errorStatus=503, paths="^/naxon/models$")

    assert get(platform, "/naxon/models").status_code == 503
    assert get(platform, f"/naxon/models/{WEB_CHAT_MODEL_ID}").status_code == 200
    logged = [(entry["path"], entry["status"]) for entry in platform.requests()]
    assert logged == [("/naxon/models", 503), (f"/naxon/models/{WEB_CHAT_MODEL_ID}", 200)]


def test_the_credentials_endpoint_publishes_naxon(sandbox) -> None:
    naxon = ok(sandbox.http.get("/__sandbox__/credentials"))["naxon"]

    assert naxon["baseUrl"] == "/naxon" and naxon["apiToken"] == API_TOKEN
    assert naxon["models"]["bigId"] == BIG_ID_MODEL_ID > 2**53
    assert get(sandbox, "/naxon/models", headers={"Authorization": f"Bearer {naxon['apiToken']}"})


QUERY_NAMES = ["page", "per_page", "since", "until", "sort", "limit"]


@given(
    path=st.sampled_from(ENDPOINTS),
    segment=st.one_of(st.none(), st.text(min_size=1, max_size=30)),
    query=st.dictionaries(st.sampled_from(QUERY_NAMES), st.text(max_size=40), max_size=5),
)
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_garbage_never_gets_a_5xx(sandbox, conversation, path, segment, query) -> None:
    """Any id in the path and any values of the parameters: an answer, or a clear 4xx."""
    url = endpoint(path, conversation)
    if segment is not None and "{" in path:
        url = url.replace(str(conversation["id"]), quote(segment, safe=""))

    response = get(sandbox, url, **query)

    assert response.status_code in (200, 400, 404), (url, query, response.text)
    if response.status_code != 200:  # Naxon's error, or the catch-all's for a route miss
        assert set(response.json()) in ({"message"}, {"statusCode", "statusMessage", "data"})
