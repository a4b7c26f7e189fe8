"""User field types and how a value sent to set-user-field becomes a value of that type.

`var_type` is seen on UChat's user fields (obs); which types exist and how values are read is the
sandbox's choice (guess): one place, here. A value is stored as the JSON of its typed value and
answered as that JSON: text a string, number a number, boolean true or false, date
`YYYY-MM-DD`, datetime ISO 8601 UTC (`2026-11-21T10:00:00.000Z`).
"""

import json
import math
from datetime import UTC, date, datetime
from typing import Any

from sandbox.state import format_timestamp

TEXT, NUMBER, BOOLEAN, DATE, DATETIME = "text", "number", "boolean", "date", "datetime"
VAR_TYPES = (TEXT, NUMBER, BOOLEAN, DATE, DATETIME)
MAX_TEXT_LENGTH = 2_000
# Beyond this a float cannot hold every whole number exactly.
LARGEST_NUMBER = 2**53

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


class BadValue(ValueError):
    """The value cannot be read as the field's type; the message says what was expected."""


def typed_value(var_type: str, value: Any) -> Any:
    """The value as the field's type (a string, number or bool as sent, or text that reads as
    one), or BadValue."""
    if value is None:
        raise BadValue("The value field is required.")
    reader = _READERS[var_type]
    return reader(value)


def stored(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def loaded(text: str) -> Any:
    return json.loads(text)


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadValue("The value must be a string.")
    text = value if isinstance(value, str) else json.dumps(value)
    if len(text) > MAX_TEXT_LENGTH:
        raise BadValue(f"The value may not be greater than {MAX_TEXT_LENGTH} characters.")
    return text


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise BadValue("The value must be a number.")
    if isinstance(value, str):
        try:
            value = float(value.strip()) if value.strip() else None
        except ValueError:
            value = None
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise BadValue("The value must be a number.")
    if abs(value) > LARGEST_NUMBER:
        raise BadValue(f"The value must be between -{LARGEST_NUMBER} and {LARGEST_NUMBER}.")
    return int(value) if float(value).is_integer() else float(value)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, str | int) else None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise BadValue("The value must be true or false.")


def _date(value: Any) -> str:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise BadValue("The value must be a date (YYYY-MM-DD).")


def _datetime(value: Any) -> str:
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
        if moment is not None:
            moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
            try:
                return format_timestamp(moment.astimezone(UTC))
            except OverflowError:
                pass
    raise BadValue("The value must be a date and time (ISO 8601).")


_READERS = {TEXT: _text, NUMBER: _number, BOOLEAN: _boolean, DATE: _date, DATETIME: _datetime}
