"""Typed errors of every platform client, built in one place from a response or a transport failure.

Two families under `PlatformError`:

- `PlatformUnauthorized`: the sign-in itself is gone (revoked, expired). Views never catch it:
  `accounts.middleware` signs the user out, whatever page they were on.
- `PlatformCallFailed` and its subclasses: this one call was refused or got no answer. Views
  catch it and show `str(error)` where the user acted: the text is written for a manager, never
  contains a token, and names the platform's own message when it gave one.

Errors carry what a caller needs to decide, never a text to compare: `status` (None when no
answer came), `sent` (False when the request never left this process, so the platform cannot
have acted on it) and `retry_after`.
"""

import re
from http import HTTPStatus
from typing import Any, ClassVar

import httpx


def gettext_noop(message: str) -> str:
    """Marks a text of the console's own for the catalogues (`makemessages` looks for this
    name); `translated` says it in the reader's language."""
    return message


def translated(message: str) -> str:
    """`message` in the active language where Django is set up; as it is elsewhere (the clients
    work without Django too: scripts, the bench)."""
    try:
        from django.conf import settings
        from django.utils.translation import gettext
    except ImportError:
        return message
    if not settings.configured:
        return message
    return gettext(message)


class PlatformError(Exception):
    """The platform answered with an error, or could not be reached."""

    title: ClassVar[str] = gettext_noop("The platform answered with an error")
    # Whether `message` is the console's own (a gettext_noop text), never the platform's words.
    own_message: ClassVar[bool] = False

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        data: Any = None,
        method: str = "",
        path: str = "",
        retry_after: float | None = None,
        sent: bool = True,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.data = data
        self.method = method
        self.path = path
        self.retry_after = retry_after
        self.sent = sent

    @property
    def answered(self) -> bool:
        """Whether the platform answered at all (an error status, or a malformed body)."""
        return self.status is not None

    @property
    def outcome_unknown(self) -> bool:
        """The request left but no answer came back (a timeout, a dropped connection): the
        platform may have acted on it. A create in this state is never re-sent blindly."""
        return self.sent and not self.answered

    def detail(self) -> str:
        """The part in parentheses after the title: the platform's own words when it gave some
        (as they are), or the console's own (in the reader's language)."""
        return own_words(self.message, self.status)

    def __str__(self) -> str:
        detail = self.detail()
        title = translated(str(self.title))
        return f"{title} ({detail})" if detail else title

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, message={self.message!r}, "
            f"method={self.method!r}, path={self.path!r})"
        )


class PlatformUnauthorized(PlatformError):
    """The sign-in is gone: handled once, by the middleware (sign out), never by a view."""

    title = gettext_noop("Your platform sign-in is missing, expired or revoked")


class PlatformCallFailed(PlatformError):
    """This call was refused or got no usable answer; the sign-in is fine. What views catch."""


class PlatformForbidden(PlatformCallFailed):
    title = gettext_noop("Your platform role does not allow this")


class PlatformNotFound(PlatformCallFailed):
    title = gettext_noop("Not found on the platform")


class PlatformMethodNotAllowed(PlatformCallFailed):
    title = gettext_noop("The platform does not allow this operation")


class PlatformValidationError(PlatformCallFailed):
    title = gettext_noop("The platform rejected the input")

    def __init__(self, message: str = "", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field_errors, self.form_errors = _zod_errors(self.data)

    def detail(self) -> str:
        if not (self.field_errors or self.form_errors):
            return own_words(self.message, self.status)
        parts = [f"{field}: {'; '.join(msgs)}" for field, msgs in self.field_errors.items()]
        return "; ".join([*self.form_errors, *parts])


class PlatformRateLimited(PlatformCallFailed):
    title = gettext_noop("The platform is rate limiting requests")

    def detail(self) -> str:
        if self.retry_after is None:
            return own_words(self.message, self.status)
        seconds = max(1, round(self.retry_after))
        return translated(gettext_noop("try again in %(seconds)s s")) % {"seconds": seconds}


class PlatformUnavailable(PlatformCallFailed):
    """5xx answers, timeouts, connection failures, and answers that are not the JSON we expect."""

    title = gettext_noop("The platform is unavailable right now")


# The console's own words for a failure without the platform's (kept in English in `message`, for
# logs and the jobs' stored errors; said in the reader's language where shown).
MALFORMED = gettext_noop("malformed response")
CONNECTION_FAILED = gettext_noop("connection failed")
POOL_FULL = gettext_noop("too many requests in flight")
TIMEOUT = gettext_noop("timeout")
DROPPED = gettext_noop("connection dropped")
NETWORK = gettext_noop("network error")
UNEXPECTED = gettext_noop("unexpected response")
OWN_WORDS = frozenset(
    {MALFORMED, CONNECTION_FAILED, POOL_FULL, TIMEOUT, DROPPED, NETWORK, UNEXPECTED}
)


def own_words(message: str, status: int | None) -> str:
    """`message` in the active language if it is one of the console's own phrases, else as the
    platform said it."""
    if message in OWN_WORDS:
        return translated(message)
    if status is not None and (
        message == f"error {status}" or (status >= 500 and message == _reason_phrase(status))
    ):
        # A 5xx's bare standard name ("Service Unavailable", h3's default statusMessage) says
        # nothing the title does not: the console's own words for it.
        return translated(gettext_noop("error %(status)s")) % {"status": status}
    return message


def _reason_phrase(status: int) -> str | None:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None


_ERRORS_BY_STATUS: dict[int, type[PlatformError]] = {
    400: PlatformValidationError,
    401: PlatformUnauthorized,
    403: PlatformForbidden,
    404: PlatformNotFound,
    405: PlatformMethodNotAllowed,
    422: PlatformValidationError,
    429: PlatformRateLimited,
}


def error_class_for_status(status: int) -> type[PlatformError]:
    if status >= 500:
        return PlatformUnavailable
    return _ERRORS_BY_STATUS.get(status, PlatformCallFailed)


def error_from_response(
    response: httpx.Response, *, method: str, path: str, retry_after: float | None = None
) -> PlatformError:
    """The typed error for a non-2xx answer; its body is read, never trusted to be JSON."""
    message, data = _message_and_data(response)
    error_class = error_class_for_status(response.status_code)
    if not message and error_class is PlatformUnavailable:
        message = f"error {response.status_code}"
    return error_class(
        message,
        status=response.status_code,
        data=data,
        method=method,
        path=path,
        retry_after=retry_after,
    )


def error_from_transport(exc: httpx.RequestError, *, method: str, path: str) -> PlatformError:
    """A failure below HTTP: the message names the kind of failure, never the URL or headers."""
    return PlatformUnavailable(
        _transport_reason(exc), method=method, path=path, sent=not _never_sent(exc)
    )


def _never_sent(exc: httpx.RequestError) -> bool:
    """No connection was made (or none was free): nothing of the request left this process."""
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def malformed_response(response: httpx.Response, *, method: str, path: str) -> PlatformError:
    return PlatformUnavailable(MALFORMED, status=response.status_code, method=method, path=path)


def _transport_reason(exc: httpx.RequestError) -> str:
    match exc:
        case httpx.DecodingError():
            return MALFORMED
        case httpx.ConnectTimeout() | httpx.ConnectError():
            return CONNECTION_FAILED
        case httpx.PoolTimeout():
            return POOL_FULL
        case httpx.TimeoutException():
            return TIMEOUT
        case httpx.RemoteProtocolError() | httpx.ReadError() | httpx.WriteError():
            return DROPPED
        case _:
            return NETWORK


def _message_and_data(response: httpx.Response) -> tuple[str, Any]:
    """h3/Nitro's `statusMessage` first (seeds/003), then a generic `message` (platforms.md)."""
    try:
        body = response.json()
    except ValueError:
        return "", None
    if not isinstance(body, dict):
        return "", body
    for key in ("statusMessage", "message"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip(), body.get("data")
    return "", body.get("data")


def _zod_errors(data: Any) -> tuple[dict[str, list[str]], list[str]]:
    """zod's flattened form: {"fieldErrors": {field: [msg]}, "formErrors": [msg]}."""
    if not isinstance(data, dict):
        return {}, []
    raw_fields = data.get("fieldErrors")
    field_errors: dict[str, list[str]] = {}
    if isinstance(raw_fields, dict):
        for field, messages in raw_fields.items():
            if isinstance(messages, str):
                messages = [messages]
            if isinstance(messages, list):
                field_errors[str(field)] = [str(m) for m in messages]
    raw_form = data.get("formErrors")
    form_errors = [str(m) for m in raw_form] if isinstance(raw_form, list) else []
    return field_errors, form_errors


def _error_classes(base: type[PlatformError] = PlatformError) -> list[type[PlatformError]]:
    found = [base]
    for sub in base.__subclasses__():
        found.extend(_error_classes(sub))
    return found


def said_again(text: str) -> str:
    """A stored `str(error)` ("The platform is unavailable right now (timeout)", kept in English
    by a job or the audit log) in the reader's language: the title and the console's own words
    translated, the platform's own words as they came. Any other text is returned as it is."""
    for cls in _error_classes():
        title = cls.title
        if not isinstance(title, str):  # a lazy title: already in the reader's language
            continue
        if text == title:
            return translated(title)
        if text.startswith(f"{title} (") and text.endswith(")"):
            detail = text[len(title) + 2 : -1]
            if cls.own_message:
                detail = translated(detail)
            elif match := _ERROR_STATUS.fullmatch(detail):
                detail = own_words(detail, int(match.group(1)))
            elif match := _TRY_AGAIN.fullmatch(detail):
                detail = translated(gettext_noop("try again in %(seconds)s s")) % {
                    "seconds": match.group(1)
                }
            else:
                detail = own_words(detail, None)
            return f"{translated(title)} ({detail})"
    return text


def stored_text(text: str) -> str:
    """A text kept in English (a platform error's `str()`, a gettext_noop note a worker wrote)
    in the reader's language; the platform's own words, and any other text, as they are."""
    again = said_again(text)
    return again if again != text else translated(text) if text else ""


_ERROR_STATUS = re.compile(r"error (\d{3})")
_TRY_AGAIN = re.compile(r"try again in (\d+) s")
