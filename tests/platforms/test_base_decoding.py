"""Answers decode with orjson, read exactly what the standard library read, and refuse NaN."""

import codecs
import json

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.platforms.base import decode_json
from dashboard.platforms.connextlive_records import VisitorPage
from dashboard.platforms.errors import PlatformUnavailable
from tests.platforms.answers import VISITOR
from tests.platforms.helpers import ScriptedTransport, make_client, make_http

JSON_HEADERS = {"Content-Type": "application/json"}
# What a platform can send: orjson reads integers of up to 64 bits exactly (see decode_json).
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


def answer(content: bytes) -> httpx.Response:
    return httpx.Response(200, content=content, headers=JSON_HEADERS)


@given(value=json_values, ensure_ascii=st.booleans())
def test_it_decodes_what_the_standard_library_decodes(value, ensure_ascii):
    content = json.dumps(value, ensure_ascii=ensure_ascii).encode()

    assert decode_json(content) == json.loads(content)


@pytest.mark.parametrize(
    "content",
    [
        codecs.BOM_UTF8 + '{"name": "Zoë"}'.encode(),
        '{"name": "Zoë"}'.encode("utf-16"),
        '{"name": "Zoë"}'.encode("utf-32-le"),
    ],
    ids=["utf-8 with a byte-order mark", "utf-16", "utf-32"],
)
def test_answers_orjson_refuses_but_json_reads_still_decode(sleeps, content):
    transport = ScriptedTransport(answer(content))

    assert make_http(transport, sleeps).request("GET", "/api/tenant/workspace") == {"name": "Zoë"}


def test_a_lone_surrogate_still_decodes():
    assert decode_json(b'{"name": "\\ud800"}') == {"name": "\ud800"}


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_or_infinity_in_an_answer_is_unavailable(sleeps, constant):
    body = f'{{"id": "usr_1", "csatScore": {constant}}}'.encode()
    transport = ScriptedTransport(answer(body))

    with pytest.raises(PlatformUnavailable) as caught:
        make_http(transport, sleeps).request("GET", "/api/agent/profile")

    assert caught.value.message == f"malformed response: {constant} is not valid JSON"
    assert caught.value.status == 200
    assert str(caught.value) == (
        f"The platform is unavailable right now (malformed response: {constant} is not valid JSON)"
    )
    assert len(transport.requests) == 1, "a 200 was processed: retrying cannot fix its body"


def test_nan_is_refused_on_the_slow_path_too(sleeps):
    transport = ScriptedTransport(answer(codecs.BOM_UTF8 + b'{"csatScore": NaN}'))

    with pytest.raises(PlatformUnavailable, match="NaN is not valid JSON"):
        make_http(transport, sleeps).request("GET", "/api/agent/profile")


@pytest.mark.parametrize(
    "content", [b"{not json", b'{"a": 1', b"\xff\xfe\xfd", b'{"a": 1} trailing'], ids=repr
)
def test_what_neither_reads_is_a_malformed_response(sleeps, content):
    transport = ScriptedTransport(answer(content))

    with pytest.raises(PlatformUnavailable) as caught:
        make_http(transport, sleeps).request("GET", "/api/tenant/workspace")

    assert caught.value.message == "malformed response"


# --- records decoded straight from the bytes (Record.from_json) -------------------------------

VISITOR_PAGE = json.dumps(
    {"visitors": [VISITOR | {"userName": "Zoë", "notes": None}], "total": 1}, ensure_ascii=False
)


def test_a_record_decoded_from_bytes_equals_one_read_from_python_data(sleeps):
    transport = ScriptedTransport(answer(VISITOR_PAGE.encode()))

    page = make_client(transport, sleeps).tenant.list_visitors()

    assert page == VisitorPage.from_api(json.loads(VISITOR_PAGE))
    assert (page.items[0].user_name, page.items[0].notes, page.total) == ("Zoë", None, 1)


@pytest.mark.parametrize(
    "content",
    [codecs.BOM_UTF8 + VISITOR_PAGE.encode(), VISITOR_PAGE.encode("utf-16")],
    ids=["utf-8 with a byte-order mark", "utf-16"],
)
def test_a_record_msgspec_cannot_read_as_json_takes_the_general_path(sleeps, content):
    transport = ScriptedTransport(answer(content))

    assert make_client(transport, sleeps).tenant.list_visitors().items[0].user_name == "Zoë"


def test_nan_where_a_record_is_due_is_still_refused(sleeps):
    transport = ScriptedTransport(answer(b'{"visitors": [], "total": NaN}'))

    with pytest.raises(PlatformUnavailable) as caught:
        make_client(transport, sleeps).tenant.list_visitors()

    assert caught.value.message == "malformed response: NaN is not valid JSON"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"visitors": "none"}', "unexpected response"),  # JSON of the wrong shape
        (b"", "unexpected response"),  # nothing where a page was due
        (b"{not json", "malformed response"),
    ],
    ids=["wrong shape", "empty", "not json"],
)
def test_what_cannot_be_a_record_is_unavailable(sleeps, content, message):
    transport = ScriptedTransport(answer(content))

    with pytest.raises(PlatformUnavailable) as caught:
        make_client(transport, sleeps).tenant.list_visitors()

    assert caught.value.message == message
