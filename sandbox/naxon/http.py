"""Request and response plumbing of the Naxon emulation.

seeds/001 documents the 401 of its `apiToken` scheme without a body; platforms.md guesses
`{"message": "Unauthorized"}`, and the sandbox answers every failure in that shape (guess):
`{"message": "page must be a whole number from 1 to 2147483647"}`. Bad input is a 400 whose
message names the parameter; an unknown record a 404 (guess).

Query parameters (doc): `page`, `per_page`, `since`, `until` and `sort`; on the conversation
lists also `platform_user_id` (guess, for the contact view). An empty value counts as
absent (guess), as in the sandbox's other platforms. Paths carry int64 ids (doc).
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse

from sandbox.naxon.rules import (
    DEFAULT_PER_PAGE,
    LARGEST_INT32,
    LARGEST_INT64,
    MAX_PER_PAGE,
    SMALLEST_INT64,
    SORT_FIELDS,
)

Handler = Callable[..., dict[str, Any] | HttpResponse]


# RFC 3339 date-times, and the document's own spelling of the offset without a colon
# (`2025-05-05T05:05:05+0700`). The offset is required: without one a moment means nothing.
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-](?:[01]\d|2[0-3]):?[0-5]\d)",
    re.ASCII,
)
_INT64 = re.compile(r"-?[0-9]{1,19}", re.ASCII)


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(
    status: int, message: str, headers: Mapping[str, str] | None = None
) -> JsonResponse:
    return JsonResponse({"message": message}, status=status, headers=headers)


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


def int64(text: str) -> int | None:
    """The 64-bit integer the text spells (digits, maybe a minus), or None."""
    if _INT64.fullmatch(text) and SMALLEST_INT64 <= int(text) <= LARGEST_INT64:
        return int(text)
    return None


def record_id(raw: str, name: str) -> int:
    """A path id: a 64-bit integer (doc), or a 400 naming the parameter."""
    value = int64(raw)
    if value is None:
        raise ApiError(400, f"{name} must be a 64-bit integer, received '{raw[:50]}'")
    return value


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Window:
    """`since` and `until`, both inclusive (doc), on the field `sort` names (doc)."""

    since: datetime | None
    until: datetime | None
    field: Literal["created_at", "updated_at"] = "created_at"


MAX_USER_ID_LENGTH = 256


def platform_user(request: HttpRequest) -> str | None:
    """`platform_user_id` on the conversation lists (guess: seeds/001 gives no filter by person;
    the contact view needs one). Matches the conversation's `platform_user_id` exactly."""
    raw = _param(request, "platform_user_id")
    if raw is not None and len(raw) > MAX_USER_ID_LENGTH:
        raise ApiError(400, f"platform_user_id must be at most {MAX_USER_ID_LENGTH} characters")
    return raw


def paging(request: HttpRequest) -> Paging:
    page = _whole_number(request, "page", default=1)
    per_page = _whole_number(request, "per_page", default=DEFAULT_PER_PAGE)
    return Paging(page, min(per_page, MAX_PER_PAGE))


def window(request: HttpRequest, *, sortable: bool) -> Window:
    """The time window of a list; only conversation lists take `sort` (doc)."""
    field = "created_at"
    if sortable and (raw := _param(request, "sort")) is not None:
        if raw not in SORT_FIELDS:
            raise ApiError(400, f"sort must be created_at or updated_at, received '{raw[:50]}'")
        field = raw
    return Window(_moment(request, "since"), _moment(request, "until"), field)


def _param(request: HttpRequest, name: str) -> str | None:
    value = request.GET.get(name)
    return value if value else None


def _whole_number(request: HttpRequest, name: str, *, default: int) -> int:
    raw = _param(request, name)
    if raw is None:
        return default
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= LARGEST_INT32:
        return int(raw)
    raise ApiError(400, f"{name} must be a whole number from 1 to {LARGEST_INT32}")


def _moment(request: HttpRequest, name: str) -> datetime | None:
    raw = _param(request, name)
    if raw is None:
        return None
    if _DATE_TIME.fullmatch(raw):
        try:
            return datetime.fromisoformat(raw.upper()).astimezone(UTC)
        except (ValueError, OverflowError):  # 2025-02-30, or year 1 moved before year 1 by UTC
            pass
    hint = " (a + in a query string must be sent as %2B)" if " " in raw else ""
    raise ApiError(
        400,
        f"{name} must be a date-time with an offset, like 2025-05-05T05:05:05+0700, "
        f"received '{raw[:50]}'{hint}",
    )
