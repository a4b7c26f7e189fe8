"""The audit log as CSV, streamed row by row so a long log never sits in memory."""

import csv
import json
from collections.abc import Iterable, Iterator

from dashboard.audit.models import AuditEvent

HEADER = [
    "time",
    "actor",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "changes",
    "outcome",
    "error",
    "ip",
    "user_agent",
]
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """csv.writer wants a file; this one hands each written line back instead."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def event_row(event: AuditEvent) -> list[str]:
    return [
        safe_cell(cell)
        for cell in (
            event.created_at.isoformat(),
            event.actor_email,
            event.action,
            event.target_type,
            event.target_id,
            event.target_label,
            json.dumps(event.changes, ensure_ascii=False) if event.changes else "",
            event.outcome,
            event.error,
            event.ip or "",
            event.user_agent,
        )
    ]


def csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    for event in events:
        yield writer.writerow(event_row(event))
