"""One log line per request, and no token, password or plain key in any log record."""

import logging

import httpx
import pytest
from django.conf import settings

from dashboard.platforms.base import RedactSecretsFilter
from dashboard.platforms.redaction import redact
from tests.platforms.answers import API_KEY, USER
from tests.platforms.helpers import (
    TOKEN,
    ScriptedTransport,
    error_response,
    json_response,
    make_client,
)

PASSWORD = "correct-horse-battery"
PLAIN_KEY = "cxl_live_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5"
CREATED_KEY = API_KEY | {"domains": '["example.com"]', "plainKey": PLAIN_KEY}
SECRETS = (TOKEN, PASSWORD, PLAIN_KEY, "Zm9vYmFyYmF6")


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    parts = []
    for record in caplog.records:
        parts += [record.getMessage(), str(record.args), str(record.msg)]
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


def test_the_client_logs_one_line_per_attempt_without_secrets(caplog, sleeps):
    caplog.set_level(logging.DEBUG)
    transport = ScriptedTransport(
        error_response(401, "Invalid email or password"),
        json_response(200, {"token": TOKEN, "expiresAt": "2026-11-28T10:00:00.000Z", "user": USER}),
        httpx.ConnectError("refused"),
        json_response(200, CREATED_KEY),
        error_response(503, f"leaky upstream said token={TOKEN}"),
        error_response(503),
        error_response(503),
    )
    client = make_client(transport, sleeps)

    with pytest.raises(Exception):
        client.login("manager@example.com", PASSWORD)
    login = client.login("manager@example.com", PASSWORD)
    created = client.with_token(login.token).tenant.create_api_key("Widget", ["example.com"])
    with pytest.raises(Exception):
        client.tenant.get_workspace()

    assert created.plain_key == PLAIN_KEY
    logged = everything_logged(caplog)
    for secret in SECRETS:
        assert secret not in logged
    request_lines = [r.getMessage() for r in caplog.records if " -> " in r.getMessage()]
    assert request_lines[0].startswith("POST /api/auth/login -> 401 in ")
    assert request_lines[0].endswith("(attempt 1)")
    assert request_lines[2].startswith("POST /api/tenant/api-keys -> ConnectError in ")
    assert request_lines[3].endswith("(attempt 2)")
    assert len(request_lines) == len(transport.requests) == 7


def test_the_filter_is_on_every_configured_handler():
    config = settings.LOGGING
    assert config["filters"]["redact"]["()"] == "dashboard.platforms.base.RedactSecretsFilter"
    for name, handler in config["handlers"].items():
        assert "redact" in handler.get("filters", []), f"handler {name} logs unredacted"


def make_record(msg: object, args: object = (), exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("t", logging.ERROR, __file__, 1, msg, args, exc_info)


def filtered_text(record: logging.LogRecord) -> str:
    assert RedactSecretsFilter().filter(record) is True
    return logging.Formatter("%(message)s").format(record)


@pytest.mark.parametrize(
    ("msg", "args"),
    [
        ("Authorization: Bearer %s", (TOKEN,)),
        ("token %s", (TOKEN,)),
        ("payload %s", ({"email": "a@b.c", "password": PASSWORD},)),
        ("payload %r", ({"password": PASSWORD},)),
        ("body %s", ('{"email": "a@b.c", "password": "' + PASSWORD + '"}',)),
        ("created %(key)s", ({"key": {"plainKey": PLAIN_KEY}},)),
        ("query password=%s&next=/", (PASSWORD,)),
        ("key %s", (PLAIN_KEY,)),
        ({"token": TOKEN}, ()),
        ("broken format %s %s", (TOKEN,)),
    ],
)
def test_the_filter_redacts_messages_and_arguments(msg, args):
    text = filtered_text(make_record(msg, args))

    for secret in SECRETS:
        assert secret not in text
    assert "[REDACTED]" in text


def test_the_filter_redacts_exception_text():
    try:
        raise ValueError(f"login failed for password={PASSWORD} with {TOKEN}")
    except ValueError:
        import sys

        record = make_record("failed", exc_info=sys.exc_info())

    text = filtered_text(record)

    assert "ValueError" in text
    for secret in SECRETS:
        assert secret not in text


def test_the_filter_keeps_ordinary_lines_intact():
    record = make_record("%s %s -> %s in %.0f ms (attempt %d)", ("GET", "/api/x", 200, 3.2, 1))

    assert filtered_text(record) == "GET /api/x -> 200 in 3 ms (attempt 1)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.def", "Authorization: Bearer [REDACTED]"),
        ("API-Key k123", "API-Key [REDACTED]"),
        ("{'token': 'x'}", "{'token': '[REDACTED]'}"),
        ('{"plainKey": "cxl_live_abc"}', '{"plainKey": "[REDACTED]"}'),
        ("new key cxl_live_abc-_9 issued", "new key cxl_live_[REDACTED] issued"),
        ("keyPrefix=cxl_live", "keyPrefix=cxl_live"),
        ("access_token=abc&x=1", "access_token=[REDACTED]&x=1"),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.sig", "jwt [REDACTED]"),
        ('"{\\"password\\": \\"pw\\"}"', '"{\\"password\\": \\"[REDACTED]\\"}"'),
        ("nothing secret here: 42", "nothing secret here: 42"),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected
