"""Request and response plumbing of the LivePerson emulation.

Errors answer the documented shape of a 401 (doc):
`{"kind": "resp", "code": 401, "body": {"title", "details", "errorCode"}, "type":
".ReqBody$ErrorResp"}`. The sandbox answers its other errors (400, 404, 405) in the same shape
without `errorCode` (guess). The sentinel (the AppJWT endpoint) is an OAuth 2 token endpoint and
answers errors as RFC 6749 does: `{"error", "error_description"}` (guess).
"""

import json
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

Handler = Callable[..., dict[str, Any] | list[Any] | HttpResponse]

# doc: the errorCode of each 401.
INVALID_APP_JWT = 40102
INVALID_CONSUMER_JWS = 40103
MISSING_APP_JWT = 40104
MISSING_CONSUMER_JWS = 40105


class ApiError(Exception):
    """An error in LivePerson's ErrorResp shape."""

    def __init__(self, status: int, details: str, error_code: int | None = None) -> None:
        super().__init__(details)
        self.status = status
        self.details = details
        self.error_code = error_code

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"title": HTTPStatus(self.status).phrase, "details": self.details}
        if self.error_code is not None:
            body["errorCode"] = self.error_code
        return {"kind": "resp", "code": self.status, "body": body, "type": ".ReqBody$ErrorResp"}


class OAuthError(Exception):
    """An error of the sentinel's token endpoint, in RFC 6749's shape."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


def bad_request(details: str) -> ApiError:
    return ApiError(400, details)


def unauthorized(error_code: int, details: str) -> ApiError:
    return ApiError(401, details, error_code)


def endpoint(**handlers: Handler) -> Callable[..., HttpResponse]:
    """One URL's view: dispatch on the method (405 otherwise); answers become JSON."""
    allowed = ", ".join(sorted(handlers))

    def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
        handler = handlers.get(request.method or "")
        if handler is None:
            error = ApiError(405, f"{request.method} is not allowed here")
            return JsonResponse(error.body(), status=405, headers={"Allow": allowed})
        try:
            result = handler(request, **kwargs)
        except ApiError as error:
            return JsonResponse(error.body(), status=error.status)
        except OAuthError as error:
            body = {"error": error.error, "error_description": error.description}
            return JsonResponse(body, status=error.status)
        if isinstance(result, HttpResponse):
            return result
        return JsonResponse(result, safe=False)

    return view


def require_version(request: HttpRequest, version: str) -> None:
    """`?v=` is part of each documented URL; another version is a 400 (guess)."""
    if request.GET.getlist("v") != [version]:
        raise bad_request(f"Unsupported or missing API version: expected v={version}")


def json_body(request: HttpRequest) -> Any:
    """The body as JSON; a body that is not JSON is a 400."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise bad_request("The body is too large") from None
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
        json.dumps(data, ensure_ascii=False).encode()  # lone surrogates cannot be stored
    except (ValueError, RecursionError):
        raise bad_request("The body is not JSON") from None
    return data


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def text(value: Any, *, max_length: int) -> str | None:
    """A non-blank string of at most `max_length` characters, or None."""
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        return None
    return value


def mapping(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, dict) else None
