"""Request and response plumbing of the ConnectiveOne emulation.

Every answer carries `status`: `{"status": "success", ...}` or `{"status": "error", "message"}`
(doc for call_node and broadcast/route; the sandbox uses the same shape everywhere, guess).
Invalid input is a 422 (doc for broadcast/route, guess elsewhere) whose message names the fields.
"""

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

Handler = Callable[..., dict[str, Any] | HttpResponse]

LARGEST_NUMBER = 2**31 - 1
INVALID_DATA = "Invalid request data"


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def invalid(errors: Mapping[str, str]) -> ApiError:
    """A 422 naming each bad field: `Invalid request data: limit: must be a whole number`."""
    details = "; ".join(f"{name}: {problem}" for name, problem in errors.items())
    return ApiError(422, f"{INVALID_DATA}: {details}" if details else INVALID_DATA)


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None):
    return JsonResponse({"status": "error", "message": message}, status=status, headers=headers)


def endpoint(**handlers: Handler) -> Callable[..., HttpResponse]:
    """One URL's view: dispatch on the method (405 otherwise), dicts become JSON."""
    allowed = ", ".join(sorted(handlers))

    def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
        handler = handlers.get(request.method or "")
        if handler is None:
            return error_response(405, "Method Not Allowed", headers={"Allow": allowed})
        try:
            result = handler(request, **kwargs)
        except ApiError as error:
            return error_response(error.status, error.message)
        return result if isinstance(result, HttpResponse) else JsonResponse(result)

    return view


def json_object(request: HttpRequest) -> dict[str, Any]:
    """The body as a JSON object (an empty body is `{}`); anything else is a 422."""
    raw = request.body
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
        json.dumps(data, ensure_ascii=False).encode()  # lone surrogates cannot be stored
    except (ValueError, RecursionError):
        raise ApiError(422, f"{INVALID_DATA}: the body is not JSON") from None
    if not isinstance(data, dict):
        raise ApiError(422, f"{INVALID_DATA}: the body must be a JSON object")
    return data


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def whole_number(value: Any, *, minimum: int = 0) -> int | None:
    """An integer from a JSON number or a string of digits, or None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 11:
        number = int(value)
    else:
        return None
    return number if minimum <= number <= LARGEST_NUMBER else None


def text(value: Any, *, max_length: int) -> str | None:
    """A non-blank string of at most `max_length` characters, or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        return None
    return value.strip()


def timestamp_param(raw: str) -> datetime | None:
    """An ISO 8601 moment (`2024-12-01T00:00:00.000Z`); a date alone means its midnight UTC."""
    try:
        moment = datetime.fromisoformat(raw.strip())
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):  # year 1 with a positive offset falls before year 1 UTC
        return None
