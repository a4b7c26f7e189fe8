"""CSV written for people who open it in a spreadsheet: every cell that a spreadsheet would run
as a formula (=, +, -, @, a tab or a carriage return first) is prefixed with an apostrophe, since
names and notes come from the platform and anyone can write them (OWASP, "CSV injection").
Moments are written in ISO 8601, as the platform sends them."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_line(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell(value) for value in values])
    return buffer.getvalue()


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    for row in rows:
        yield csv_line(row)
