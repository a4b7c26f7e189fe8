"""The control endpoints under /__sandbox__/ (tests and benchmarks only; see sandbox/README.md):
reset, faults, the request log, the clock, token revocation and the outbox."""

import re
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import include, path

from sandbox import credentials as seeded_credentials
from sandbox.connextlive.http import (
    endpoint,
    finite_number,
    json_object,
    not_found,
    type_name,
    validation_error,
)
from sandbox.connextlive.models import User
from sandbox.database import restore_snapshot
from sandbox.state import DATABASE_GATE, STATE, Faults, format_timestamp


def reset(request: HttpRequest) -> dict:
    """Back to the seed: the database from its snapshot, and every piece of control state."""
    started = time.perf_counter()
    with DATABASE_GATE.exclusive():
        restore_snapshot(settings.DB_PATH)
        STATE.reset()
    return {"success": True, "ms": round((time.perf_counter() - started) * 1000, 2)}


def get_faults(request: HttpRequest) -> dict:
    return STATE.faults().to_json()


def set_faults(request: HttpRequest) -> dict:
    """Replaces the whole fault configuration: keys left out are off."""
    STATE.set_faults(_parse_faults(json_object(request)))
    return STATE.faults().to_json()


def clear_faults(request: HttpRequest) -> dict:
    STATE.set_faults(Faults())
    return STATE.faults().to_json()


def _parse_faults(body: dict[str, Any]) -> Faults:
    errors: dict[str, list[str]] = {}

    def number(name: str, low: float, high: float, whole: bool = False) -> Any:
        value = body.get(name)
        if value is None:
            return None
        if not finite_number(value) or not low <= value <= high or (whole and value % 1):
            kind = "a whole number" if whole else "a number"
            errors[name] = [f"Expected {kind} from {low} to {high}, received {value!r:.50}"]
            return None
        return int(value) if whole else float(value)

    unknown = sorted(set(body) - set(_FAULT_KEYS))
    for name in unknown:
        errors[name] = ["Unknown fault"]
    parsed = {
        "latency_ms": number("latencyMs", 0, 60_000, whole=True),
        "error_rate": number("errorRate", 0, 1),
        "error_status": number("errorStatus", 400, 599, whole=True),
        "rate_limit_rps": number("rateLimitRps", 0.001, 100_000),
        "retry_after": number("retryAfter", 0, 86_400, whole=True),
        "drop_rate": number("dropRate", 0, 1),
        "paths": _regex(body.get("paths"), errors),
    }
    if errors:
        raise validation_error(errors)
    return Faults(**{name: value for name, value in parsed.items() if value is not None})


_FAULT_KEYS = (
    "latencyMs",
    "errorRate",
    "errorStatus",
    "rateLimitRps",
    "retryAfter",
    "dropRate",
    "paths",
)


def _regex(value: Any, errors: dict[str, list[str]]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        errors["paths"] = [f"Expected a regular expression string, received {type_name(value)}"]
        return None
    try:
        re.compile(value)
    except re.error as problem:
        errors["paths"] = [f"Invalid regular expression: {problem}"]
        return None
    return value


def list_requests(request: HttpRequest) -> dict:
    return {"requests": STATE.requests()}


def clear_requests(request: HttpRequest) -> dict:
    STATE.clear_requests()
    return {"success": True}


def get_clock(request: HttpRequest) -> dict:
    return {"offsetSeconds": STATE.clock_offset(), "now": format_timestamp(STATE.now())}


def set_clock(request: HttpRequest) -> dict:
    offset = json_object(request).get("offsetSeconds")
    # Ten years either way is more than any test needs and keeps datetimes in range.
    if not finite_number(offset) or abs(offset) > 10 * 365 * 86_400:
        raise validation_error({"offsetSeconds": ["Expected a number of seconds"]})
    STATE.set_clock_offset(float(offset))
    return get_clock(request)


def revoke_tokens(request: HttpRequest) -> dict:
    """Every token the user holds now answers 401; signing in again gives a working one."""
    email = json_object(request).get("email")
    if not isinstance(email, str) or not email:
        raise validation_error({"email": ["Required"]})
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise not_found("User")
    STATE.revoke_tokens(user.id)
    return {"success": True, "userId": user.id}


def outbox(request: HttpRequest) -> dict:
    return {"emails": STATE.outbox()}


def credentials(request: HttpRequest) -> dict:
    """The seeded credentials of every emulated platform, keyed by platform."""
    return seeded_credentials.published()


urlpatterns = [
    path("reset", endpoint(POST=reset)),
    path("faults", endpoint(GET=get_faults, POST=set_faults, DELETE=clear_faults)),
    path("requests", endpoint(GET=list_requests, DELETE=clear_requests)),
    path("clock", endpoint(GET=get_clock, POST=set_clock)),
    path("revoke-tokens", endpoint(POST=revoke_tokens)),
    path("outbox", endpoint(GET=outbox)),
    path("credentials", endpoint(GET=credentials)),
    path("naxon/", include("sandbox.naxon.control")),
    path("uchat/", include("sandbox.uchat.control")),
    path("liveperson/", include("sandbox.liveperson.control")),
]
