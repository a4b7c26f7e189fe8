"""Request and response plumbing of the UChat emulation.

Success answers carry `"status": "ok"` (obs: lists as `{"data", "meta", "status": "ok"}`); errors
carry `message` (obs) beside `"status": "error"` (guess). Invalid input is a 422 whose `errors`
names each bad field, as a Laravel application answers (guess: UChat's error statuses are not
documented).
"""

import json
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

Handler = Callable[..., dict[str, Any] | HttpResponse]

INVALID = "The given data was invalid."


class ApiError(Exception):
    def __init__(
        self, status: int, message: str, errors: Mapping[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = dict(errors) if errors else None


def invalid(errors: Mapping[str, str]) -> ApiError:
    """A 422: `message` is the first problem, `errors` lists each field's."""
    first = next(iter(errors.values()), INVALID)
    return ApiError(422, first, {name: [problem] for name, problem in errors.items()})


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} not found")


def error_body(message: str, errors: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": "error", "message": message}
    if errors:
        body["errors"] = dict(errors)
    return body


def error_response(
    status: int,
    message: str,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JsonResponse:
    return JsonResponse(error_body(message, errors), status=status, headers=headers)


def ok(data: Any = None) -> dict[str, Any]:
    """A success answer: `{"status": "ok"}`, with `data` when there is some."""
    return {"status": "ok"} if data is None else {"status": "ok", "data": data}


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
            return error_response(error.status, error.message, error.errors)
        return result if isinstance(result, HttpResponse) else JsonResponse(result)

    return view


def json_object(request: HttpRequest) -> dict[str, Any]:
    """The body as a JSON object (an empty body is `{}`); anything else is a 422."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise invalid({"body": "The body is too large."}) from None
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
        json.dumps(data, ensure_ascii=False).encode()  # lone surrogates cannot be stored
    except (ValueError, RecursionError):
        raise invalid({"body": "The body must be JSON."}) from None
    if not isinstance(data, dict):
        raise invalid({"body": "The body must be a JSON object."})
    return data


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def text_field(
    body: Mapping[str, Any], name: str, problems: dict[str, str], *, max_length: int
) -> str:
    """A required, non-blank string of at most `max_length` characters (stripped)."""
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        problems[name] = f"The {name.replace('_', ' ')} field is required."
        return ""
    if len(value) > max_length:
        problems[name] = (
            f"The {name.replace('_', ' ')} may not be greater than {max_length} characters."
        )
        return ""
    return value.strip()


def single_query_value(request: HttpRequest, name: str) -> str:
    """The parameter's value ("" when absent); given more than once, a 422 (guess)."""
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise invalid({name: f"The {name.replace('_', ' ')} may be given only once."})
    return values[0] if values else ""


def query_text(request: HttpRequest, name: str, *, max_length: int = 200) -> str | None:
    """An optional query value, stripped; blank counts as absent (guess), too long is a 422."""
    value = single_query_value(request, name)
    if len(value) > max_length:
        raise invalid(
            {name: f"The {name.replace('_', ' ')} may not be greater than {max_length} characters."}
        )
    return value.strip() or None


def query_number(
    request: HttpRequest, name: str, *, default: int, low: int, high: int, problems: dict[str, str]
) -> int:
    """A whole number from `low` to `high` (obs ranges); empty counts as absent."""
    raw = single_query_value(request, name).strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10) or not low <= int(raw) <= high:
        problems[name] = f"The {name} must be between {low} and {high}."
        return default
    return int(raw)
