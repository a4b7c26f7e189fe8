"""Request and response plumbing of the Connextlive emulation: the error shape, method
dispatch with 405s, JSON bodies and query parameters, validated the way an h3 + zod server
would (zod-like messages are a guess; the status codes are the document's).
"""

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, JsonResponse

from sandbox.connextlive.serializers import error_body, validation_data

# Query numbers beyond this are refused: SQLite's integers stop at 2**63 and nobody pages
# that far.
LARGEST_QUERY_NUMBER = 2**31 - 1

Handler = Callable[..., dict[str, Any] | HttpResponse]


class ApiError(Exception):
    def __init__(self, status: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.data = data


def validation_error(
    field_errors: dict[str, list[str]] | None = None, form_errors: list[str] | None = None
) -> ApiError:
    return ApiError(
        400, "Validation failed", validation_data(field_errors or {}, form_errors or [])
    )


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} not found")


def error_response(
    status: int, message: str, data: Any = None, headers: Mapping[str, str] | None = None
) -> JsonResponse:
    return JsonResponse(error_body(status, message, data), status=status, headers=headers)


def endpoint(**handlers: Handler) -> Callable[..., HttpResponse]:
    """One URL's view: dispatches on the method (405 otherwise) and turns dicts into JSON and
    ApiErrors into the error shape."""
    allowed = ", ".join(sorted(handlers))

    def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
        handler = handlers.get(request.method or "")
        if handler is None:
            return error_response(405, "Method Not Allowed", headers={"Allow": allowed})
        try:
            result = handler(request, **kwargs)
        except ApiError as error:
            return error_response(error.status, error.message, error.data)
        return result if isinstance(result, HttpResponse) else JsonResponse(result)

    return view


# --- JSON bodies -------------------------------------------------------------------------------


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def json_object(request: HttpRequest) -> dict[str, Any]:
    """The body as a JSON object; an empty body counts as `{}`."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(400, "Request body too large") from None
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
        # `\ud800` escapes decode to lone surrogates, which no database column can hold.
        json.dumps(data, ensure_ascii=False).encode()
    except (ValueError, RecursionError):
        raise ApiError(400, "Invalid JSON body") from None
    if not isinstance(data, dict):
        raise validation_error(form_errors=[f"Expected object, received {type_name(data)}"])
    return data


def type_name(value: Any) -> str:
    """JavaScript's name for a JSON value's type, as zod reports it."""
    match value:
        case None:
            return "null"
        case bool():
            return "boolean"
        case int() | float():
            return "number"
        case str():
            return "string"
        case list():
            return "array"
        case _:
            return "object"


class Invalid(ValueError):
    """A field's value is unacceptable; the message goes to the client."""


@dataclass(frozen=True)
class String:
    max_length: int
    min_length: int = 0
    nullable: bool = False
    email: bool = False
    choices: tuple[str, ...] = ()
    strip: bool = False
    check: Callable[[str], str | None] | None = None  # returns an error message or None

    def clean(self, value: Any) -> str | None:
        if value is None and self.nullable:
            return None
        if not isinstance(value, str):
            raise Invalid(f"Expected string, received {type_name(value)}")
        if self.strip:
            value = value.strip()
        if self.choices and value not in self.choices:
            expected = " | ".join(f"'{choice}'" for choice in self.choices)
            raise Invalid(f"Invalid enum value. Expected {expected}, received '{value[:100]}'")
        if len(value) < self.min_length:
            if self.min_length == 1:
                raise Invalid("Required")
            raise Invalid(f"String must contain at least {self.min_length} character(s)")
        if len(value) > self.max_length:
            raise Invalid(f"String must contain at most {self.max_length} character(s)")
        if self.email and value and not is_email(value):
            raise Invalid("Invalid email address")
        if self.check is not None and (message := self.check(value)):
            raise Invalid(message)
        return value


@dataclass(frozen=True)
class StringList:
    max_items: int
    max_length: int

    def clean(self, value: Any) -> list[str]:
        if not isinstance(value, list):
            raise Invalid(f"Expected array, received {type_name(value)}")
        if len(value) > self.max_items:
            raise Invalid(f"Array must contain at most {self.max_items} element(s)")
        for item in value:
            if not isinstance(item, str):
                raise Invalid(f"Expected string, received {type_name(item)}")
            if not 1 <= len(item) <= self.max_length:
                raise Invalid(f"Each item must contain 1 to {self.max_length} character(s)")
        return value


@dataclass(frozen=True)
class Object:
    def clean(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise Invalid(f"Expected object, received {type_name(value)}")
        return value


Spec = String | StringList | Object


def validate_body(
    body: Mapping[str, Any], specs: Mapping[str, Spec], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The cleaned values of the fields present in `body`; unknown keys are dropped, as zod's
    default `object()` does (guess)."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, spec in specs.items():
        if name not in body:
            if name in required:
                errors[name] = ["Required"]
            continue
        try:
            cleaned[name] = spec.clean(body[name])
        except Invalid as problem:
            errors[name] = [str(problem)]
    if errors:
        raise validation_error(errors)
    return cleaned


def is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


# --- query parameters -------------------------------------------------------------------------


def query_string(request: HttpRequest, name: str) -> str | None:
    """The parameter's last value; an empty value counts as absent (guess)."""
    value = request.GET.get(name)
    return value if value else None


def query_int(
    request: HttpRequest, name: str, default: int, minimum: int, cap: int | None = None
) -> int:
    """A whole number >= `minimum`; above `cap` it is capped, not refused."""
    raw = query_string(request, name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) > LARGEST_QUERY_NUMBER:
        raise validation_error({name: [f"Expected a whole number, received '{raw[:50]}'"]})
    value = int(raw)
    if value < minimum:
        raise validation_error({name: [f"Number must be greater than or equal to {minimum}"]})
    return min(value, cap) if cap is not None else value


def query_bool(request: HttpRequest, name: str) -> bool | None:
    raw = query_string(request, name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise validation_error({name: [f"Expected 'true' | 'false', received '{raw[:50]}'"]})
    return raw == "true"


def finite_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
