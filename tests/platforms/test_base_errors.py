"""Every answer the base cannot return as data becomes one typed error with a banner-ready text."""

import httpx
import pytest

from dashboard.platforms.errors import (
    PlatformCallFailed,
    PlatformError,
    PlatformForbidden,
    PlatformMethodNotAllowed,
    PlatformNotFound,
    PlatformRateLimited,
    PlatformUnauthorized,
    PlatformUnavailable,
    PlatformValidationError,
)
from tests.platforms.helpers import (
    TOKEN,
    ScriptedTransport,
    error_response,
    json_response,
    make_client,
    make_http,
)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, PlatformValidationError),
        (401, PlatformUnauthorized),
        (403, PlatformForbidden),
        (404, PlatformNotFound),
        (405, PlatformMethodNotAllowed),
        (409, PlatformCallFailed),
        (422, PlatformValidationError),
        (429, PlatformRateLimited),
        (500, PlatformUnavailable),
        (502, PlatformUnavailable),
        (503, PlatformUnavailable),
        (504, PlatformUnavailable),
    ],
)
def test_each_status_raises_its_error_class(sleeps, status, error_class):
    transport = ScriptedTransport(error_response(status, "Nope"))
    http = make_http(transport, sleeps, max_retries=0)

    with pytest.raises(PlatformError) as caught:
        http.request("GET", "/api/tenant/workspace")

    assert type(caught.value) is error_class
    assert caught.value.status == status
    assert caught.value.message == "Nope"
    assert caught.value.method == "GET"
    assert caught.value.path == "/api/tenant/workspace"


def test_it_reads_status_message_before_message(sleeps):
    body = {"statusCode": 404, "statusMessage": "Visitor not found", "message": "Not Found"}
    transport = ScriptedTransport(json_response(404, body))

    with pytest.raises(PlatformNotFound) as caught:
        make_http(transport, sleeps).request("GET", "/api/tenant/visitors/vis_1")

    assert caught.value.message == "Visitor not found"
    assert str(caught.value) == "Not found on the platform (Visitor not found)"


def test_it_falls_back_to_message_when_there_is_no_status_message(sleeps):
    transport = ScriptedTransport(json_response(403, {"statusCode": 403, "message": "Agents only"}))

    with pytest.raises(PlatformForbidden) as caught:
        make_http(transport, sleeps).request("GET", "/api/agent/profile")

    assert caught.value.message == "Agents only"


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(401, text="<html>Unauthorized</html>"),
        httpx.Response(401, json={"statusCode": 401, "statusMessage": "", "data": None}),
        httpx.Response(401, json=["not", "an", "object"]),
        httpx.Response(401),
    ],
)
def test_it_uses_a_generic_text_when_the_body_says_nothing(sleeps, response):
    transport = ScriptedTransport(response)

    with pytest.raises(PlatformUnauthorized) as caught:
        make_http(transport, sleeps).request("GET", "/api/tenant/workspace")

    assert str(caught.value) == "Your platform sign-in is missing, expired or revoked"


def test_a_5xx_without_a_message_names_its_status(sleeps):
    transport = ScriptedTransport(httpx.Response(500, text="Internal Server Error"))

    with pytest.raises(PlatformUnavailable) as caught:
        make_http(transport, sleeps).request("GET", "/api/tenant/workspace")

    assert str(caught.value) == "The platform is unavailable right now (error 500)"


def test_validation_errors_carry_zod_field_and_form_errors(sleeps):
    data = {
        "fieldErrors": {"email": ["Invalid email address"], "name": ["Required", "Too short"]},
        "formErrors": ["Check the form"],
    }
    transport = ScriptedTransport(error_response(400, "Validation failed", data))

    with pytest.raises(PlatformValidationError) as caught:
        make_http(transport, sleeps).request("POST", "/api/tenant/agents", json={})

    error = caught.value
    assert error.field_errors == {
        "email": ["Invalid email address"],
        "name": ["Required", "Too short"],
    }
    assert error.form_errors == ["Check the form"]
    assert error.data == data
    assert str(error) == (
        "The platform rejected the input "
        "(Check the form; email: Invalid email address; name: Required; Too short)"
    )


def test_validation_error_without_field_errors_shows_the_platform_message(sleeps):
    transport = ScriptedTransport(error_response(400, "Invalid status"))

    with pytest.raises(PlatformValidationError) as caught:
        make_http(transport, sleeps).request("GET", "/api/tenant/conversations")

    assert caught.value.field_errors == {}
    assert caught.value.form_errors == []
    assert str(caught.value) == "The platform rejected the input (Invalid status)"


def test_malformed_json_from_the_server_is_unavailable(sleeps):
    transport = ScriptedTransport(httpx.Response(200, text="{not json"))

    with pytest.raises(PlatformUnavailable) as caught:
        make_http(transport, sleeps).request("GET", "/api/tenant/workspace")

    assert str(caught.value) == "The platform is unavailable right now (malformed response)"
    assert len(transport.requests) == 1, "a 200 was processed: retrying cannot fix its body"


def test_a_body_that_cannot_be_decoded_is_unavailable(sleeps):
    gzip = {"Content-Encoding": "gzip"}
    garbled = httpx.Response(200, headers=gzip, stream=httpx.ByteStream(b"not gzip"))
    transport = ScriptedTransport(garbled)

    with pytest.raises(PlatformUnavailable) as caught:
        make_http(transport, sleeps).request("GET", "/api/tenant/workspace")

    assert caught.value.message == "malformed response"
    assert len(transport.requests) == 1


def test_an_empty_success_is_none(sleeps):
    transport = ScriptedTransport(httpx.Response(204))

    assert make_http(transport, sleeps).request("DELETE", "/api/tenant/api-keys/key_1") is None


def test_an_answer_of_the_wrong_shape_is_unavailable_not_a_crash(sleeps):
    transport = ScriptedTransport(
        json_response(200, {"visitor": "where is the id"}), json_response(200, ["a", "list"])
    )
    client = make_client(transport, sleeps)

    with pytest.raises(PlatformUnavailable, match="unexpected response"):
        client.tenant.get_visitor("vis_1")
    with pytest.raises(PlatformUnavailable, match="unexpected response"):
        client.tenant.list_visitors()


def test_a_timeout_reads_well_in_a_banner(sleeps):
    transport = ScriptedTransport(*[httpx.ReadTimeout("timed out")] * 3)

    with pytest.raises(PlatformUnavailable) as caught:
        make_http(transport, sleeps).request("GET", "/api/tenant/workspace")

    assert str(caught.value) == "The platform is unavailable right now (timeout)"
    assert caught.value.status is None


@pytest.mark.parametrize(
    ("failure", "reason", "sent"),
    [
        (httpx.ConnectError("refused"), "connection failed", False),
        (httpx.ConnectTimeout("slow"), "connection failed", False),
        (httpx.PoolTimeout("busy"), "too many requests in flight", False),
        (httpx.RemoteProtocolError("Server disconnected"), "connection dropped", True),
        (httpx.ReadError("reset"), "connection dropped", True),
        (httpx.ReadTimeout("slow"), "timeout", True),
    ],
)
def test_transport_failures_are_unavailable_with_their_reason(sleeps, failure, reason, sent):
    """`sent` tells a caller whether the platform may have acted on the request: a create whose
    outcome is unknown must not be re-sent blindly, one that never left may be."""
    transport = ScriptedTransport(failure, failure, failure)

    with pytest.raises(PlatformUnavailable) as caught:
        make_http(transport, sleeps).request("GET", "/api/tenant/workspace")

    assert caught.value.message == reason
    assert caught.value.sent is sent
    assert caught.value.outcome_unknown is sent


def test_an_answered_error_is_never_of_unknown_outcome(sleeps):
    transport = ScriptedTransport(error_response(503, "Down"))

    with pytest.raises(PlatformUnavailable) as caught:
        make_http(transport, sleeps, max_retries=0).request("POST", "/api/tenant/agents")

    assert caught.value.answered and not caught.value.outcome_unknown


@pytest.mark.parametrize("status", [400, 403, 404, 405, 409, 422, 429, 500])
def test_every_refused_call_is_a_call_failure_but_a_revoked_sign_in_is_not(sleeps, status):
    """Views catch PlatformCallFailed and show it in place; PlatformUnauthorized passes them by
    for the middleware, which signs the user out."""
    transport = ScriptedTransport(error_response(status, "Nope"), error_response(401, "Revoked"))
    http = make_http(transport, sleeps, max_retries=0)

    with pytest.raises(PlatformCallFailed):
        http.request("GET", "/api/tenant/workspace")
    with pytest.raises(PlatformUnauthorized) as caught:
        http.request("GET", "/api/tenant/workspace")
    assert not isinstance(caught.value, PlatformCallFailed)


def test_rate_limited_tells_when_to_try_again(sleeps):
    transport = ScriptedTransport(error_response(429, "Too Many Requests", **{"Retry-After": "60"}))

    with pytest.raises(PlatformRateLimited) as caught:
        make_http(transport, sleeps).request("GET", "/api/tenant/workspace")

    assert caught.value.retry_after == 60.0
    assert str(caught.value) == "The platform is rate limiting requests (try again in 60 s)"


def test_no_error_holds_the_token(sleeps):
    transport = ScriptedTransport(
        error_response(401, "Invalid token"), httpx.ConnectError("refused"), error_response(500)
    )
    http = make_http(transport, sleeps, max_retries=0)

    for _ in range(3):
        with pytest.raises(PlatformError) as caught:
            http.request("POST", "/api/tenant/agents", json={"name": "A", "email": "a@b.c"})
        error = caught.value
        assert TOKEN not in f"{error} {error!r} {vars(error)} {error.args}"
