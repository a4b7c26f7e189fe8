"""Sandbox-wide views: /openapi.json and the error handlers, which answer every unknown path
and failure in Connextlive's error shape (the primary platform's)."""

import functools
import importlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from sandbox.connextlive.http import error_response


@functools.cache
def _openapi_spec() -> dict:
    # Imported lazily: the description is written separately from the emulator.
    # Without control endpoints (`serve --no-control`) the description leaves them out too.
    spec_module = importlib.import_module("sandbox.openapi")
    return spec_module.build_spec(control=settings.SANDBOX_CONTROL)


def openapi(request: HttpRequest) -> HttpResponse:
    try:
        spec = _openapi_spec()
    except ModuleNotFoundError as missing:
        if missing.name != "sandbox.openapi":
            raise
        return error_response(503, "The OpenAPI description is not available yet")
    return JsonResponse(spec)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(404, f"Cannot find any route matching {request.path}")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(400, "Bad Request")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(403, "Forbidden")


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(500, "Internal Server Error")
