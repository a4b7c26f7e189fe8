"""Typed errors of every platform client, built in one place from a response or a transport failure.

Views catch `PlatformError` (or a subclass) and show `str(error)` in a banner: the text is written
for a manager, never contains a token, and names the platform's own message when it gave one.
"""

from typing import Any, ClassVar

import httpx


class PlatformError(Exception):
    """The platform answered with an error, or could not be reached."""

    title: ClassVar[str] = "The platform answered with an error"

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        data: Any = None,
        method: str = "",
        path: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.data = data
        self.method = method
        self.path = path
        self.retry_after = retry_after

    def detail(self) -> str:
        """The part in parentheses after the title: the platform's own words when it gave some."""
        return self.message

    def __str__(self) -> str:
        detail = self.detail()
        return f"{self.title} ({detail})" if detail else self.title

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, message={self.message!r}, "
            f"method={self.method!r}, path={self.path!r})"
        )


class PlatformUnauthorized(PlatformError):
    title = "Your platform sign-in is missing, expired or revoked"


class PlatformForbidden(PlatformError):
    title = "Your platform role does not allow this"


class PlatformNotFound(PlatformError):
    title = "Not found on the platform"


class PlatformMethodNotAllowed(PlatformError):
    title = "The platform does not allow this operation"


class PlatformValidationError(PlatformError):
    title = "The platform rejected the input"

    def __init__(self, message: str = "", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field_errors, self.form_errors = _zod_errors(self.data)

    def detail(self) -> str:
        if not (self.field_errors or self.form_errors):
            return self.message
        parts = [f"{field}: {'; '.join(msgs)}" for field, msgs in self.field_errors.items()]
        return "; ".join([*self.form_errors, *parts])


class PlatformRateLimited(PlatformError):
    title = "The platform is rate limiting requests"

    def detail(self) -> str:
        if self.retry_after is None:
            return self.message
        return f"try again in {max(1, round(self.retry_after))} s"


class PlatformUnavailable(PlatformError):
    """5xx answers, timeouts, connection failures, and answers that are not the JSON we expect."""

    title = "The platform is unavailable right now"


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
    return _ERRORS_BY_STATUS.get(status, PlatformError)


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
    return PlatformUnavailable(_transport_reason(exc), method=method, path=path)


def malformed_response(response: httpx.Response, *, method: str, path: str) -> PlatformError:
    return PlatformUnavailable(
        "malformed response", status=response.status_code, method=method, path=path
    )


def _transport_reason(exc: httpx.RequestError) -> str:
    match exc:
        case httpx.DecodingError():
            return "malformed response"
        case httpx.ConnectTimeout() | httpx.ConnectError():
            return "connection failed"
        case httpx.PoolTimeout():
            return "too many requests in flight"
        case httpx.TimeoutException():
            return "timeout"
        case httpx.RemoteProtocolError() | httpx.ReadError() | httpx.WriteError():
            return "connection dropped"
        case _:
            return "network error"


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
