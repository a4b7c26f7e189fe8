"""Tenant — Workspace (CUSTOMER role): configuration, auto-created on first read."""

import copy
import functools
import json
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from sandbox.connextlive import serializers
from sandbox.connextlive.auth import customer_only
from sandbox.connextlive.http import (
    Object,
    String,
    json_object,
    type_name,
    validate_body,
    validation_error,
)
from sandbox.connextlive.models import User
from sandbox.connextlive.queries import LANGUAGES, workspace_of
from sandbox.state import STATE

SETTINGS_MAX_BYTES = 64 * 1024  # guess: a bound so that `settings` stays a settings object


@functools.cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _timezone_problem(value: str) -> str | None:
    return None if value in _timezones() else "Invalid IANA timezone"


WORKSPACE_FIELDS = {
    # Lengths are guesses.
    "name": String(min_length=1, max_length=100, strip=True),
    "companyName": String(max_length=200, nullable=True),
    "contactEmail": String(max_length=254, nullable=True, email=True),
    "language": String(max_length=2, choices=LANGUAGES),
    "timezone": String(max_length=64, check=_timezone_problem),
    "settings": Object(),
}

SETTINGS_MAX_DEPTH = 8  # guess, as above; also keeps merging and copying off deep recursion
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def _is_boolean(value: Any) -> bool:
    return isinstance(value, bool)


def _is_colour(value: Any) -> bool:
    return isinstance(value, str) and _HEX_COLOR.fullmatch(value) is not None


def _is_position(value: Any) -> bool:
    return value in ("bottom-right", "bottom-left")


def _is_short_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 500


# The settings the document names ("notification and widget settings") with what each must
# hold (guess); any other key is kept as given, since `settings` is an open object.
_SETTING_CHECKS: dict[tuple[str, str], tuple[str, Callable[[Any], bool]]] = {
    ("notifications", "visitorSound"): ("boolean", _is_boolean),
    ("notifications", "agentSound"): ("boolean", _is_boolean),
    ("notifications", "emailOnNewConversation"): ("boolean", _is_boolean),
    ("notifications", "emailDigest"): ("boolean", _is_boolean),
    ("widget", "showAgentAvatar"): ("boolean", _is_boolean),
    ("widget", "primaryColor"): ("a #rrggbb colour", _is_colour),
    ("widget", "position"): ("'bottom-right' | 'bottom-left'", _is_position),
    ("widget", "greeting"): ("a string of at most 500 characters", _is_short_text),
    ("widget", "offlineMessage"): ("a string of at most 500 characters", _is_short_text),
}


@customer_only
def get_workspace(request: HttpRequest, user: User) -> dict:
    return serializers.workspace(workspace_of(user.tenant))


@customer_only
def update_workspace(request: HttpRequest, user: User) -> dict:
    """Only the keys given change (doc); `settings` is deep-merged, not replaced (doc)."""
    workspace = workspace_of(user.tenant)
    changes = validate_body(json_object(request), WORKSPACE_FIELDS)
    if "settings" in changes:
        changes["settings"] = _merged_settings(workspace.settings, changes["settings"])
    for name, value in changes.items():
        setattr(workspace, _COLUMNS[name], value)
    workspace.updated_at = STATE.now()
    workspace.save()
    return serializers.workspace(workspace)


_COLUMNS = {
    "name": "name",
    "companyName": "company_name",
    "contactEmail": "contact_email",
    "language": "language",
    "timezone": "timezone",
    "settings": "settings",
}


def _merged_settings(current: dict, patch: dict) -> dict:
    if _depth(patch) > SETTINGS_MAX_DEPTH:
        raise validation_error({"settings": [f"at most {SETTINGS_MAX_DEPTH} levels deep"]})
    problems = [
        f"settings.{section}.{key}: expected {expected}"
        for (section, key), (expected, accepts) in _SETTING_CHECKS.items()
        if isinstance(patch.get(section), dict)
        and key in patch[section]
        and not accepts(patch[section][key])
    ]
    problems += [
        f"settings.{section}: expected object, received {type_name(patch[section])}"
        for section in ("notifications", "widget")
        if section in patch and not isinstance(patch[section], dict)
    ]
    merged = _deep_merge(copy.deepcopy(current), patch)
    if len(json.dumps(merged)) > SETTINGS_MAX_BYTES:
        problems.append(f"settings: at most {SETTINGS_MAX_BYTES} bytes of JSON")
    if problems:
        raise validation_error({"settings": problems})
    return merged


def _deep_merge(base: dict, patch: dict) -> dict:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _deep_merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def _depth(value: Any) -> int:
    """How deeply objects and arrays nest in `value`, without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        for child in children:
            if isinstance(child, dict | list):
                pending.append((child, level + 1))
        deepest = max(deepest, level)
    return deepest
