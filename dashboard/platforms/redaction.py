"""Keeps secrets out of log lines: a logging filter every handler of the console uses.

The platform clients never log bodies or headers, so this is the second line of defence: whatever
code logs by mistake (an exception holding a token, a dict with a password), the line that reaches
a handler has bearer tokens, JWTs, `password`/`token`/`plainKey` values and `cxl_live_` keys
replaced by a marker.
"""

import logging
import re

REDACTED = "[REDACTED]"

# Authorization schemes the platforms use (ConnectiveOne sends "API-Key <key>").
_AUTH_SCHEME = re.compile(r"(?i)\b((?:bearer|basic|api-key)\s+)[^\s\"',;]+")
# Three base64url segments with a JSON header ("eyJ" is the encoding of '{"').
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_PLAIN_KEY = re.compile(r"\bcxl_live_[A-Za-z0-9_-]+")
# A secret-sounding name followed by = or :, in JSON, Python reprs, query strings and headers.
_SECRET_ASSIGNMENT = re.compile(
    r"""(?ix)
    (?P<name>\\?["']?[\w-]*(?:password|passwd|token|secret|plain_?key|api_?key|authorization)[\w-]*
       \\?["']?\s*[:=]\s*)
    (?!(?:bearer|basic|api-key)\s)  # "Authorization: Bearer x": the scheme rule took the token
    (?P<value>\\?"[^"]*"|\\?'[^']*'|[^\s,;&}\])]+)
    """
)


def redact(text: str) -> str:
    text = _AUTH_SCHEME.sub(rf"\g<1>{REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    text = _PLAIN_KEY.sub(f"cxl_live_{REDACTED}", text)
    return _SECRET_ASSIGNMENT.sub(_redact_assignment, text)


def _redact_assignment(match: re.Match[str]) -> str:
    # Keep the value's quoting (plain, or backslash-escaped inside a JSON string) around the marker.
    quote = re.match(r"""\\?["']?""", match["value"])[0]
    return f"{match['name']}{quote}{REDACTED}{quote}"


class RedactSecretsFilter(logging.Filter):
    """Renders the record's message once, redacted, so no argument can carry a secret past it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A broken format string: logging would print the raw arguments to stderr, so show
            # them here, redacted, instead.
            args = ", ".join(str(arg) for arg in _args_of(record))
            record.msg = redact(f"{record.msg} [unformatted arguments: {args}]")
            record.args = ()
        else:
            record.msg = redact(message)
            record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _args_of(record: logging.LogRecord) -> tuple[object, ...]:
    match record.args:
        case tuple():
            return record.args
        case None:
            return ()
        case mapping:
            return tuple(mapping.values())
